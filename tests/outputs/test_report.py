"""The report in the reader's language: words from the catalogue, nothing raw, a page that stays small."""

from __future__ import annotations

import html
import json
import re

from pipeline.outputs.report import FIRST_ROWS, render, render_assets, render_page
from pipeline.outputs.report.views import OPERATION_ORDER, count_changes
from pipeline.outputs.report.words import Words, reason_templates, translations
from pipeline.record import Change, Record, Source

RAW = re.compile(r"\[\d|\d\]|\bNone\b|\bnull\b|\bTrue\b|\bFalse\b|\{'|'\}|web_page|action_sheet|pdf-text|fix_\w+")
ENGLISH = re.compile(r"\b(the|of|is|not|line|record|text|file|with|kept|removed|inside|similarity|changes|stage|"
                     r"apply|corrupt|has|no title|markup)\b")


def visible(page: str) -> str:
    """What a reader reads of a page that is glaneur's own words: the documents' text panes and rewrites,
    and the titles, names and paths that come from documents, left out."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<div class="text">.*?</div>', " ", page, flags=re.S)
    page = re.sub(r"<(del|ins|a|h2|b|title|option)\b[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<td>[^<]*/[^<]*</td>", " ", page)  # paths
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_no_english_reason_or_raw_value_reaches_a_page(sample_run):
    out, _ = sample_run
    records = {json.loads(x)["id"]: json.loads(x) for x in (out / "records.jsonl").read_text("utf-8").splitlines()}
    for path in [out / "report.html", out / "names.html", *sorted((out / "pages").glob("*.html"))]:
        text = visible(path.read_text("utf-8"))
        record = records.get(path.stem)
        if record:  # a record's own fields hold the documents' words: names, themes' evidence, source fields
            for value in [record["title"] or "", *record["organisations"], *record["places"], *record["people"],
                          *(str(v) for v in record["metadata"].values() if v is not None),
                          *(w for ws in record["themes_evidence"].values() for w in ws), *(d["text"] for d in record["dates"])]:
                text = text.replace(value, " ")
        assert not RAW.search(text), (path.name, RAW.search(text).group(0), text[max(0, RAW.search(text).start() - 80):][:160])
        found = ENGLISH.search(text)
        assert not found, (path.name, found.group(0), text[max(0, found.start() - 80):][:160])


def test_every_operation_and_kind_has_words_in_the_catalogue():
    catalogue = translations("fr")
    for operation in OPERATION_ORDER:
        assert catalogue.gettext(f"operation:{operation}") != f"operation:{operation}", operation
    for kind, codes in (("status", ("ok", "quarantined", "skipped")),
                        ("doc_type", ("web_page", "action_sheet", "poster", "scan", "report", "document")),
                        ("label", ("ORG", "LOC", "PER", "DATE", "MISC"))):
        for code in codes:
            assert catalogue.gettext(f"{kind}:{code}") != f"{kind}:{code}", (kind, code)


def test_every_reason_written_as_a_literal_has_its_french():
    """Each reason a stage writes as it stands (`reason="…"` in pipeline/) is a catalogue entry: one without
    was read back through the first template it happened to fit ("X (Y)": a theme and its words) and shown
    in English (a review)."""
    import ast
    from pathlib import Path

    catalogue = translations("fr")
    found = []
    for path in sorted((Path(__file__).parents[2] / "pipeline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "reason" and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str) and node.value.value:
                found.append((path.name, node.value.value))
    assert len(found) > 10
    templates = reason_templates("fr")

    def said(text: str) -> bool:  # its own entry, or a template of its own words ("… marker: '%(marker)s'")
        if catalogue.gettext(text) != text:
            return True
        msgid = next((m for pattern, m in templates if pattern.fullmatch(text)), "")
        return msgid[:12] == text[:12]

    missing = [(name, text) for name, text in found if not said(text)]
    assert not missing, missing


def test_reasons_come_back_in_french_with_their_values():
    words = Words("fr")
    assert words.reason("near-identical paragraphs (similarity 0.93): the fuller one is kept") == \
        "paragraphes presque identiques (similarité 0,93) : le plus complet est gardé"
    assert words.reason("apply(fix_latin_ligatures)") == "ligatures latines séparées"
    assert words.reason("metadata block: record fields, not text (category=None, resource_type='Guides', "
                        "private=False)") == "bloc de métadonnées : des champs de la fiche, pas du texte " \
                                             "(type de ressource : Guides ; privée : non)"
    assert words.reason("3 columns read straight across: read one after another") == \
        "3 colonnes lues en travers, ligne à ligne : remises l'une après l'autre"
    assert words.code("operation", "columns_read_apart") == "colonnes lues l'une après l'autre"
    assert words.reason("'tres' is a word (zipf 4.52), but in a text damaged by OCR 'très' is far more common "
                        "(6.12)") == "« tres » est un mot (zipf 4,52), mais dans un texte abîmé par l'OCR « très » " \
                                    "est bien plus courant (6,12)"
    assert words.reason("a reason no catalogue knows") == "raison détaillée dans changes.jsonl"  # never raw English
    assert Words("en").reason("a reason no catalogue knows") == "a reason no catalogue knows"


def test_the_catalogue_is_read_from_its_po_file():
    assert translations("fr").gettext("Records") == "Fiches"
    assert translations("xx").gettext("Records") == "Records"  # a language with no catalogue: the message ids


def _header(i: int) -> Record:
    return Record(f"r{i:05d}", Source(f"site/page-{i:05d}.txt", "0" * 64, "txt", "text"), "", title=f"Page {i}",
                  doc_type="web_page", language="fr", themes=["alimentation"], organisations=["Réseau Exemple"])


def test_the_index_page_stays_small_whatever_the_corpus():
    """Issue 21: report.html holds the first rows only; records.js holds every row, for the script."""
    headers = [_header(i) for i in range(2_000)]
    manifest = {"summary": {"files": 2_000, "ok": 2_000, "quarantined": 0, "skipped": 0, "flagged": 0,
                            "records": 2_000}, "files": []}
    changed = count_changes(headers)
    page = render(headers, manifest, changed)
    assert len(page.encode("utf-8")) <= 300_000
    assert page.count('<tr data-type="web_page"') == FIRST_ROWS
    rows = render_assets(headers, manifest, changed)["records.js"]
    assert json.loads(rows[rows.index("["):rows.rindex("]") + 1])[-1][1] == "Page 1999"
    assert "2\u202f000 fichiers, 2\u202f000 fiches" in page  # numbers as French writes them, as in the charts


def test_chart_values_are_written_as_french_writes_numbers():
    from pipeline.outputs.report.views import bar_chart

    chart = bar_chart("t", [("a", 7004), ("b", 12)], Words("fr"))
    assert [b["value"] for b in chart["bars"]] == ["7\u202f004", "12"]


def test_templates_escape_what_documents_say():
    record = Record("r1", Source("a.txt", "0" * 64, "txt", "text"), "<script>alert(1)</script> & co",
                    title='<img src=x onerror="alert(1)">', extracted="<b>gras</b>",
                    changes=(Change("repair", "ocr_word", "<i>", "</i>", "a.txt", reason="<svg onload=alert(1)>"),))
    page = render_page(record)
    assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page and "<b>gras" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_every_removal_is_struck_at_its_own_place():
    """Issue 21: a running header removed from three pages is struck three times, not once; issue 27: the
    pane is the replay of the record's changes, so what it leaves unstruck is the clean text exactly."""
    from pipeline import api

    extracted = "Rapport 2023\nUn.\n\f\nRapport 2023\nDeux.\n\f\nRapport 2023\nTrois."
    text, edits = api.repair(extracted)
    record = Record("r1", Source("a.pdf", "0" * 64, "pdf", "pdf-text", span=[0, len(extracted)]), text,
                    extracted=extracted, changes=Change.stamp(edits, "repair", "a.pdf"))
    page = render_page(record)
    extracted_pane = page.split('<div class="text">')[1].split("</div>")[0]
    assert len(re.findall(r"<del[^>]*>\s*Rapport 2023\s*</del>", extracted_pane)) == 3
    kept = html.unescape(re.sub(r"<del[^>]*>.*?</del>", "", extracted_pane, flags=re.S))
    assert re.sub(r"<[^>]+>", "", kept) == text == "Un.\n\nDeux.\n\nTrois."
    assert "en-tête ou pied de page (revient sur les pages)" in page


def test_the_first_of_a_month_is_written_as_french_writes_it():
    assert Words("fr").date("2023-04-01") == "1er avril 2023"
    assert Words("fr").date("2023-04-11") == "11 avril 2023"
    assert Words("en").date("2023-04-01") == "April 1, 2023"


def test_a_merged_copys_changes_are_shown_apart_from_the_records_own():
    """A record page counted a merged copy's changes among its own ("Modifications (23)", 11 of them the
    copy's), beside an extracted text that holds none of them."""
    source = Source("a.txt", "0" * 64, "txt", "text")
    own = (Change("repair", "collapse_spaces", "un  deux", "un deux", "a.txt", reason="runs of blanks inside a line"),)
    copy = tuple(Change("segment", "move_to_title", f"Titre {i}", "", "b.txt", reason="the page's title: the record's "
                        "title, not its text", of="r2") for i in range(3))
    record = Record("r1", source, "un deux", extracted="un  deux", changes=own + copy,
                    duplicates=({"path": "b.txt", "span": None, "kind": "near", "similarity": 0.9},))
    page = render_page(record)
    mine, _, copies = page.partition("Trouvé aussi dans")
    assert "Modifications (1)" in mine and "Titre 0" not in mine
    assert "Modifications faites à ces copies (3)" in copies and all(f"Titre {i}" in copies for i in range(3))
    alone = render_page(Record("r3", source, "un deux", extracted="un  deux", changes=own))
    assert "Modifications faites à ces copies" not in alone


def test_files_to_look_at_show_every_quarantine_then_each_kind_of_flag_rarest_first():
    """613 scraped pages flagged "no title" filled the table's 200 rows: the rarer flags were out of sight."""
    from pipeline.outputs.report.views import PER_KIND, problem_rows

    files = [{"path": f"p{i:03}.txt", "status": "ok", "reason": None,
              "flags": [f"record r{i:015x} has no title"]} for i in range(40)]
    files.append({"path": "long.txt", "status": "ok", "reason": None,
                  "flags": ["record r00000000000000aa is 5.2 times the median length of this file's records"]})
    files.append({"path": "x.pdf", "status": "quarantined", "reason": "corrupt PDF (EOF)", "flags": []})
    rows = problem_rows(files, {}, Words("fr"))
    assert [r.get("path") for r in rows[:2]] == ["x.pdf", "long.txt"]
    assert [r["path"] for r in rows[2:2 + PER_KIND]] == [f"p{i:03}.txt" for i in range(PER_KIND)]
    assert rows[-1] == {"more": f"et {40 - PER_KIND} autres fichiers signalés de même"}
    assert rows[0]["bad"] and "n'a pas de titre" in rows[2]["reason"]


def test_a_change_of_blanks_shows_its_blanks_as_signs():
    """A double space made one was shown as a struck space beside a space: nothing to see."""
    from pipeline.outputs.report.views import change_groups

    changes = [Change("repair", "collapse_spaces", "  ", " ", "a.txt", reason="runs of blanks inside a line"),
               Change("repair", "collapse_spaces", "\u00a0\u00a0", "\u00a0", "a.txt", reason="runs of blanks inside a line"),
               Change("repair", "collapse_spaces", " \u202f", "\u202f", "a.txt", reason="runs of blanks inside a line"),
               Change("repair", "trim_blanks", "\t\n", "", "a.txt", reason="blank lines and blanks at line ends: "
                      "layout, not text")]
    rows = [r for g in change_groups(changes, Words("fr")) for r in g["changes"]]
    assert [[(p["kind"], p["text"]) for p in r["pieces"]] for r in rows] == [
        [("del", "␣␣"), ("ins", "␣")], [("del", "⍽⍽"), ("ins", "⍽")], [("del", "␣ˌ"), ("ins", "ˌ")], [("del", "⇥↵")]]


def test_the_changes_table_follows_the_pipeline():
    """Sorted by stage code, the table read dédoublonnage, extraction, réparation, découpage."""
    from collections import Counter

    from pipeline.outputs.report.views import overview

    by_op = Counter({("segment", "move_to_title"): 3, ("deduplicate", "merge_near_duplicate"): 1,
                     ("extract", "read_by_ocr"): 2, ("repair", "typography"): 5, ("repair", "fix_encoding"): 4,
                     ("classify", "later_op"): 1})
    summary = {"files": 1, "ok": 1, "quarantined": 0, "skipped": 0, "records": 1}
    words = Words("fr")
    rows = overview({"summary": summary, "files": []}, [], (by_op, {}), words)["operations"]
    assert [r["code"] for r in rows] == ["read_by_ocr", "fix_encoding", "typography", "move_to_title",
                                         "merge_near_duplicate", "later_op"]
    assert rows[0]["stage"] == words.code("stage", "extract")


def test_every_word_of_the_templates_has_its_french():
    """A message the templates ask for (`_("…")`) that the catalogue lacks is shown in English on a French page:
    names.html's "%(name)s: all" went so once its entry was taken out."""
    from pathlib import Path

    from pipeline.outputs.report.words import _catalog

    catalog = _catalog("fr")
    folder = Path(__file__).resolve().parents[2] / "pipeline" / "outputs" / "report" / "templates"
    asked = set()
    for template in folder.glob("*.html"):
        text = template.read_text("utf-8")
        asked |= {m.group(2).replace('\\"', '"').replace("\\'", "'")
                  for m in re.finditer(r"""_\((["'])((?:\\.|(?!\1).)+)\1""", text)}
    assert len(asked) > 40
    missing = sorted(m for m in asked if catalog.get(m) is None or not catalog.get(m).string)
    assert not missing, missing


def test_the_kind_of_a_file_that_is_not_one_is_said_in_french():
    words = Words("fr")
    assert words.reason("a folder, not a regular file") == "un dossier, pas un fichier ordinaire"
    assert words.reason("a named pipe (FIFO), not a regular file: never opened") == \
        "un tube nommé (FIFO), pas un fichier ordinaire : jamais ouvert"
