"""Outputs for people and tools: schema, parquet dtypes, SQLite FTS, search, the report's escaping."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, needs_tesseract
from pipeline.outputs.sqlite import QueryError, fts_query, search

def records_of(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "records.jsonl").read_text("utf-8").splitlines()]


@needs_tesseract
def test_every_record_matches_the_shipped_schema(sample_run):
    import jsonschema

    schema = json.loads((ROOT / "pipeline" / "schemas" / "record.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    out, _ = sample_run
    records = records_of(out)
    assert records
    for record in records:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, (record["id"], [e.message for e in errors[:3]])
        for entity in record["entities"]:
            assert record["text"][entity["start"]:entity["end"]] == entity["text"]


def test_schema_rejects_a_broken_record():
    import jsonschema

    schema = json.loads((ROOT / "pipeline" / "schemas" / "record.schema.json").read_text("utf-8"))
    bad = {"id": "r1", "text": "x", "dates": [{"text": "hier", "start": "24/03/2022", "end": None, "precision": "jour"}]}
    assert len(list(jsonschema.Draft202012Validator(schema).iter_errors(bad))) >= 3


@needs_tesseract
def test_parquet_opens_in_pandas_with_sensible_dtypes(sample_run):
    import pandas as pd

    out, _ = sample_run
    records = pd.read_parquet(out / "records.parquet")
    assert len(records) == len(records_of(out))
    assert records["id"].is_unique
    assert {"id", "title", "text", "language", "doc_type", "published", "source", "metadata", "entities"} <= set(records)
    assert isinstance(records.loc[0, "source"], dict) and "path" in records.loc[0, "source"]
    entities = pd.read_parquet(out / "entities.parquet")
    assert list(entities.columns) == ["record_id", "label", "text", "canonical", "start", "end"]
    assert str(entities["start"].dtype) == "int64" and str(entities["end"].dtype) == "int64"
    assert set(entities["record_id"]) <= set(records["id"])
    assert len(entities) == sum(len(r["entities"]) for r in records_of(out))
    # every block has its language key in records.jsonl, as in Parquet (null for a heading or a list item):
    # b["language"] raised KeyError on 13 records of a 2,000-document run
    blocks = [b for r in records_of(out) for b in r["blocks"]]
    assert {b["kind"] for b in blocks} >= {"heading", "paragraph"}
    assert all("language" in b for b in blocks)
    assert all(b["language"] is None for b in blocks if b["kind"] != "paragraph")


def test_sqlite_has_records_entities_and_a_french_fts_index(hostile_run):
    db = sqlite3.connect(hostile_run / "corpus.sqlite")
    assert db.execute("SELECT count(*) FROM records").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM entities").fetchone()[0] >= 1
    tokenizer = db.execute("SELECT sql FROM sqlite_master WHERE name = 'records_fts'").fetchone()[0]
    assert "remove_diacritics" in tokenizer


@pytest.mark.parametrize("query", ["économie", "economie", "ECONOMIE", "Économie proximité"])
def test_search_finds_a_word_with_or_without_accents(hostile_run, query):
    hits = search(hostile_run / "corpus.sqlite", query)
    assert hits and any("proximit" in h["snippet"] or "conomie" in h["snippet"] for h in hits)


def test_search_ranks_the_better_match_first(hostile_run):
    hits = search(hostile_run / "corpus.sqlite", "tiers lieux Bretagne")
    assert len(hits) == 1 and "Bretagne" in hits[0]["snippet"]


@pytest.mark.parametrize("query", ['"', "NEAR(a b", "title:x OR", "*", "a AND", "l'économie", "(((", "NOT"])
def test_a_query_is_run_or_refused_in_one_line_never_a_traceback(hostile_run, query):
    try:
        search(hostile_run / "corpus.sqlite", query)
    except QueryError as exc:
        assert "\n" not in str(exc)


def test_query_syntax_words_phrases_operators_prefixes():
    assert fts_query('économie "tiers lieux" OR Lyon') == '"économie" "tiers lieux" OR "Lyon"'
    assert fts_query("écon* NOT (Paris)") == '"écon"* NOT ( "Paris" )'
    assert fts_query('title:x') == '"title:x"'
    assert fts_query("oeuvrent") == '("oeuvrent" OR "œuvrent")'


@pytest.mark.parametrize("query, found", [
    ("économie AND proximité", True), ("économie AND Marseille", False), ("économie OR Marseille", True),
    ('"économie de proximité"', True), ('"proximité de économie"', False), ("écono*", True),
    ("tiers NOT Bretagne", False), ("oeuvrent", True), ("œuvrent", True),
])
def test_operators_phrases_prefixes_and_ligatures_do_what_they_say(hostile_run, query, found):
    hits = search(hostile_run / "corpus.sqlite", query)
    assert bool(hits) is found, hits


def test_datasette_gives_records_a_search_that_returns_only_matching_records(hostile_run):
    """What `make browse` serves, asked through Datasette's own client: the search box works."""
    import asyncio

    from datasette.app import Datasette

    metadata = json.loads((ROOT / "config" / "datasette.json").read_text("utf-8"))

    async def ask():
        ds = Datasette([str(hostile_run / "corpus.sqlite")], metadata=metadata)
        everything = await ds.client.get("/corpus/records.json?_shape=array")
        found = await ds.client.get("/corpus/records.json?_search=proximite&_shape=array")
        none = await ds.client.get("/corpus/records.json?_search=introuvable&_shape=array")
        either = await ds.client.get("/corpus/records.json?_search=introuvable%20OR%20proximite&_shape=array")
        bad = await ds.client.get("/corpus/records.json?_search=proximite%20OR&_shape=array")
        table = await ds.client.get("/corpus/records")
        quoted = [await ds.client.get(f"/corpus/records.json?_search={q}&_shape=array")
                  for q in ("%22saint-brieuc%22", "%22l'atelier%22")]  # as the table's description says
        return (everything.json(), found.json(), none.json(), either.json(), (bad.status_code, bad.text), table.text,
                [(r.status_code, r.json()) for r in quoted])

    everything, found, none, either, bad, page, quoted = asyncio.run(ask())
    assert quoted == [(200, []), (200, [])]
    assert len(everything) == 2
    assert [r["path"] for r in found] == ["autre.txt"] and none == []
    assert [r["path"] for r in either] == ["autre.txt"]  # issue 27: operators work (searchmode raw)
    assert bad[0] == 400 and "syntax error" in bad[1]  # a query FTS5 refuses: a message, not a crash
    assert 'name="_search"' in page  # the search box
    assert "language" in page and "doc_type" in page  # facets from config/datasette.json


def test_entities_have_an_index_and_a_foreign_key(hostile_run):
    db = sqlite3.connect(hostile_run / "corpus.sqlite")
    indexes = {row[1] for row in db.execute("PRAGMA index_list(entities)")}
    assert any("record_id" in name for name in indexes)
    keys = db.execute("PRAGMA foreign_key_list(entities)").fetchall()
    assert keys and keys[0][2] == "records"
    fts = db.execute("SELECT sql FROM sqlite_master WHERE name = 'records_fts'").fetchone()[0]
    assert "content=records" in fts.replace('"', "").replace("[", "").replace("]", "")  # the text is stored once


def test_cli_search(hostile_run):
    ok = subprocess.run([sys.executable, "-m", "pipeline", "search", "economie", "--out", str(hostile_run)],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0 and "[autre.txt]" in ok.stdout
    none = subprocess.run([sys.executable, "-m", "pipeline", "search", "zzzzqqq", "--out", str(hostile_run)],
                          capture_output=True, text=True, cwd=ROOT)
    assert none.returncode == 1 and none.stdout == ""


def test_report_escapes_hostile_text(hostile_run):
    page = (hostile_run / "report.html").read_text("utf-8")
    pages = "".join(p.read_text("utf-8") for p in (hostile_run / "pages").glob("*.html"))
    assert "<script>document.title" not in page + pages and "<img src=x" not in page + pages
    assert re.search(r"&lt;script&gt;document\.title=(&#x27;|&#39;)pwned(&#x27;|&#39;)", pages)
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ['<script src="run.js">', '<script src="records.js">', '<script src="pager.js">',
                       '<script src="search/keys.js">',
                       '<script src="report.js">']  # nothing inline
    rows = (hostile_run / "records.js").read_text("utf-8")
    assert "</script" not in rows.lower() and "<script>document.title" not in rows
    for record_page in (hostile_run / "pages").glob("*.html"):
        assert "<script" not in record_page.read_text("utf-8")  # every document text escaped


def test_report_answers_the_newcomers_questions(hostile_run, tmp_path):
    page = (hostile_run / "report.html").read_text("utf-8")
    records = records_of(hostile_run)
    for record in records:
        assert f'href="pages/{record["id"]}.html"' in page
        own = (hostile_run / "pages" / f'{record["id"]}.html').read_text("utf-8")
        assert f'id="rec-{record["id"]}"' in own and 'href="../report.html#records"' in own
    assert "Fichiers à regarder" in page and "Modifications, par ce qu'elles ont fait" in page
    assert "Organisations présentes dans le plus de fiches" in page and "Fiches par thème" in page
    assert (hostile_run / "run.js").read_text("utf-8").startswith("window.GLANEUR_RUN = ")


@needs_tesseract
def test_report_lists_quarantined_files_with_their_reason(sample_run):
    out, _ = sample_run
    page = (out / "report.html").read_text("utf-8")
    assert "broken/export-tronque.pdf" in page and "PDF abîmé" in page and "corrupt PDF" not in page


def test_parquet_metadata_is_a_typed_struct_with_a_map_of_other_fields(tmp_path, config):
    import pyarrow.parquet as pq

    from pipeline.outputs import _parquet_row, record_schema
    from pipeline.record import Record, Source

    record = Record("r1", Source("a.txt", "0" * 64, "txt", "text"), "Texte.",
                    metadata={"resource_type": "Guides", "private": False, "category": None,
                              "keywords": "ESS, rural", "zone": "Bretagne"})
    path = tmp_path / "m.parquet"
    from pipeline.outputs import _Parquet

    writer = _Parquet(path, record_schema())
    writer.add([_parquet_row(record)])
    writer.close()
    table = pq.read_table(path)
    meta = table.column("metadata").type
    assert str(meta.field("private").type) == "bool" and str(meta.field("other").type).startswith("map<string, string")
    assert table.to_pylist()[0]["metadata"]["other"] == [("keywords", "ESS, rural"), ("zone", "Bretagne")]


def test_report_orders_records_by_source_and_shows_dates_changes_and_diffs_for_people(sample_run):
    from pipeline.outputs.report import date_text, word_diff
    from pipeline.outputs.report.words import Words

    out, _ = sample_run
    page = (out / "report.html").read_text("utf-8")
    rows = re.findall(r'<tr data-type="[^"]*" data-lang="[^"]*" data-folder="[^"]*" data-flagged="[^"]*" '
                      r'data-theme="[^"]*"><td><a href="pages/\w+\.html">[^<]*</a></td><td>([^<]*)</td>', page)
    assert len(rows) == len(records_of(out)) and rows == sorted(rows)  # pages of one dump together, in order
    pages = "".join(p.read_text("utf-8") for p in sorted((out / "pages").glob("*.html")))
    assert "ligne coupée en pleine phrase recollée" in pages and "apply(fix_" not in pages
    text = re.sub(r"<[^>]+>", "", pages)
    assert "None…None" not in text and "→ None" not in text and "None …" not in text
    words = Words("fr")
    assert date_text({"text": "le 4 mars", "start": None, "end": None}, words) == "le 4 mars → année non résolue"
    assert date_text({"text": "mars 2023", "start": "2023-03-01", "end": "2023-03-31"}, words).endswith(
        "du 1er mars 2023 au 31 mars 2023")  # days as French writes them (Babel, "1er"), not ISO
    assert word_diff("Il faut quelgues mois ici", "Il faut quelques mois ici") == [
        {"kind": "same", "text": "Il faut "}, {"kind": "del", "text": "quelgues"}, {"kind": "ins", "text": "quelques"},
        {"kind": "same", "text": " mois ici"}]
    assert "Il faut <del>quelgues</del><ins>quelques</ins>" in pages or "<del>quelgues</del>" not in pages
    assert re.search(r"confiance de l(&#x27;|&#39;)OCR", pages)  # the poster's OCR confidence is on its page
    names = (out / "names.html").read_text("utf-8")
    assert 'href="names.html"' in page
    assert 'id="names-table"' in names and "Loire-Atlantique" in names  # the index of names (issue 27: counts,
    counts = [int(n.replace("\u202f", "")) for n in re.findall(r"</td><td>([\d\u202f]+)</td><td>", names)]  # the most
    assert counts and counts == sorted(counts, reverse=True)  # named first)


def test_changes_say_where_their_result_and_the_kept_copy_stand():
    from pipeline.outputs import change_rows
    from pipeline.record import Change, Record, Source

    text = "Il faut quelques mois.\n\nLe réseau publie un guide. Il est gratuit."
    changes = (Change("repair", "ocr_word", "quelgues", "quelques", "a.txt"),
               Change("deduplicate", "drop_repeated_paragraph", "Le réseau publie un guide. Il est gratuit.", "",
                      "a.txt"),
               Change("repair", "drop_chrome", "Accepter les cookies", "", "a.txt"))
    rows = change_rows(Record("r1", Source("a.txt", "0" * 64, "txt", "text"), text, changes=changes))
    word, dropped, chrome = rows
    assert text[word["at"][0]:word["at"][1]] == "quelques" and word["record"] == "r1"
    assert dropped["at"] is None and text[dropped["kept_at"][0]:].startswith("Le réseau publie un guide")
    assert chrome["at"] is None and "kept_at" not in chrome  # no extracted text to place them by


def test_a_removal_says_where_the_removed_text_stood():
    """Issue 21: a removal's `at` is a zero-width place in the result, found by the words around it in the
    extracted text; a passage removed on every page is placed at each of its pages."""
    from pipeline.outputs import change_rows
    from pipeline.record import Change, Record, Source

    extracted = ("Rapport 2023\nLe réseau a grandi.\n\fRapport 2023\nTrois chantiers ont commencé.\n\f"
                 "Rapport 2023\nAccepter les cookies\nLa feuille de route est adoptée.")
    text = "Le réseau a grandi.\n\nTrois chantiers ont commencé.\n\nLa feuille de route est adoptée."
    changes = tuple(Change("repair", "drop_page_furniture", "Rapport 2023", "", "a.txt") for _ in range(3)) + (
        Change("repair", "drop_chrome", "Accepter les cookies", "", "a.txt"),)
    record = Record("r1", Source("a.txt", "0" * 64, "pdf", "pdf-text", span=[0, len(extracted)]), text,
                    extracted=extracted, changes=changes)
    places = [row["at"] for row in change_rows(record)]
    assert places[0] == [0, 0]
    assert places[1] == [text.index("Trois"), text.index("Trois")]
    between = range(text.index("commencé.") + len("commencé."), text.index("La feuille") + 1)
    assert places[2][0] == places[2][1] and places[2][0] in between  # between the page before and the next
    assert places[3] == [text.index("La feuille"), text.index("La feuille")]


@needs_tesseract
def test_ocr_records_show_a_thumbnail_of_their_source(sample_run):
    out, _ = sample_run
    ocr = [r for r in records_of(out) if r["source"]["ocr_pages"]]
    assert len(ocr) >= 2  # the poster and the scanned report
    from PIL import Image

    for record in ocr:
        page = (out / "pages" / f"{record['id']}.html").read_text("utf-8")
        for n in record["source"]["ocr_pages"]:  # issue 27: every page, each openable at full size
            png, jpg = out / "pages" / f"{record['id']}-p{n}.png", out / "pages" / f"{record['id']}-p{n}.jpg"
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert Image.open(jpg).size[0] > 2 * Image.open(png).size[0]
            assert f'<a href="{jpg.name}"' in page and f'<img src="{png.name}"' in page
        assert "confiance" in page
    others = [r for r in records_of(out) if not r["source"]["ocr_pages"]]
    assert not any(list((out / "pages").glob(f"{r['id']}-p*")) for r in others)


def _forms_db(tmp_path):
    from pipeline.outputs.sqlite import write
    from pipeline.record import Record, Source

    records = [Record("a", Source("a.txt", "0" * 64, "txt", "text"), "Les Cantines scolaires et deux épiceries.",
                      title="Cantines"),
               Record("b", Source("b.txt", "0" * 64, "txt", "text"), "Une épicerie, un réseau, le journal local.",
                      title="Épicerie"),
               Record("c", Source("c.txt", "0" * 64, "txt", "text"), "Les réseaux et les journaux locaux œuvrent.",
                      title="Réseaux", dates=[{"text": "mars 2023", "start": "2023-03-01", "end": "2023-03-31",
                                              "precision": "month"}])]
    path = tmp_path / "forms.sqlite"
    write(path, records)
    return path


@pytest.mark.parametrize("query, expected", [
    ("cantine", ["a"]), ("cantines", ["a"]), ("épicerie", ["a", "b"]), ("epiceries", ["a", "b"]),
    ("réseaux", ["b", "c"]), ("reseau", ["b", "c"]), ("journaux", ["b", "c"]), ("journal local", ["b", "c"]),
    ("cantinière", []),
])
def test_search_finds_either_number_of_a_word(tmp_path, query, expected):
    """Issue 21: singular finds plural and back, accents folded, in glaneur search."""
    hits = search(_forms_db(tmp_path), query)
    assert sorted(h["id"] for h in hits) == expected


def test_a_hyphenated_word_is_found_in_either_number(tmp_path):
    """The walk of a generated corpus: "tiers-lieu" found 687 records, "tiers-lieux" 255, either 834: a
    hyphenated word is searched as a phrase of its parts, which the forms of single words never make."""
    import asyncio

    from datasette.app import Datasette

    from pipeline.outputs.sqlite import write
    from pipeline.record import Record, Source

    texts = {"a": "Le tiers-lieu du quartier ouvre.", "b": "Deux Tiers-Lieux ruraux et un porte-monnaie.",
             "c": "Un tiers du lieu, pas un tiers-lieu? Si : un lieu tiers.",
             "d": "Le centre-ville, un atelier-école et un vélo-école."}
    path = tmp_path / "compounds.sqlite"
    write(path, [Record(k, Source(f"{k}.txt", "0" * 64, "txt", "text"), t) for k, t in texts.items()])
    for query in ("tiers-lieu", "tiers-lieux", "TIERS-LIEUX", '"tiers lieux"'):
        assert sorted(h["id"] for h in search(path, query)) == ["a", "b", "c"], query
    assert [h["id"] for h in search(path, "porte-monnaies")] == ["b"]
    assert [h["id"] for h in search(path, "lieux-tiers")] == []  # the parts side by side, not each anywhere
    assert [h["id"] for h in search(path, "centres-villes")] == ["d"]
    for other in ("villes-centres", "écoles-vélo", "écoles-vélos", "monnaies-tiers"):  # two forms side by side
        assert search(path, other) == [], other

    async def ask(query):
        found = await Datasette([str(path)]).client.get(f"/compounds/records.json?_search={query}&_shape=array")
        return sorted(r["id"] for r in found.json())

    assert asyncio.run(ask("tiers-lieux")) == ["a", "b", "c"]  # Datasette's own box quotes each word


def test_datasette_search_box_finds_either_number_of_a_word(tmp_path):
    """The same index through Datasette's own search (its `_search`, which quotes each word)."""
    import asyncio

    from datasette.app import Datasette

    path = _forms_db(tmp_path)

    async def ask(query):
        ds = Datasette([str(path)])
        found = await ds.client.get(f"/forms/records.json?_search={query}&_shape=array")
        return sorted(r["id"] for r in found.json())

    assert asyncio.run(ask("cantine")) == ["a"]
    assert asyncio.run(ask("epiceries")) == ["a", "b"]
    assert asyncio.run(ask("reseau")) == ["b", "c"]
    assert asyncio.run(ask("oeuvrent")) == ["c"]  # œ written either way


def test_datasette_shows_json_columns_readably(tmp_path):
    """Issue 21: a JSON column (dates, lists) is shown formatted by datasette-pretty-json, not as one raw line."""
    import asyncio

    from datasette.app import Datasette

    path = _forms_db(tmp_path)

    async def page():
        return (await Datasette([str(path)]).client.get("/forms/records/c")).text

    html = asyncio.run(page())
    html = html.replace("&quot;", "&#34;")
    assert re.search(r'<td class="col-dates[^"]*"><pre[^>]*>\[\n\s+\{\n\s+&#34;end&#34;: &#34;2023-03-31&#34;,', html)


def test_number_forms():
    from pipeline.text.fold import number_forms

    assert number_forms("Cantines") == ("cantines", "cantine")
    assert number_forms("réseaux") == ("réseaux", "réseau")
    assert number_forms("journal") == ("journal", "journaux")
    assert number_forms("bus") == ("bus",) and number_forms("l") == ("l",)
