"""report.html: the analyst's view of a run, one static file that opens from disk.

* At a glance: files by status, records, flagged files, duplicates merged,
  repairs by operation, quarantined files with their reasons, stage times.
* Charts (inline SVG, no library): records by theme, entities by type, dates
  over time, the organisations that appear most.
* A table of records, ordered by source file and place in it, with a filter
  (words, type, language, source folder; also from the address:
  `report.html?q=…&type=…&lang=…&folder=…`), and a page per record (shown when
  its anchor is targeted): fields, clean text with entities highlighted, the
  extracted text beside it with what was dropped struck through, every change
  grouped by what it did, small rewrites shown word by word, and the other
  places the same content was found.
* The interface is in French, like the documents.

Every piece of text from the documents goes through `html.escape`: a page
holding `<script>` shows it as text.  The page itself is deterministic; the
stage times of the last run come from `run.js` beside it, the one file that
differs between two runs of the same input.
"""

from __future__ import annotations

import difflib
import json
import html
import re
from collections import Counter
from itertools import groupby
from typing import Any

from ..record import Record

LABEL_COLOURS = {"ORG": "#d9e8fb", "LOC": "#dcf5dc", "PER": "#fbe3d3", "DATE": "#efe3fb", "MISC": "#eeeeee"}

CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header,main{max-width:1200px;margin:auto;padding:0 1.5rem}
h1{font-size:1.6rem;margin:1.2rem 0 .3rem}h2{font-size:1.25rem;margin-top:2rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.5rem}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:1rem}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5rem}
.record{display:none;background:#fff;border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
.record:target{display:block;position:fixed;inset:0;margin:0;overflow:auto;z-index:10;border-radius:0}.side{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.text{white-space:pre-wrap;font-family:Georgia,serif;border:1px solid #eee;padding:.6rem;max-height:40rem;overflow:auto}
mark{border-radius:3px;padding:0 2px}del{background:#fdd;text-decoration:line-through;white-space:pre-wrap}ins{background:#dfd;text-decoration:none;white-space:pre-wrap}
.muted{color:#777}.bad{color:#a00}code{background:#f3f3f3;padding:0 .2rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}.filters input[type=search]{min-width:18rem}
tr.group th{background:#eef3fb}
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def bar_chart(title: str, items: list[tuple[str, int]], width: int = 640) -> str:
    """A horizontal bar chart as inline SVG, labels at a readable size (the full label on hover)."""
    if not items:
        return f'<div class="chart"><h3>{esc(title)}</h3><p class="muted">rien à montrer</p></div>'
    top = max(v for _, v in items) or 1
    row = 26
    label_w = 300
    bars = []
    for i, (label, value) in enumerate(items):
        y = i * row
        w = max(1, int((width - label_w - 50) * value / top))
        short = label if len(label) <= 36 else label[:35] + "…"
        bars.append(
            f'<text x="{label_w - 6}" y="{y + 18}" text-anchor="end" font-size="14"><title>{esc(label)}</title>'
            f'{esc(short)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{w}" height="{row - 9}" fill="#5b8def"/>'
            f'<text x="{label_w + w + 4}" y="{y + 18}" font-size="14">{value}</text>')
    height = row * len(items)
    return (f'<div class="chart"><h3>{esc(title)}</h3><svg role="img" aria-label="{esc(title)}" width="100%" '
            f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">{"".join(bars)}</svg></div>')


def highlight(text: str, entities: list[dict[str, Any]]) -> str:
    """Clean text with entities in <mark>, everything escaped."""
    out, at = [], 0
    for e in sorted(entities, key=lambda e: (e["start"], -e["end"])):
        if e["start"] < at or e["end"] > len(text):
            continue
        out.append(esc(text[at:e["start"]]))
        colour = LABEL_COLOURS.get(e["label"], "#eee")
        out.append(f'<mark style="background:{colour}" title="{esc(e["label"])}: {esc(e["canonical"])}">'
                   f'{esc(text[e["start"]:e["end"]])}</mark>')
        at = e["end"]
    out.append(esc(text[at:]))
    return "".join(out)


# What each operation did, in the words of the interface (French, like the documents).
OPERATIONS = {
    "fix_encoding": "encodage réparé (ftfy)", "unicode_nfc": "forme Unicode normalisée",
    "unicode_nfkc": "forme Unicode normalisée", "typography": "typographie unifiée (apostrophes, guillemets, espaces)",
    "drop_page_furniture": "en-tête, pied ou numéro de page retiré", "drop_chrome": "habillage du site retiré",
    "drop_debris_line": "ligne de débris OCR retirée", "drop_debris_token": "débris OCR retiré dans une ligne",
    "ocr_word": "mot abîmé par l'OCR corrigé", "ocr_elision": "élision abîmée par l'OCR corrigée",
    "list_marker": "puce de liste unifiée", "dehyphenate": "césure de fin de ligne retirée",
    "join_hyphenated": "ligne coupée après un trait d'union recollée", "join_lines": "ligne coupée en pleine phrase recollée",
    "collapse_spaces": "espaces multiples réduites", "move_to_field": "étiquette ou date déplacée dans un champ",
    "drop_repeated_paragraph": "paragraphe répété retiré", "drop_near_paragraph": "paragraphe quasi identique retiré",
    "keep_fuller_paragraph": "la version la plus complète d'un paragraphe gardée",
    "add_paragraph_from_duplicate": "paragraphe repris d'un doublon", "merge_exact_duplicate": "doublon exact fusionné",
    "merge_near_duplicate": "quasi-doublon fusionné", "markdown_bold": "balise Markdown retirée",
    "markdown_italic": "balise Markdown retirée", "markdown_heading": "balise Markdown retirée",
    "markdown_link": "lien Markdown réduit à son texte", "markdown_image": "image Markdown réduite à son texte",
}
FIELD_NAMES = {"resource_type": "type de ressource", "private": "privée", "category": "catégorie"}


def human(operation: str) -> str:
    return OPERATIONS.get(operation, operation.replace("_", " "))


def why(reason: str | None) -> str:
    """A change's reason as a reader wants it: ftfy's explanation made readable."""
    if not reason:
        return ""
    return re.sub(r"apply\((\w+)\)", lambda m: m.group(1).replace("fix_", "").replace("_", " "), reason)


def word_diff(before: str, after: str) -> str:
    """A small rewrite shown word by word: only the words that changed are struck or inserted."""
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(esc("".join(a[i1:i2])))
            continue
        if i2 > i1:
            gone = "".join(a[i1:i2])
            out.append("<del>↵</del>" if not gone.strip() and "\n" in gone else f"<del>{esc(gone)}</del>")
        if j2 > j1:
            out.append(f"<ins>{esc(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def mark_removed(raw: str, befores: list[str]) -> str:
    """Extracted text with the passages that were dropped struck through (rewrites are in the changes)."""
    spans: list[tuple[int, int]] = []
    for before in sorted({b for b in befores if b.strip()}, key=len, reverse=True):
        start = raw.find(before)
        while start != -1:
            if not any(a < start + len(before) and start < b for a, b in spans):
                spans.append((start, start + len(before)))
                break
            start = raw.find(before, start + 1)
    out, at = [], 0
    for a, b in sorted(spans):
        out.append(esc(raw[at:a]))
        out.append(f"<del>{esc(raw[a:b])}</del>")
        at = b
    out.append(esc(raw[at:]))
    return "".join(out)


Changes = tuple[Counter, dict[str, int]]  # changes by (stage, operation); number of changes by record id


def count_changes(records: list[Record]) -> Changes:
    return Counter((c.stage, c.operation) for r in records for c in r.changes), {r.id: len(r.changes) for r in records}


def _overview(manifest: dict[str, Any], records: list[Record], changed: Changes) -> str:
    summary = manifest["summary"]
    by_op = changed[0]
    merged = sum(len(r.duplicates) for r in records)
    cards = [("fichiers", summary["files"]), ("lus", summary["ok"]), ("en quarantaine", summary["quarantined"]),
             ("ignorés", summary["skipped"]), ("signalés", summary.get("flagged", 0)), ("fiches", summary["records"]),
             ("doublons fusionnés", merged), ("modifications", sum(by_op.values()))]
    parts = ['<div class="cards">' + "".join(f'<div class="card"><b>{v}</b>{esc(k)}</div>' for k, v in cards)
             + "</div>"]
    parts.append('<h2>Durée des étapes du dernier passage</h2><div id="stage-times" class="muted">'
                 "run.js (écrit à côté de cette page à chaque passage) est introuvable.</div>")
    ids_by_path: dict[str, list[Record]] = {}
    for r in records:
        ids_by_path.setdefault(r.source.path, []).append(r)
    problems = [f for f in manifest["files"] if f["status"] != "ok" or f.get("flags")]
    parts.append("<h2>Fichiers à regarder</h2>")
    if problems:
        rows = "".join(
            f'<tr><td>{esc(f["path"])}</td><td class="{"bad" if f["status"] == "quarantined" else ""}">'
            f'{esc(STATUS.get(f["status"], f["status"]))}</td><td>{esc(f["reason"] or "; ".join(f.get("flags", [])))}'
            f'</td><td>{_links(ids_by_path.get(f["path"], []))}</td></tr>'
            for f in problems)
        parts.append(f"<table><tr><th>fichier</th><th>statut</th><th>raison ou signalement</th><th>fiches</th></tr>"
                     f"{rows}</table>")
    else:
        parts.append('<p class="muted">chaque fichier a été lu et découpé sans avertissement.</p>')
    parts.append("<h2>Modifications, par ce qu'elles ont fait</h2><table><tr><th>étape</th><th>modification</th>"
                 "<th>nombre</th></tr>")
    parts.append("".join(f'<tr><td>{esc(s)}</td><td title="{esc(o)}">{esc(human(o))}</td><td>{n}</td></tr>'
                         for (s, o), n in sorted(by_op.items())) + "</table>")
    return "".join(parts)


STATUS = {"ok": "lu", "quarantined": "en quarantaine", "skipped": "ignoré"}


def _links(records: list[Record]) -> str:
    return ", ".join(f'<a href="{page_href(r)}">{esc(r.title or "(sans titre)")}</a>' for r in records)


PAGES = "pages"  # the folder beside report.html holding one page per record


def page_href(r: Record) -> str:
    return f"{PAGES}/{esc(r.id)}.html"


def _charts(records: list[Record]) -> str:
    themes = Counter(t for r in records for t in r.themes)
    labels = Counter(e["label"] for r in records for e in r.entities)
    years = Counter(int(d["start"][:4]) for r in records for d in r.dates if d["start"])
    every_year = [(str(y), years.get(y, 0)) for y in range(min(years), max(years) + 1)] if years else []
    organisations = Counter(o for r in records for o in r.organisations)
    return ('<div class="charts">'
            + bar_chart("Fiches par thème", themes.most_common(12))
            + bar_chart("Mentions d'entités par type", sorted(labels.items()))
            + bar_chart("Dates citées, par année (toutes les années de l'intervalle)", every_year)
            + bar_chart("Organisations présentes dans le plus de fiches", organisations.most_common(12))
            + "</div>")


def _in_order(records: list[Record]) -> list[Record]:
    """By source file, then place in it: the pages of one dump stay together, in order."""
    return sorted(records, key=lambda r: (r.source.path, (r.source.span or [0])[0], r.id))


def _record_table(records: list[Record], changed: dict[str, int]) -> str:
    def folder(r: Record) -> str:
        return r.source.path.rsplit("/", 1)[0] if "/" in r.source.path else "."

    def options(name: str, values: set[str]) -> str:
        return (f'<select id="f-{name}"><option value="">{esc(FILTERS[name])} : tous</option>'
                + "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in sorted(values)) + "</select>")

    rows = "".join(
        f'<tr data-type="{esc(r.doc_type)}" data-lang="{esc(r.language or "")}" data-folder="{esc(folder(r))}" '
        f'data-flagged="{"1" if r.flags else ""}" data-theme="{esc(" ".join(r.themes))}">'
        f'<td><a href="{page_href(r)}">{esc(r.title or "(sans titre)")}</a></td><td>{esc(r.source.path)}</td>'
        f"<td>{esc(r.doc_type)}</td><td>{esc(r.language)}</td><td>{esc(', '.join(r.themes))}</td>"
        f"<td>{len(r.entities)}</td><td>{len(r.duplicates)}</td><td>{changed.get(r.id, 0)}</td></tr>"
        for r in records)
    controls = ('<div class="filters"><input id="f-q" type="search" placeholder="chercher dans les titres et les sources">'
                + options("type", {r.doc_type for r in records}) + options("lang", {r.language or "" for r in records} - {""})
                + options("folder", {folder(r) for r in records})
                + options("theme", {t for r in records for t in r.themes})
                + '<label><input id="f-flagged" type="checkbox"> signalées seulement</label>'
                + '<span id="f-count" class="muted"></span></div>')
    return (controls + '<table id="records-table"><tr><th>titre</th><th>source</th><th>type</th><th>langue</th>'
            f"<th>thèmes</th><th>entités</th><th>doublons</th><th>modifications</th></tr>{rows}</table>")


FILTERS = {"type": "type", "lang": "langue", "folder": "dossier", "theme": "thème"}


def _date(d: dict[str, Any]) -> str:
    if not d["start"]:
        return f'{d["text"]} → année non résolue'
    return f'{d["text"]} → {d["start"]}' if d["start"] == d["end"] else f'{d["text"]} → {d["start"]} … {d["end"]}'


def _change_rows(r: Record) -> str:
    rows = []
    for operation, group in groupby(sorted(r.changes, key=lambda c: (OPERATION_ORDER.get(c.operation, 99),
                                                                      c.operation)), key=lambda c: c.operation):
        changes = list(group)
        rows.append(f'<tr class="group"><th colspan="3">{esc(human(operation))} ({len(changes)})</th></tr>')
        for c in changes:
            small = c.before and c.after and max(len(c.before), len(c.after)) <= 400
            shown = word_diff(c.before, c.after) if small else (
                f"<del>{esc(c.before)}</del>" + (f" <ins>{esc(c.after)}</ins>" if c.after else ""))
            rows.append(f"<tr><td>{esc(c.stage)}</td><td>{shown}</td><td>{esc(why(c.reason))}</td></tr>")
    return "".join(rows)


OPERATION_ORDER = {op: i for i, op in enumerate(OPERATIONS)}


def _record_page(r: Record) -> str:
    span = r.source.span
    raw = r.extracted[span[0]:span[1]] if r.extracted is not None and span else (r.extracted or "")
    metadata = {FIELD_NAMES.get(k, k): v for k, v in r.metadata.items() if v is not None}
    fields = [("identifiant", r.id), ("source", f"{r.source.path} ({r.source.format}, {r.source.extraction})"),
              ("pages", r.source.pages), ("pages passées à l'OCR", r.source.ocr_pages),
              ("confiance de l'OCR", f"{r.source.ocr_confidence:.1f} / 100" if r.source.ocr_confidence else None),
              ("position dans le texte extrait", span),
              ("publiée", r.published), ("mise à jour", r.updated), ("langue", r.language), ("type", r.doc_type),
              ("champs de la source", ", ".join(f"{k} : {v}" for k, v in metadata.items())),
              ("organisations", ", ".join(r.organisations)), ("lieux", ", ".join(r.places)),
              ("personnes", ", ".join(r.people)), ("dates", "; ".join(_date(d) for d in r.dates)),
              ("thèmes", "; ".join(f"{t} ({', '.join(w)})" for t, w in r.themes_evidence.items())),
              ("signalements", "; ".join(r.flags))]
    table = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in fields if v not in (None, "", []))
    duplicates = "".join(f"<li>{esc(d['path'])} {esc(d['span'])} : {esc('copie exacte' if d['kind'] == 'exact' else 'copie proche')}, "
                         f"similarité {esc(d['similarity'])}</li>" for d in r.duplicates) or '<li class="muted">nulle part ailleurs</li>'
    dropped = [c.before for c in r.changes if c.before and not c.after]
    return (f'<section class="record" id="rec-{esc(r.id)}"><h2>{esc(r.title or "(sans titre)")}</h2>'
            f'<p><a href="../report.html#records">retour à la liste</a></p><table>{table}</table>'
            f'<div class="side"><div><h3>Texte extrait (ce qui a été retiré est barré)</h3>'
            f'<div class="text">{mark_removed(raw, dropped)}</div></div>'
            f'<div><h3>Texte nettoyé (entités surlignées)</h3><div class="text">{highlight(r.text, r.entities)}</div>'
            f"</div></div><h3>Modifications ({len(r.changes)}), par ce qu'elles ont fait</h3>"
            f"<table><tr><th>étape</th><th>avant → après</th><th>pourquoi</th></tr>{_change_rows(r)}</table>"
            f"<h3>Trouvé aussi dans</h3><ul>{duplicates}</ul></section>")


SCRIPT = """
(function(){var box=document.getElementById('stage-times');var run=window.GLANEUR_RUN;
if(box&&run&&run.stages){
var rows=run.stages.map(function(s){return '<tr><td>'+s.name+'</td><td>'+s.computed+'</td><td>'+s.cached+'</td><td>'
+s.seconds.toFixed(2)+'</td></tr>';}).join('');
box.className='';box.innerHTML='<table><tr><th>étape</th><th>calculées</th><th>en cache</th><th>secondes</th></tr>'+rows
+'</table><p class="muted">passage en '+run.seconds.toFixed(1)+' s</p>';}
function el(id){return document.getElementById(id);}
var params=new URLSearchParams(location.search);
['q','type','lang','folder','theme'].forEach(function(k){if(params.get(k)!==null){el('f-'+k).value=params.get(k);}});
if(params.get('flagged')){el('f-flagged').checked=true;}
function fold(t){return t.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').toLowerCase();}
function apply(){var q=fold(el('f-q').value),shown=0;
var rows=document.querySelectorAll('#records-table tr[data-type]');
rows.forEach(function(tr){var ok=(!q||fold(tr.textContent).indexOf(q)>=0)
&&(!el('f-type').value||tr.dataset.type===el('f-type').value)
&&(!el('f-lang').value||tr.dataset.lang===el('f-lang').value)
&&(!el('f-folder').value||tr.dataset.folder===el('f-folder').value)
&&(!el('f-theme').value||(' '+tr.dataset.theme+' ').indexOf(' '+el('f-theme').value+' ')>=0)
&&(!el('f-flagged').checked||tr.dataset.flagged==='1');
tr.style.display=ok?'':'none';if(ok){shown++;}});
el('f-count').textContent=shown+' fiche(s) sur '+rows.length;}
['f-q','f-type','f-lang','f-folder','f-theme','f-flagged'].forEach(function(id){el(id).addEventListener('input',apply);
el(id).addEventListener('change',apply);});apply();})();
"""


def _index(records: list[Record]) -> str:
    """Places and organisations, each with the records that mention it."""
    parts = []
    for title, names in (("Lieux", lambda r: r.places), ("Organisations", lambda r: r.organisations),
                         ("Personnes", lambda r: r.people)):
        where: dict[str, list[Record]] = {}
        for r in records:
            for name in names(r):
                where.setdefault(name, []).append(r)
        items = "".join(f"<li><b>{esc(name)}</b> : {_links(rs)}</li>" for name, rs in sorted(where.items()))
        parts.append(f'<details><summary>{esc(title)} ({len(where)})</summary><ul>{items}</ul></details>')
    return "".join(parts)


def render(records: list[Record], manifest: dict[str, Any], changed: Changes | None = None) -> str:
    """The index page: the run, the charts, the records with their filter, and the indexes.  `records` may be
    headers (outputs.header: no text, no changes) when `changed` counts their changes."""
    changed = changed or count_changes(records)
    records = _in_order(records)
    return ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>glaneur — rapport</title>"
            f"<style>{CSS}</style></head><body><header><h1>glaneur — rapport du corpus</h1>"
            f'<p class="muted">{manifest["summary"]["files"]} fichiers, {manifest["summary"]["records"]} fiches. '
            f"Chaque fiche a sa page (dossier {PAGES}/) : cliquez sur son titre.</p></header><main>"
            f"<h2>Le passage en un coup d'œil</h2>{_overview(manifest, records, changed)}"
            f"<h2>Graphiques</h2>{_charts(records)}"
            f'<h2 id="records">Fiches</h2>{_record_table(records, changed[1])}'
            f'<h2 id="index">Index</h2>{_index(records)}'
            + f'</main><script src="run.js"></script><script>{SCRIPT}</script></body></html>\n')


def render_page(r: Record, picture: bool = False) -> str:
    """A record's own page (`pages/ID.html`): the report grows with the corpus without one page holding it
    all.  With `picture`, it shows its source image (`ID.png` beside the page)."""
    figure = ""
    if picture:
        figure = (f'<figure><img src="{esc(r.id)}.png" alt="page 1 de {esc(r.source.path)}" '
                  f'style="max-width:100%;border:1px solid #ccc"><figcaption class="muted">la source, lue par OCR'
                  f'{f" (confiance {r.source.ocr_confidence:.1f} / 100)" if r.source.ocr_confidence else ""}'
                  f"</figcaption></figure>")
    return ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(r.title or '(sans titre)')} — glaneur</title><style>{CSS}"
            ".record{display:block}</style></head><body><main>"
            f"{_record_page(r)}{figure}</main></body></html>\n")


def thumbnail(data: bytes, fmt: str, width: int = 480) -> bytes | None:
    """A small PNG of page 1 of an OCR'd source (an image, or a scanned PDF), or None when it cannot be made."""
    import io

    from PIL import Image

    try:
        if fmt == "pdf":
            import pypdfium2

            pdf = pypdfium2.PdfDocument(data)
            try:
                page = pdf[0]
                image = page.render(scale=width / page.get_size()[0]).to_pil()
            finally:
                pdf.close()
        else:
            Image.MAX_IMAGE_PIXELS = None  # the file was read under [extract] max_pixels already
            image = Image.open(io.BytesIO(data))
            image.draft("L", (width, width * 4))
            image = image.convert("L")
        image.thumbnail((width, width * 4))
        out = io.BytesIO()
        image.convert("L").save(out, format="PNG", optimize=False)
        return out.getvalue()
    except Exception:  # a thumbnail is a courtesy: never a reason for the run to fail
        return None


def run_js(stats: list[Any], seconds: float) -> str:
    data = {"seconds": round(seconds, 3), "stages": [
        {"name": s.name, "computed": s.computed, "cached": s.cached, "seconds": round(s.seconds, 3)} for s in stats]}
    return f"window.GLANEUR_RUN = {json.dumps(data)};\n"
