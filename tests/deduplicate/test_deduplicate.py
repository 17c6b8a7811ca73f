"""Deduplicate: each passage once, nothing lost, duplicates traced, templates kept apart."""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest

from conftest import ROOT, SEEDS, needs_seeds
from pipeline.deduplicate import dedup_paragraphs, merge_records, near, run as deduplicate
from pipeline.record import Record, Source

GOLDEN = ROOT / "tests" / "golden" / "dedup"
BODY = "Le RTES publie un guide sur la commande publique responsable et locale, pour les communes rurales."
EXTRA = "Pour le commander : contact@exemple.fr et le guide sera envoyé par la poste."


def rec(text, path="a.txt", rid="r1", span=None):
    return Record(rid, Source(path, "0" * 64, "txt", "text", None, span or [0, len(text)]), text)


# --- inside a record -----------------------------------------------------------------------------

def test_repeated_paragraph_dropped_and_recorded():
    kept, changes, _ = dedup_paragraphs(rec(f"{BODY}\n\nAutre chose dite une fois.\n\n{BODY}"), 0.85)
    assert kept == [BODY, "Autre chose dite une fois."]
    assert changes[0].operation == "drop_repeated_paragraph" and changes[0].before == BODY


def test_summary_with_an_added_address_keeps_the_fuller_paragraph():
    body = ('Vous pouvez dès à présent télécharger la version numérique du guide "Commande publique et ESS" '
            "- (mars 2023 - 48 pages).")
    summary = ('Vous pouvez télécharger la version numérique du guide "Commande publique et ESS" - (mars 2023 - '
               "48 pages), ou commander la publication auprès de publications@reseau.example")
    kept, changes, _ = dedup_paragraphs(rec(f"{body}\n\nDeuxième paragraphe du corps.\n\n{summary}"), 0.8)
    assert kept == [summary, "Deuxième paragraphe du corps."]
    assert changes[0].operation == "keep_fuller_paragraph"


def test_a_paragraph_in_only_one_copy_is_kept():
    text = f"{BODY}\n\nUne phrase que seul le résumé contient, avec un détail de plus.\n\n{BODY}"
    kept, _, _ = dedup_paragraphs(rec(text), 0.85)
    assert "Une phrase que seul le résumé contient, avec un détail de plus." in kept


def test_a_summary_split_differently_is_still_recognised():
    text = "Première phrase du corps. Deuxième phrase du corps.\n\nPremière phrase du corps.\n\nDeuxième phrase du corps."
    kept, _, _ = dedup_paragraphs(rec(text), 0.85)
    assert kept == ["Première phrase du corps. Deuxième phrase du corps."]


@pytest.mark.parametrize("a, b", [
    ("Le chantier Europe a conduit une délégation d'élus à Bruxelles en octobre.",
     "Le chantier Alimentation a conduit une délégation d'élus à Lyon en novembre."),
    ('Découvrez "Le Petit guide du foncier nourricier" d\'Un Plus Bio',
     'Pour faire court, « Le Petit guide du foncier nourricier » décrit les trois principaux modèles qui commencent '
     "à faire leurs preuves quand il s'agit de mobiliser le foncier de sa collectivité."),
])
def test_different_passages_are_not_near(a, b):
    assert near(a, b, 0.8) < 0.8


# --- across records ---------------------------------------------------------------------------------

def cfg(config):
    return config.section("deduplicate")


def test_exact_duplicates_merge_keeping_the_fullest_then_earliest(config):
    a = rec(BODY, "b/page.txt", "r1")
    b = rec(BODY, "a/page.txt", "r2")
    merged = merge_records([a, b], cfg(config))
    assert len(merged) == 1 and merged[0].source.path == "a/page.txt"
    assert merged[0].duplicates == [{"path": "b/page.txt", "span": [0, len(BODY)], "kind": "exact", "similarity": 1.0}]
    assert merged[0].changes[0].operation == "merge_exact_duplicate"
    # the copy's record is gone: its file says which it was; an exact copy is "the same text", no similarity
    assert merged[0].changes[0].reason == "record r1 of b/page.txt has the same text; the most complete copy is kept"
    from pipeline.outputs.report.words import Words

    assert Words("fr").reason(merged[0].changes[0].reason) == \
        "la fiche r1 de b/page.txt a le même texte ; la copie la plus complète est gardée"


def test_merging_never_loses_a_paragraph_only_one_copy_has(config):
    common = (GOLDEN / "corpus" / "site-a" / "guide-achats.txt").read_text("utf-8").split("\n\n", 1)[1].strip()
    a = rec(f"{common}\n\nUn paragraphe que seule la copie courte contient.", "a.txt", "r1")
    b = rec(f"{common}\n\nEt encore un paragraphe assez long, propre à la copie longue, qui la rend plus complète.",
            "b.txt", "r2")
    merged = merge_records([a, b], cfg(config))
    assert len(merged) == 1
    assert "seule la copie courte" in merged[0].text and "propre à la copie longue" in merged[0].text
    assert any(c.operation == "add_paragraph_from_duplicate" for c in merged[0].changes)


def test_run_is_deterministic_whatever_the_input_order(config):
    records = [rec(f"{BODY} Variante {i % 3}.", f"p{i}.txt", f"r{i}") for i in range(6)]
    one = deduplicate(records, config)
    two = deduplicate(list(reversed(records)), config)
    assert [(r.id, r.text, r.duplicates) for r in one] == [(r.id, r.text, r.duplicates) for r in two]


@pytest.fixture(scope="module")
def golden_run(tmp_path_factory, config):
    from pipeline.run import run

    corpus = tmp_path_factory.mktemp("dedup") / "corpus"
    shutil.copytree(GOLDEN / "corpus", corpus)
    html = (corpus / "formats" / "maison-des-services.html").read_text("utf-8")
    paragraphs = [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<(?:h1|p)>(.*?)</(?:h1|p)>", html)][:-1]
    (corpus / "formats" / "maison-des-services.pdf").write_bytes(_pdf(paragraphs))
    out = corpus.parent / "clean"
    run(corpus, out, config, use_cache=False, progress=False, log=None)
    records = [json.loads(line) for line in (out / "records.jsonl").read_text("utf-8").splitlines()]
    changes = [json.loads(line) for line in (out / "changes.jsonl").read_text("utf-8").splitlines()]
    return records, json.loads((GOLDEN / "expected.json").read_text("utf-8")), changes


def _pdf(paragraphs: list[str]) -> bytes:
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842), invariant=1)
    y = 770
    for i, para in enumerate(paragraphs):
        font, size = ("Helvetica-Bold", 15) if i == 0 else ("Helvetica", 11)
        pdf.setFont(font, size)
        for line in simpleSplit(para, font, size, 450):
            pdf.drawString(72, y, line)
            y -= size * 1.4
        y -= size
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_golden_groups_merge_into_one_record(golden_run):
    records, expected, _ = golden_run
    by_path = {r["source"]["path"]: r for r in records}
    for group in expected["merged"]:
        kept = by_path[group["kept"]]
        assert sorted(d["path"] for d in kept["duplicates"]) == sorted(group["others"]), group["why"]
        for other in group["others"]:
            assert other not in by_path
        for dup in kept["duplicates"]:
            assert dup["kind"] in ("exact", "near") and 0 < dup["similarity"] <= 1
    achats = by_path["site-b/guide-achats-modifie.txt"]
    assert "achats@reseau.example" in achats["text"]
    assert {d["kind"] for d in achats["duplicates"]} == {"near"}


def test_golden_template_pages_stay_apart(golden_run):
    records, expected, _ = golden_run
    paths = {r["source"]["path"] for r in records}
    for a, b in expected["apart"]:
        assert a in paths and b in paths


def test_merges_are_recorded(golden_run):
    """Every merged copy is a merge change in changes.jsonl, on the record that absorbed it."""
    records, _, changes = golden_run
    assert sum(len(r["duplicates"]) for r in records) == 3
    merges = [c for c in changes if c["operation"] in ("merge_exact_duplicate", "merge_near_duplicate")]
    by_id = {r["id"]: r for r in records}
    assert sorted(c["before"] for c in merges) == sorted(d["path"] for r in records for d in r["duplicates"])
    for change in merges:
        assert change["stage"] == "deduplicate" and change["after"] == by_id[change["record"]]["source"]["path"]
        # where the copy came from, which its record id no longer says (it is in no output)
        said = "has the same text" if change["operation"] == "merge_exact_duplicate" else "is nearly the same (similarity 0."
        assert f" of {change['before']} {said}" in change["reason"], change["reason"]
    assert {c["operation"] for c in merges} == {"merge_exact_duplicate", "merge_near_duplicate"}


# --- on the seeds -------------------------------------------------------------------------------------

def _norm(sentence: str) -> str:
    return " ".join(re.findall(r"\w+", sentence.casefold()))


def _sentences(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        out += [s for s in re.split(r"(?<=[.!?…])\s+", line) if len(_norm(s).split()) >= 4]
    return out


@pytest.fixture(scope="module")
def seed_run(seeds_out):
    out = seeds_out
    records = [json.loads(x) for x in (out / "records.jsonl").read_text("utf-8").splitlines()]
    changes = [json.loads(x) for x in (out / "changes.jsonl").read_text("utf-8").splitlines()]
    return records, changes


@needs_seeds
def test_no_sentence_of_a_page_appears_twice(seed_run):
    records, _ = seed_run
    for record in records:
        seen = [_norm(s) for s in _sentences(record["text"])]
        repeated = {s for s in seen if seen.count(s) > 1}
        assert not repeated, (record["title"], repeated)


@needs_seeds
def test_no_sentence_of_the_input_is_missing(seed_run):
    """Every sentence of the seeds is in the output, or in changes.jsonl as dropped boilerplate or a shorter copy."""
    records, changes = seed_run
    output = " ".join(_norm(r["text"]) + " " + _norm(r["title"] or "") for r in records)
    recorded = " ".join(_norm(c["before"]) for c in changes if c["after"] == "" or c["operation"] == "keep_fuller_paragraph")
    missing = []
    for path in sorted(SEEDS.glob("00[01345]_*.txt")):  # 002 is OCR: its words are repaired, checked in tests/repair
        for sentence in _sentences(path.read_text("utf-8")):
            words = _norm(sentence.replace("’", "'"))
            if words not in output and words not in recorded:
                missing.append((path.name, sentence))
    assert not missing, missing[:5]


def test_paragraph_dedup_compares_only_candidates_that_share_rare_words(monkeypatch):
    """926 different paragraphs took 22 s when each was compared with every other: only paragraphs that
    can pass `near`'s first test are compared now, and the result is the same."""
    import random

    from wordfreq import top_n_list

    import pipeline.deduplicate.paragraphs as dedup

    rng = random.Random(1)
    vocabulary = top_n_list("fr", 5000)
    weights = [1 / (i + 1) for i in range(len(vocabulary))]
    paragraphs = [" ".join(rng.choices(vocabulary, weights, k=50)) + "." for _ in range(900)]
    paragraphs.insert(500, paragraphs[100])  # one repeat, which must still be found
    calls = []
    real = dedup.near
    monkeypatch.setattr(dedup, "near", lambda a, b, t: calls.append(1) or real(a, b, t))
    kept, changes, _ = dedup.dedup_paragraphs(rec("\n\n".join(paragraphs)), 0.8)
    assert len(kept) == 900 and [c.operation for c in changes] == ["drop_repeated_paragraph"]
    assert len(calls) < 40 * len(paragraphs)  # about 13 a paragraph here; the pairwise loop made 405,000
