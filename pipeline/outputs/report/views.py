"""What each page shows, as plain data in the reader's words: the templates only lay it out.

Pure functions of records (or their headers), the manifest and the catalogue's `Words`; nothing here
writes markup or escapes anything.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote
from itertools import groupby
from typing import Any, Sequence

from ...record import Change, Record
from ...versions import VERSIONS
from ..manifest import flags_by_kind
from ...text.replay import given_text, pieces
from .fragments import highlighted, word_diff
from .words import Words

PAGES = "pages"  # the folder beside report.html holding one page per record
FIRST_ROWS = 100  # rows of the records table written in report.html; the rest come from records.js
MAX_PROBLEMS = 200  # rows under "Files to look at"; every file is in manifest.json
PER_KIND = 10  # files shown of one kind of flag
LABEL_COLOURS = {"ORG": "#d9e8fb", "LOC": "#dcf5dc", "PER": "#fbe3d3", "DATE": "#efe3fb", "MISC": "#eeeeee"}
# what each operation did, in this order on a record's page
OPERATION_ORDER = ("fix_encoding", "unicode_nfc", "unicode_nfkc", "typography", "read_by_ocr", "drop_page_furniture",
                   "drop_chrome", "drop_debris_line", "drop_debris_token", "ocr_digits", "ocr_word", "ocr_elision",
                   "columns_read_apart", "list_marker", "dehyphenate", "join_hyphenated", "join_lines", "collapse_spaces",
                   "page_break", "trim_blanks", "move_to_title", "move_to_field", "segment_layout", "page_bounds",
                   "drop_repeated_paragraph", "drop_near_paragraph", "keep_fuller_paragraph",
                   "add_paragraph_from_duplicate", "merge_exact_duplicate", "merge_near_duplicate")
OPERATION_RANK = {op: i for i, op in enumerate(OPERATION_ORDER)}  # an operation not listed comes after them all


def _operation_key(operation: str) -> tuple[int, str]:
    return OPERATION_RANK.get(operation, len(OPERATION_ORDER)), operation

Changes = tuple[Counter, dict[str, int]]  # changes by (stage, operation); number of changes by record id


def count_changes(records: list[Record]) -> Changes:
    return Counter((c.stage, c.operation) for r in records for c in r.changes), {r.id: len(r.changes) for r in records}


def in_order(records: list[Record]) -> list[Record]:
    """By source file, then place in it: the pages of one dump stay together, in order."""
    return sorted(records, key=lambda r: (r.source.path, (r.source.span or [0])[0], r.id))


def folder(r: Record) -> str:
    return r.source.path.rsplit("/", 1)[0] if "/" in r.source.path else "."


def page_href(r: Record) -> str:
    return f"{PAGES}/{r.id}.html"


def title(r: Record, words: Words) -> str:
    return r.title or words("(untitled)")


def overview(manifest: dict[str, Any], records: list[Record], changed: Changes, words: Words) -> dict[str, Any]:
    summary = manifest["summary"]
    by_op = changed[0]
    cards = [(label, words.number(int(n))) for label, n in (
        (words("files"), summary["files"]), (words("read"), summary["ok"]),
        (words("quarantined"), summary["quarantined"]), (words("skipped"), summary["skipped"]),
        (words("flagged"), summary.get("flagged", 0)), (words("records"), summary["records"]),
        (words("duplicates merged"), sum(len(r.duplicates) for r in records)),
        (words("changes"), sum(by_op.values())))]
    by_path: dict[str, list[Record]] = {}
    for r in records:
        by_path.setdefault(r.source.path, []).append(r)
    rows = problem_rows(manifest["files"], by_path, words)
    problems = [f for f in manifest["files"] if f["status"] != "ok" or f.get("flags")]
    merged: dict[tuple[str, str], list] = {}  # operations that read the same (three Markdown markers) are one row
    # the stages in the pipeline's order, each one's operations in the order of a record's page
    stages = {name: i for i, name in enumerate(VERSIONS)}
    for (s, o), n in sorted(by_op.items(), key=lambda item: (stages.get(item[0][0], len(stages)), item[0][0],
                                                             *_operation_key(item[0][1]))):
        row = merged.setdefault((words.code("stage", s), words.code("operation", o)), [[], 0])
        row[0].append(o)
        row[1] += n
    operations = [{"stage": s, "operation": o, "code": ", ".join(codes), "n": words.number(n)}
                  for (s, o), (codes, n) in merged.items()]
    shown = len({row["path"] for row in rows if "path" in row})
    return {"cards": cards, "problems": rows, "more_problems": max(0, len(problems) - shown),
            "operations": operations}


def problem_rows(files: list[dict[str, Any]], by_path: dict[str, list[Record]], words: Words) -> list[dict[str, Any]]:
    """The files to look at: every file not read (quarantined), then the flags kind by kind, the rarest kind
    first, at most `PER_KIND` files of a kind and a row saying how many more (613 scraped pages flagged "no
    title" made the table 200 rows of one kind, the rarer flags out of sight); `MAX_PROBLEMS` rows at most."""
    rows: list[dict[str, Any]] = []
    for f in files:
        if f["status"] != "ok":
            rows.append({"path": f["path"], "status": words.code("status", f["status"]),
                         "bad": f["status"] == "quarantined", "reason": words.reason(f["reason"]) if f["reason"] else "",
                         "records": [link(r, words) for r in by_path.get(f["path"], [])]})
    for kind, flagged in sorted(flags_by_kind(files).items(), key=lambda item: (len(item[1]), item[0])):
        for f, notes in flagged[:PER_KIND]:
            rows.append({"path": f["path"], "status": words.code("status", f["status"]), "bad": False,
                         "reason": "; ".join(words.reason(x) for x in notes),
                         "records": [link(r, words) for r in by_path.get(f["path"], []) if any(r.id in x for x in notes)]})
        if len(flagged) > PER_KIND:
            rows.append({"more": words("and %(n)s more files flagged so", n=words.number(len(flagged) - PER_KIND))})
    return rows[:MAX_PROBLEMS]


def link(r: Record, words: Words, prefix: str = "") -> dict[str, str]:
    return {"href": prefix + page_href(r), "title": title(r, words)}


def bar_chart(title_: str, items: list[tuple[str, int]], words: Words, width: int = 640) -> dict[str, Any]:
    """A horizontal bar chart's geometry (inline SVG in the template); labels cut at 36 characters at a word's
    end, the full label on hover; values written as the reader's language writes numbers (7 004)."""
    top = max((v for _, v in items), default=0) or 1
    row, label_w = 26, 300
    bars = []
    for i, (label, value) in enumerate(items):
        short = label if len(label) <= 36 else label[:35].rsplit(" ", 1)[0] + "…"
        bars.append({"label": label, "short": short, "value": words.number(value), "y": i * row,
                     "width": max(1, int((width - label_w - 50) * value / top))})
    return {"title": title_, "bars": bars, "width": width, "height": row * len(items), "label_w": label_w}


def charts(records: list[Record], words: Words) -> list[dict[str, Any]]:
    themes = Counter(t for r in records for t in r.themes)
    labels = Counter(words.code("label", e["label"]) for r in records for e in r.entities)
    years = Counter(int(d["start"][:4]) for r in records for d in r.dates if d["start"])
    every_year = [(str(y), years.get(y, 0)) for y in range(min(years), max(years) + 1)] if years else []
    organisations = Counter(o for r in records for o in r.organisations)
    return [bar_chart(words("Records by theme"), themes.most_common(12), words),
            bar_chart(words("Entity mentions by type"), sorted(labels.items()), words),
            bar_chart(words("Dates cited, by year (every year of the span)"), every_year, words),
            bar_chart(words("Organisations in the most records"), organisations.most_common(12), words)]


def record_rows(records: list[Record], changed: dict[str, int], words: Words) -> list[dict[str, Any]]:
    """One row per record, in order, for the table and for records.js."""
    return [{"href": page_href(r), "title": title(r, words), "path": r.source.path, "type": r.doc_type,
             "type_words": words.code("doc_type", r.doc_type), "lang": r.language or "",
             "lang_words": words.language_name(r.language), "folder": folder(r),
             "flagged": bool(r.flags), "themes": list(r.themes), "entities": len(r.entities),
             "duplicates": len(r.duplicates), "changes": changed.get(r.id, 0),
             "names": " ".join([*r.organisations, *r.places, *r.people])} for r in records]


def filters(records: list[Record], words: Words) -> list[dict[str, Any]]:
    def options(values: set[str], kind: str | None = None) -> list[tuple[str, str]]:
        return [(v, words.code(kind, v) if kind else (words("root folder") if v == "." else v)) for v in sorted(values)]

    # each filter's "any" says its own words: French agrees them ("toutes les langues", "tous les types")
    return [{"name": "type", "all": words("all types"), "options": options({r.doc_type for r in records}, "doc_type")},
            {"name": "lang", "all": words("all languages"),
             "options": [(v, words.language_name(v)) for v in sorted({r.language for r in records if r.language})]},
            {"name": "folder", "all": words("all folders"), "options": options({folder(r) for r in records})},
            {"name": "theme", "all": words("all themes"), "options": options({t for r in records for t in r.themes})}]


NAMES_SHOWN = 100  # names written in names.html (the most named first); names.js holds them all
LINKS_SHOWN = 10  # records linked beside a name; the others through the report's search


def names_index(records: list[Record], words: Words) -> list[dict[str, Any]]:
    """Places, organisations and people, the most named first (then by name): each with its kind, the
    number of records that name it and their rows in `records` (the order of records.js)."""
    from ...text.fold import fold_name

    entries = []
    for kind, names in (("LOC", lambda r: r.places), ("ORG", lambda r: r.organisations), ("PER", lambda r: r.people)):
        where: dict[str, list[int]] = {}
        for i, r in enumerate(records):
            for name in names(r):
                where.setdefault(name, []).append(i)
        entries += [{"kind": kind, "name": name, "rows": rows, "n": len(rows)} for name, rows in where.items()]
    entries.sort(key=lambda e: (-e["n"], fold_name(e["name"]), e["kind"]))
    return entries


def names_page(records: list[Record], entries: list[dict[str, Any]], words: Words) -> dict[str, Any]:
    """What names.html writes: the first names, in words, with their first records and a link to the
    report's table showing every record the index counts for the name; and the kinds to filter by."""
    shown = [{**e, "kind_words": words.code("label", e["kind"]), "n_words": words.number(e["n"]),
              "links": [link(records[i], words) for i in e["rows"][:LINKS_SHOWN]], "more": max(0, e["n"] - LINKS_SHOWN),
              "search": "report.html?name=" + quote(f"{e['kind']}:{e['name']}")} for e in entries[:NAMES_SHOWN]]
    kinds = [(k, words.code("label", k)) for k in ("LOC", "ORG", "PER")]
    return {"names": shown, "total": len(entries), "total_words": words.number(len(entries)), "kinds": kinds,
            "page_size": NAMES_SHOWN, "links_shown": LINKS_SHOWN}


def names_data(entries: list[dict[str, Any]]) -> list[list[Any]]:
    """names.js's rows: kind, name, number of records, their rows in records.js."""
    return [[e["kind"], e["name"], e["n"], e["rows"]] for e in entries]


def date_text(d: dict[str, Any], words: Words) -> str:
    if not d["start"]:
        return words("%(text)s → year not resolved", text=d["text"])
    if d["start"] == d["end"]:
        day = words.date(d["start"])
        if d["text"].strip().casefold() in (day.casefold(), d["start"]) or _ISO.fullmatch(d["text"].strip()):
            return day  # said once: "1 mars 2024", not "1 mars 2024 → 1 mars 2024" nor a code
        return words("%(text)s → %(day)s", text=d["text"], day=day)
    return words("%(text)s → %(start)s … %(end)s", text=d["text"], start=words.date(d["start"]),
                 end=words.date(d["end"]))


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _value(value: Any, words: Words) -> str:
    if value is True:
        return words("yes")
    if value is False:
        return words("no")
    return str(value)


def record_fields(r: Record, words: Words) -> list[tuple[str, str]]:
    """A record's fields in words: no list, no null, no code."""
    span = r.source.span
    metadata = [f"{words.code('field', k)} : {_value(v, words)}" for k, v in r.metadata.items() if v is not None]
    source = f"{r.source.path} ({words('%(format)s file, %(extraction)s', format=r.source.format, extraction=words.code('extraction', r.source.extraction))})"
    fields = [(words("identifier"), r.id), (words("source"), source),
              (words("pages"), ", ".join(str(p) for p in r.source.pages or [])),
              (words("pages read by OCR"), ", ".join(str(p) for p in r.source.ocr_pages or [])),
              (words("OCR confidence"), words("%(value)s out of 100", value=words.number(r.source.ocr_confidence, 1))
               if r.source.ocr_confidence else ""),
              (words("place in the extracted text"),
               words("characters %(start)s to %(end)s", start=words.number(span[0]), end=words.number(span[1]))
               if span else ""),
              (words("published"), words.date(r.published)), (words("updated"), words.date(r.updated)),
              (words("language"), words.language_name(r.language)), (words("type"), words.code("doc_type", r.doc_type)),
              (words("source fields"), " ; ".join(metadata)),
              (words("organisations"), ", ".join(r.organisations)), (words("places"), ", ".join(r.places)),
              (words("people"), ", ".join(r.people)), (words("dates"), " ; ".join(date_text(d, words) for d in r.dates)),
              (words("themes"), " ; ".join(words("%(theme)s (%(words)s)", theme=t, words=", ".join(w))
                                           for t, w in r.themes_evidence.items())),
              (words("flags"), " ; ".join(words.reason(f) for f in r.flags))]
    return [(k, v) for k, v in fields if v]


# a space, a no-break space, a narrow one, a tab, a line break
_BLANK_SIGNS = str.maketrans({" ": "␣", "\u00a0": "⍽", "\u202f": "ˌ", "\t": "⇥", "\n": "↵"})


def change_groups(changes: Sequence[Change], words: Words) -> list[dict[str, Any]]:
    """Changes grouped by operation, each with its pieces (a small rewrite word by word) and its reason in
    words; changes alike (same stage, before, after and reason: forty bullets made '- ') are one row with
    their count."""
    groups = []
    for operation, group in groupby(sorted(changes, key=lambda c: _operation_key(c.operation)),
                                    key=lambda c: c.operation):
        rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        for c in group:
            key = (c.stage, c.before, c.after, c.reason)
            if key in rows:
                rows[key]["count"] += 1
                continue
            small = c.before and c.after and max(len(c.before), len(c.after)) <= 400
            if c.before and len(c.before) <= 400 and not c.before.strip() and not c.after.strip():
                # blanks only (a run made one, or removed): shown as signs, not as blanks
                pieces = [{"kind": "del", "text": c.before.translate(_BLANK_SIGNS)}] + (
                    [{"kind": "ins", "text": c.after.translate(_BLANK_SIGNS)}] if c.after else [])
            else:
                pieces = word_diff(c.before, c.after) if small else (
                    [{"kind": "del", "text": c.before}] + ([{"kind": "ins", "text": c.after}] if c.after else []))
            rows[key] = {"stage": words.code("stage", c.stage), "pieces": pieces, "why": words.reason(c.reason),
                         "count": 1}
        found = list(rows.values())
        groups.append({"operation": words.code("operation", operation), "code": operation, "changes": found,
                       "n": sum(c["count"] for c in found)})
    return groups


def replayed_text(r: Record, words: Words, shown: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The record's slice of the extracted text with its changes replayed (pipeline/text/replay.py): what
    a change removed is struck ("del"), what it put in is marked ("ins"), each with what did it in words;
    the page therefore shows exactly what the data says.  A record whose changes do not replay (not found
    in its extracted text) shows its extracted text as it is.  `shown`: the replay's pieces, when the
    caller has made them already (`pieces`)."""
    if shown is None:
        shown, _ = pieces(given_text(r), r.changes)
    return [{"text": p["text"], "kind": p["kind"],
             "why": words.code("operation", r.changes[p["change"]].operation) if p["change"] is not None else ""}
            for p in shown]


def duplicates(r: Record, words: Words) -> list[str]:
    out = []
    for d in r.duplicates:
        kind = words("exact copy") if d["kind"] == "exact" else words("near copy")
        similarity = words.number(float(d["similarity"]))
        if d.get("span"):
            out.append(words("%(path)s, characters %(start)s to %(end)s: %(kind)s, similarity %(similarity)s",
                             path=d["path"], start=words.number(d["span"][0]), end=words.number(d["span"][1]),
                             kind=kind, similarity=similarity))
        else:
            out.append(words("%(path)s: %(kind)s, similarity %(similarity)s", path=d["path"], kind=kind,
                             similarity=similarity))
    return out


def record_page(r: Record, words: Words, pictures: list[int], shown: list[dict[str, Any]] | None = None
                ) -> dict[str, Any]:
    caption = (words("the source, read by OCR (confidence %(value)s out of 100)",
                     value=words.number(r.source.ocr_confidence, 1)) if r.source.ocr_confidence
               else words("the source, read by OCR"))
    own = [c for c in r.changes if c.of is None]
    copies = [c for c in r.changes if c.of is not None]
    return {"id": r.id, "title": title(r, words), "fields": record_fields(r, words),
            "extracted": replayed_text(r, words, shown), "clean": highlighted(r.text, r.entities),
            "labels": {label: words.code("label", label) for label in LABEL_COLOURS},
            # its own changes, then apart those made to the copies merged into it (`of`: the copy's id), which
            # the extracted text beside them does not hold
            "changes": change_groups(own, words), "n_changes": len(own),
            "copy_changes": change_groups(copies, words), "n_copy_changes": len(copies),
            "duplicates": duplicates(r, words),
            "pictures": [{"src": f"{r.id}-p{n}.png", "full": f"{r.id}-p{n}.jpg",
                          "alt": words("page %(page)s of %(path)s", page=n, path=r.source.path)} for n in pictures],
            "caption": caption}
