"""Properties of segment on any dump built from pages of random words: spans stay inside the extracted
text, in order and apart; no sentence of a page is lost without a change saying where it went."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import RawFile, extract_file
from pipeline.segment import run as segment

WORDS = ("réseau commune coopérative projet habitants atelier territoire emploi culture mobilité énergie "
         "jardin école marché association solidaire rural quartier").split()

word = st.sampled_from(WORDS)
sentence = st.lists(word, min_size=4, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
title = st.lists(word, min_size=2, max_size=6).map(lambda ws: " ".join(ws).capitalize())
page = st.tuples(title, st.lists(sentence, min_size=1, max_size=3), st.sampled_from(["Guides", "Comptes rendus"]),
                 st.sampled_from(["Oui", "Non"]))


def dump(pages) -> str:
    parts = []
    for head, body, kind, private in pages:
        parts += [head, "", *[s + "\n" for s in body],
                  "Catégorie", "", "Type de ressource", kind, "", "Ressource privée", private, "", "Résumé", "",
                  body[0], ""]
    return "\n".join(parts)


@settings(max_examples=40)
@given(st.lists(page, min_size=1, max_size=5))
def test_spans_stay_inside_the_extracted_text_in_order(config, pages):
    record = extract_file(RawFile("sites/dump.txt", dump(pages).encode("utf-8")), config)
    records = segment([record], config)
    spans = [r.source.span for r in records if r.source.span is not None]
    for start, end in spans:
        assert 0 <= start <= end <= len(record.extracted)
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


@settings(max_examples=40)
@given(st.lists(page, min_size=1, max_size=5))
def test_no_sentence_is_lost_without_a_change(config, pages):
    record = extract_file(RawFile("sites/dump.txt", dump(pages).encode("utf-8")), config)
    records = segment([record], config)
    kept = "\n".join(f"{r.title or ''}\n{r.text}" for r in records)
    moved = "\n".join(c.before for r in records for c in r.changes)
    for _, body, _, _ in pages:
        for s in body:
            assert s in kept or s in moved, s
