"""Deduplicate (first pass): repeated paragraphs once, identical records merged, all recorded."""

from pipeline.deduplicate import dedup_paragraphs, merge_exact
from pipeline.record import Record, Source

BODY = "Le RTES publie un guide sur la commande publique responsable et locale."
EXTRA = "Pour le commander : contact@exemple.fr et le guide sera envoyé par la poste."


def rec(text, path="a.txt", rid="r1"):
    return Record(rid, Source(path, "0" * 64, "txt", "text", None, [0, len(text)]), text)


def test_repeated_paragraph_dropped_and_recorded():
    out = dedup_paragraphs(rec(f"{BODY}\n\nRésumé\n\n{BODY}"), 40)
    assert out.text == f"{BODY}\n\nRésumé"
    assert out.changes[0].operation == "drop_repeated_paragraph" and out.changes[0].before == BODY


def test_a_paragraph_with_more_text_is_kept():
    text = f"{BODY}\n\nRésumé\n\n{BODY} {EXTRA}"
    assert dedup_paragraphs(rec(text), 40).text == text


def test_short_paragraphs_may_repeat():
    text = "Ressource privée\n\nNon\n\nRessource privée\n\nNon"
    assert dedup_paragraphs(rec(text), 40).text == text


def test_identical_records_merge_keeping_the_fullest_then_earliest():
    a = rec(BODY, "b/page.txt", "r1")
    b = rec(BODY, "a/page.txt", "r2")
    c = rec(BODY + " " + EXTRA, "c/page.txt", "r3")
    merged = merge_exact([a, b])
    assert len(merged) == 1 and merged[0].source.path == "a/page.txt"
    assert merged[0].duplicates == [{"path": "b/page.txt", "span": [0, len(BODY)], "kind": "exact", "similarity": 1.0}]
    assert merged[0].changes[0].operation == "merge_exact_duplicate"
    assert len(merge_exact([a, c])) == 2  # different text: both stay
