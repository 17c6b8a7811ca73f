"""Properties of paragraph deduplication on any record: nothing is lost without a change saying why, no
paragraph stands twice, and running it again changes nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.deduplicate import dedup_paragraphs
from pipeline.record import Record, Source

WORDS = ("réseau commune coopérative projet habitants atelier territoire emploi culture mobilité énergie "
         "jardin école marché association solidaire rural quartier Lyon Rennes 2023 12").split()
paragraph = st.lists(st.sampled_from(WORDS), min_size=3, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")


def rec(paragraphs):
    text = "\n\n".join(paragraphs)
    return Record("r", Source("a.txt", "0" * 64, "txt", "text", None, [0, len(text)]), text)


@given(st.lists(paragraph, min_size=1, max_size=8).flatmap(
    lambda ps: st.lists(st.sampled_from(ps), min_size=len(ps), max_size=2 * len(ps))))
def test_every_paragraph_is_kept_or_its_removal_recorded(paragraphs):
    kept, changes, _ = dedup_paragraphs(rec(paragraphs), 0.8)
    recorded = {c.before for c in changes} | {c.after for c in changes}
    for p in paragraphs:
        assert p in kept or p in recorded, p
    assert len(kept) == len(set(kept))
    assert all(c.operation in ("drop_repeated_paragraph", "drop_near_paragraph", "keep_fuller_paragraph")
               for c in changes)
    again, more, _ = dedup_paragraphs(rec(kept), 0.8)
    assert again == kept and not more


@given(paragraph, paragraph, st.sampled_from([0.5, 0.8, 0.9]))
def test_near_on_words_read_once_is_near_on_the_texts(a, b, threshold):
    """A long record's paragraphs are read into words once (`Words`) and compared many times: the same
    score as comparing the texts."""
    from pipeline.deduplicate.compare import Words, near

    assert near(Words(a), Words(b), threshold) == near(a, b, threshold)
    assert near(Words(b), Words(a), threshold) == near(b, a, threshold)


_BAND_KEYS = st.lists(st.sampled_from(["0123456789abcdef", "fedcba9876543210", "00000000000000ff"]), min_size=3,
                      max_size=3)


@given(st.lists(st.tuples(st.sampled_from(["", "d1", "d2"]), st.one_of(st.none(), _BAND_KEYS)), max_size=12))
def test_candidates_are_the_pairs_sharing_a_band(prints):
    """The band keys travel as one string a record and are bucketed one band at a time (the main process's
    memory): the candidates are still every pair that shares a key in the same band, and the exact pairs
    every pair after the first record of a digest."""
    from pipeline.deduplicate.records import candidates

    cfg = {"near": True}
    joined = [(d, "".join(keys) if keys is not None else None) for d, keys in prints]
    exact, near = candidates(joined, cfg)
    want = sorted({(i, j) for j in range(len(prints)) for i in range(j)
                   if prints[i][1] and prints[j][1] and any(a == b for a, b in zip(prints[i][1], prints[j][1]))})
    assert near == want
    first: dict[str, int] = {}
    for j, (d, _) in enumerate(prints):
        if d:
            first.setdefault(d, j)
    assert exact == [(first[d], j) for j, (d, _) in enumerate(prints) if d and first[d] != j]
