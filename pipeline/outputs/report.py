"""report.html: the analyst's view of a run, one static file that opens from disk.

* At a glance: files by status, records, flagged files, duplicates merged,
  repairs by operation, quarantined files with their reasons, stage times.
* Charts (inline SVG, no library): records by theme, entities by type, dates
  over time, the organisations that appear most.
* A table of records, and a page per record (shown when its anchor is
  targeted): fields, clean text with entities highlighted, the extracted text
  beside it with what was removed or changed marked, every change, and the
  other places the same content was found.

Every piece of text from the documents goes through `html.escape`: a page
holding `<script>` shows it as text.  The page itself is deterministic; the
stage times of the last run come from `run.js` beside it, the one file that
differs between two runs of the same input.
"""

from __future__ import annotations

import html
import json
from collections import Counter
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
th{background:#f0f0f0}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:1rem}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5rem}
.record{display:none;background:#fff;border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
.record:target{display:block;position:fixed;inset:0;margin:0;overflow:auto;z-index:10;border-radius:0}.side{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.text{white-space:pre-wrap;font-family:Georgia,serif;border:1px solid #eee;padding:.6rem;max-height:40rem;overflow:auto}
mark{border-radius:3px;padding:0 2px}del{background:#fdd;text-decoration:line-through;white-space:pre-wrap}ins{background:#dfd;text-decoration:none;white-space:pre-wrap}
.muted{color:#777}.bad{color:#a00}code{background:#f3f3f3;padding:0 .2rem}
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def bar_chart(title: str, items: list[tuple[str, int]], width: int = 520) -> str:
    """A horizontal bar chart as inline SVG."""
    if not items:
        return f'<div class="chart"><h3>{esc(title)}</h3><p class="muted">nothing to show</p></div>'
    top = max(v for _, v in items) or 1
    row = 22
    label_w = 230
    bars = []
    for i, (label, value) in enumerate(items):
        y = i * row
        w = max(1, int((width - label_w - 50) * value / top))
        short = label if len(label) <= 30 else label[:29] + "…"
        bars.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12"><title>{esc(label)}</title>'
            f'{esc(short)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row - 8}" fill="#5b8def"/>'
            f'<text x="{label_w + w + 4}" y="{y + 15}" font-size="12">{value}</text>')
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


def mark_removed(raw: str, befores: list[str]) -> str:
    """Extracted text with the passages that changes removed or rewrote in <del>."""
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


def _overview(manifest: dict[str, Any], records: list[Record]) -> str:
    summary = manifest["summary"]
    changes = Counter(c.operation for r in records for c in r.changes)
    merged = sum(len(r.duplicates) for r in records)
    cards = [("files", summary["files"]), ("ok", summary["ok"]), ("quarantined", summary["quarantined"]),
             ("skipped", summary["skipped"]), ("flagged", summary.get("flagged", 0)), ("records", summary["records"]),
             ("duplicates merged", merged), ("changes", sum(changes.values()))]
    parts = ['<div class="cards">' + "".join(f'<div class="card"><b>{v}</b>{esc(k)}</div>' for k, v in cards)
             + "</div>"]
    parts.append('<h2>Stage times of the last run</h2><div id="stage-times" class="muted">'
                 'run.js (written beside this page by each run) was not found.</div>')
    problems = [f for f in manifest["files"] if f["status"] != "ok" or f.get("flags")]
    parts.append("<h2>Files that need a look</h2>")
    if problems:
        rows = "".join(
            f'<tr><td>{esc(f["path"])}</td><td class="{"bad" if f["status"] == "quarantined" else ""}">'
            f'{esc(f["status"])}</td><td>{esc(f["reason"] or "; ".join(f.get("flags", [])))}</td></tr>'
            for f in problems)
        parts.append(f"<table><tr><th>file</th><th>status</th><th>reason or flag</th></tr>{rows}</table>")
    else:
        parts.append('<p class="muted">every file was read and segmented without a warning.</p>')
    parts.append("<h2>Changes by operation</h2><table><tr><th>stage</th><th>operation</th><th>count</th></tr>")
    by_op = Counter((c.stage, c.operation) for r in records for c in r.changes)
    parts.append("".join(f"<tr><td>{esc(s)}</td><td>{esc(o)}</td><td>{n}</td></tr>"
                         for (s, o), n in sorted(by_op.items())) + "</table>")
    return "".join(parts)


def _charts(records: list[Record]) -> str:
    themes = Counter(t for r in records for t in r.themes)
    labels = Counter(e["label"] for r in records for e in r.entities)
    years = Counter(d["start"][:4] for r in records for d in r.dates if d["start"])
    organisations = Counter(o for r in records for o in r.organisations)
    return ('<div class="charts">'
            + bar_chart("Records by theme", themes.most_common(12))
            + bar_chart("Entity mentions by type", sorted(labels.items()))
            + bar_chart("Dates mentioned, by year", sorted(years.items()))
            + bar_chart("Organisations in the most records", organisations.most_common(12))
            + "</div>")


def _record_table(records: list[Record]) -> str:
    rows = "".join(
        f'<tr><td><a href="#rec-{esc(r.id)}">{esc(r.title or "(sans titre)")}</a></td><td>{esc(r.source.path)}</td>'
        f"<td>{esc(r.doc_type)}</td><td>{esc(r.language)}</td><td>{esc(', '.join(r.themes))}</td>"
        f"<td>{len(r.entities)}</td><td>{len(r.duplicates)}</td><td>{len(r.changes)}</td></tr>"
        for r in records)
    return ("<table><tr><th>title</th><th>source</th><th>type</th><th>lang</th><th>themes</th><th>entities</th>"
            f"<th>duplicates</th><th>changes</th></tr>{rows}</table>")


def _record_page(r: Record) -> str:
    span = r.source.span
    raw = r.extracted[span[0]:span[1]] if r.extracted is not None and span else (r.extracted or "")
    fields = [("id", r.id), ("source", f"{r.source.path} ({r.source.format}, {r.source.extraction})"),
              ("pages", r.source.pages), ("OCR pages", r.source.ocr_pages), ("span", span),
              ("published", r.published), ("updated", r.updated), ("language", r.language), ("type", r.doc_type),
              ("metadata", json.dumps(r.metadata, ensure_ascii=False, sort_keys=True)),
              ("organisations", ", ".join(r.organisations)), ("places", ", ".join(r.places)),
              ("people", ", ".join(r.people)),
              ("dates", "; ".join(f'{d["text"]} → {d["start"]}…{d["end"]}' for d in r.dates)),
              ("themes", "; ".join(f"{t} ({', '.join(w)})" for t, w in r.themes_evidence.items()))]
    table = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in fields)
    changes = "".join(
        f"<tr><td>{esc(c.stage)}</td><td>{esc(c.operation)}</td><td><del>{esc(c.before)}</del></td>"
        f"<td><ins>{esc(c.after)}</ins></td><td>{esc(c.reason)}</td></tr>" for c in r.changes)
    duplicates = "".join(f"<li>{esc(d['path'])} {esc(d['span'])}: {esc(d['kind'])}, similarity {esc(d['similarity'])}</li>"
                         for d in r.duplicates) or '<li class="muted">none</li>'
    removed = [c.before for c in r.changes if c.before and c.before != c.after]
    return (f'<section class="record" id="rec-{esc(r.id)}"><h2>{esc(r.title or "(sans titre)")}</h2>'
            f'<p><a href="#records">back to the list</a></p><table>{table}</table>'
            f'<div class="side"><div><h3>Extracted text (removed or rewritten in red)</h3>'
            f'<div class="text">{mark_removed(raw, removed)}</div></div>'
            f'<div><h3>Clean text (entities highlighted)</h3><div class="text">{highlight(r.text, r.entities)}</div>'
            f"</div></div><h3>Changes ({len(r.changes)})</h3><table><tr><th>stage</th><th>operation</th><th>before</th>"
            f"<th>after</th><th>why</th></tr>{changes}</table><h3>Also found at</h3><ul>{duplicates}</ul></section>")


SCRIPT = """
(function(){var box=document.getElementById('stage-times');var run=window.GLANEUR_RUN;
if(!box||!run||!run.stages){return;}
var rows=run.stages.map(function(s){return '<tr><td>'+s.name+'</td><td>'+s.computed+'</td><td>'+s.cached+'</td><td>'
+s.seconds.toFixed(2)+'</td></tr>';}).join('');
box.className='';box.innerHTML='<table><tr><th>stage</th><th>computed</th><th>cached</th><th>seconds</th></tr>'+rows
+'</table><p class="muted">run took '+run.seconds.toFixed(1)+' s</p>';})();
"""


def render(records: list[Record], manifest: dict[str, Any]) -> str:
    records = sorted(records, key=lambda r: r.id)
    return ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>glaneur — rapport</title>"
            f"<style>{CSS}</style></head><body><header><h1>glaneur — rapport du corpus</h1>"
            f'<p class="muted">{manifest["summary"]["files"]} files, {manifest["summary"]["records"]} records. '
            "Every record has its own page: click its title.</p></header><main>"
            f"<h2>The run at a glance</h2>{_overview(manifest, records)}<h2>Charts</h2>{_charts(records)}"
            f'<h2 id="records">Records</h2>{_record_table(records)}'
            + "".join(_record_page(r) for r in records)
            + f'</main><script src="run.js"></script><script>{SCRIPT}</script></body></html>\n')


def run_js(stats: list[Any], seconds: float) -> str:
    data = {"seconds": round(seconds, 3), "stages": [
        {"name": s.name, "computed": s.computed, "cached": s.cached, "seconds": round(s.seconds, 3)} for s in stats]}
    return f"window.GLANEUR_RUN = {json.dumps(data)};\n"
