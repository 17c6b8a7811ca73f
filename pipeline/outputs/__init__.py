"""Write CLEAN_DIR: records.jsonl, records.parquet, entities.parquet, changes.jsonl, manifest.json,
corpus.sqlite and report.html (see ../shared/CONTRACT.md).

Everything is written in a fixed order with fixed formatting, so the same
records give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ..record import Record
from ..text.replay import given_text, pieces

OUTPUT_FILES = ("records.jsonl", "records.parquet", "entities.parquet", "changes.jsonl", "extracted.jsonl", "manifest.json",
                "corpus.sqlite", "report.html")
KNOWN_METADATA = ("resource_type", "private", "category")


def record_schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        ("id", pa.string()),
        ("source", pa.struct([
            ("path", pa.string()), ("sha256", pa.string()), ("format", pa.string()),
            ("extraction", pa.string()), ("pages", pa.list_(pa.int32())), ("span", pa.list_(pa.int64())),
            ("encoding", pa.string()), ("ocr_pages", pa.list_(pa.int32())), ("ocr_confidence", pa.float64()),
        ])),
        ("title", pa.string()),
        ("text", pa.string()),
        ("language", pa.string()),
        ("doc_type", pa.string()),
        ("published", pa.string()),
        ("updated", pa.string()),
        ("metadata", pa.struct([
            ("resource_type", pa.string()), ("private", pa.bool_()), ("category", pa.string()),
            # any further source field (keywords, zone, website…) by name; a value that is not a string is JSON
            ("other", pa.map_(pa.string(), pa.string())),
        ])),
        ("entities", pa.list_(pa.struct([
            ("text", pa.string()), ("label", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
            ("canonical", pa.string()),
        ]))),
        ("organisations", pa.list_(pa.string())),
        ("places", pa.list_(pa.string())),
        ("people", pa.list_(pa.string())),
        ("dates", pa.list_(pa.struct([
            ("text", pa.string()), ("start", pa.string()), ("end", pa.string()), ("precision", pa.string()),
        ]))),
        ("themes", pa.list_(pa.string())),
        ("duplicates", pa.list_(pa.struct([
            ("path", pa.string()), ("span", pa.list_(pa.int64())), ("kind", pa.string()),
            ("similarity", pa.float64()),
        ]))),
        ("blocks", pa.list_(pa.struct([("kind", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                                       ("language", pa.string())]))),
        ("sentences", pa.list_(pa.list_(pa.int64()))),
        ("themes_evidence", pa.map_(pa.string(), pa.list_(pa.string()))),
    ])


def _parquet_row(record: Record) -> dict[str, Any]:
    row = record.to_json()
    meta = row["metadata"]
    other = {k: v for k, v in sorted(meta.items()) if k not in KNOWN_METADATA}
    row["metadata"] = {**{k: meta.get(k) for k in KNOWN_METADATA},
                       "other": [(k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True))
                                 for k, v in other.items()]}
    row["themes_evidence"] = list(row["themes_evidence"].items())
    return row


def entity_rows(records: list[Record]) -> list[dict[str, Any]]:
    return [{"record_id": r.id, "label": e["label"], "text": e["text"], "canonical": e["canonical"],
             "start": e["start"], "end": e["end"]} for r in records for e in r.entities]


def entity_schema() -> Any:
    import pyarrow as pa

    return pa.schema([("record_id", pa.string()), ("label", pa.string()), ("text", pa.string()),
                      ("canonical", pa.string()), ("start", pa.int64()), ("end", pa.int64())])


_DUPLICATE_DROPS = ("drop_repeated_paragraph", "drop_near_paragraph")


_WORD = re.compile(r"\w[\w'’-]*")


def _removal_place(text: str, raw: str, before: str, claimed: dict[str, int]) -> list[int] | None:
    """Where a removed passage stood in the result, as [p, p]: before the first words that followed it in the
    extracted text, else after the last words that preceded it, else at the start or the end when nothing
    of the extracted text stood on that side; each occurrence of a passage removed several times (a running
    header on every page) is placed once, in order."""
    start = raw.find(before, claimed.get(before, 0))
    stop = start + len(before)
    if start == -1:  # a passage repair had already rewritten (lines joined, spaces): found by its first and last words
        words = _WORD.findall(before)
        if not words:
            return None
        first = re.compile(r"\W+".join(re.escape(w) for w in words[:5])).search(raw, claimed.get(before, 0))
        last = re.compile(r"\W+".join(re.escape(w) for w in words[-5:])).search(raw, first.start()) if first else None
        if not last:
            return None
        start, stop = first.start(), last.end()
    claimed[before] = stop
    following = _WORD.findall(raw[stop:stop + 300])[:4]
    preceding = _WORD.findall(raw[max(0, start - 300):start])[-4:]
    guess = start * len(text) // max(1, len(raw))  # of several places the words fit, the nearest to this

    def nearest(words: list[str], end: bool) -> int | None:
        places = [m.end() if end else m.start() for _, m in
                  zip(range(200), re.finditer(r"\W+".join(re.escape(w) for w in words), text))]
        return min(places, key=lambda p: (abs(p - guess), p)) if places else None

    for n in (4, 3, 2, 1):
        if len(following) >= n and (n > 1 or len(following[0]) >= 4):
            place = nearest(following[:n], end=False)
            if place is not None:
                return [place, place]
        if len(preceding) >= n and (n > 1 or len(preceding[-1]) >= 4):
            place = nearest(preceding[-n:], end=True)
            if place is not None:
                while place < len(text) and not text[place].isspace() and not text[place].isalnum():
                    place += 1  # after the sentence's full stop, not before it
                return [place, place]
    if not raw[stop:].strip():
        return [len(text), len(text)]
    if not raw[:start].strip():
        return [0, 0]
    return None


def _find(text: str, probe: str, cursor: int) -> list[int] | None:
    """Where `probe` stands in `text`, from `cursor` on (else anywhere): [start, end], or None."""
    if not probe.strip():
        return None
    start = text.find(probe, cursor)
    if start == -1:
        start = text.find(probe)
    return None if start == -1 else [start, start + len(probe)]


def change_rows(record: Record, exact: list[list[int] | None] | None = None) -> list[dict[str, Any]]:
    """The record's changes as rows of changes.jsonl, in the order they were made, with added fields:
    `span`, where `before` stood in the record's text just before the change (the changes with a span,
    applied in order to the record's slice of the extracted text, give its text: pipeline/text/replay.py);
    `of`, for a change a merged copy had made, that copy's id; `at`, where the change's result stands in the
    clean text ([start, end]; a removal: the zero-width place [p, p] where its text stood), exact for a
    change that replays, found by the words around it for the others (extract's, a copy's), null when
    not found; and for a paragraph dropped as a duplicate, `kept_at`, where the copy that was kept stands.
    `exact`: where each change's result stands from the replay (`pieces`), when the caller has it."""
    rows, cursors = [], {}
    raw = given_text(record)
    if exact is None:
        _, exact = pieces(raw, record.changes)
    claimed: dict[str, int] = {}  # removed text -> where its last occurrence in `raw` was claimed
    for change, at in zip(record.changes, exact):
        row = replace(change, record=record.id).to_json()
        if change.span is None or change.of is not None:
            at = _find(record.text, change.after, cursors.get(change.operation, 0))
            if at is None and change.before.strip():  # removed, or rewritten again later: where it happened
                at = _removal_place(record.text, raw, change.before, claimed)
            if at:
                cursors[change.operation] = at[1]
        row["at"] = at
        if change.operation in _DUPLICATE_DROPS:
            first = change.before.strip().split("\n")[0].split(". ")[0]
            row["kept_at"] = _find(record.text, first, 0)
        rows.append(row)
    return rows


# Rows per Parquet row group: memory per row group, not per corpus (500 rather than 1,000: the main process
# of a 2,000-document run grows by 41 MB while the outputs are written instead of 53 MB, in the same time).
ROW_GROUP = 500


_LABELS: dict[str, dict[str, str]] = {}  # one {"label": …} per label, shared by every header (never changed)


def header(record: Record) -> Record:
    """What the manifest and the report's index need of a record, without its text, structure and changes
    (kept for every record while the outputs are written: small whatever the record's size)."""
    return replace(record, text="", extracted=None, blocks=[], sentences=[], changes=(), themes_evidence={},
                   entities=[_LABELS.setdefault(e["label"], {"label": e["label"]}) for e in record.entities],
                   dates=[{"start": d["start"]} for d in record.dates])


class _Parquet:
    """A Parquet file written row group by row group."""

    def __init__(self, path: Path, schema: Any):
        import pyarrow.parquet as pq

        self.schema = schema
        self.writer = pq.ParquetWriter(path, schema, compression="zstd")
        self.rows: list[dict[str, Any]] = []

    def add(self, rows: list[dict[str, Any]]) -> None:
        self.rows.extend(rows)
        while len(self.rows) >= ROW_GROUP:
            self._flush(self.rows[:ROW_GROUP])
            self.rows = self.rows[ROW_GROUP:]

    def _flush(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        self.writer.write_table(pa.Table.from_pylist(rows, schema=self.schema))
        # Arrow's allocator (mimalloc) keeps what a row group used: handed back now, the main process of a
        # 2,000-document run grows by about 48 MB while the outputs are written instead of 73 MB.
        pa.default_memory_pool().release_unused()

    def close(self) -> None:
        if self.rows:
            self._flush(self.rows)
        self.rows = []
        self.writer.close()


def write_outputs(out: Path, records: Callable[[], Iterable[Record]] | list[Record],
                  results: list[dict[str, Any]], skipped: list[tuple[str, str]], run_id: str,
                  format_of: Callable[[str], str | None], source: Callable[[str], bytes | None] | None = None,
                  pages_from: "Pages | None" = None) -> dict[str, Any]:
    """Every output into `out`, streaming: `records()` gives the records in id order, one at a time (read
    from the store), and each is written to every file it belongs to before the next is read; only its
    header (see `header`) is kept, for the manifest and the report's index.  `results` and `skipped`: the
    files read and passed over, for the manifest.  `source(path)` gives a file's bytes (read safely inside
    RAW_DIR), for the thumbnails of OCR'd records in the report; without it the report has none.
    `pages_from`: what is known of the pages of the output this one replaces (see `Pages`); a record whose
    page there was made from the same `page_key` has its page and scans copied rather than rendered again
    (the same bytes), and what each page was made from is noted in it for the next run.  Returns the
    manifest."""
    from . import report, sqlite
    from .manifest import build_manifest

    stream = (lambda: sorted(records, key=lambda r: r.id)) if isinstance(records, list) else records
    headers: list[Record] = []
    operations: Counter[tuple[str, str]] = Counter()
    changed: dict[str, int] = {}
    pages = out / report.PAGES
    pages.mkdir()
    parquet = _Parquet(out / "records.parquet", record_schema())
    entities = _Parquet(out / "entities.parquet", entity_schema())
    database = sqlite.Writer(out / "corpus.sqlite")
    try:
        with (out / "records.jsonl").open("w", encoding="utf-8", newline="\n") as jsonl, \
                (out / "changes.jsonl").open("w", encoding="utf-8", newline="\n") as changes, \
                (out / "extracted.jsonl").open("w", encoding="utf-8", newline="\n") as extracted:
            for r in stream():
                line = _line(r.to_json())
                jsonl.write(line)
                given = given_text(r)
                shown, exact = pieces(given, r.changes)  # the replay, once for changes.jsonl and the page
                rows = change_rows(r, exact)
                change_lines = [_line(row) for row in rows]
                changes.writelines(change_lines)
                extracted.write(_line({"id": r.id, "text": given}))
                parquet.add([_parquet_row(r)])
                entities.add(entity_rows([r]))
                database.add(r, rows)
                key = report.page_key(pages_from.salt, line, "".join(change_lines), _line(
                    {"extracted": given, "flags": list(r.flags)})) if pages_from else ""
                if not (pages_from and pages_from.copy(r.id, key, pages)):
                    data = source(r.source.path) if source and r.source.ocr_pages else None
                    pictures = []
                    for number, small, full in report.scans(data, r.source.format, r.source.ocr_pages) if data else []:
                        (pages / f"{r.id}-p{number}.png").write_bytes(small)
                        (pages / f"{r.id}-p{number}.jpg").write_bytes(full)
                        pictures.append(number)
                    html = report.render_page(r, pictures, shown=shown).encode("utf-8")
                    (pages / f"{r.id}.html").write_bytes(html)
                    if pages_from:
                        pages_from.made[r.id] = [key, hashlib.sha256(html).hexdigest(), pictures]
                operations.update((c.stage, c.operation) for c in r.changes)
                changed[r.id] = len(r.changes)
                headers.append(header(r))
        database.finish()
    finally:
        parquet.close()
        entities.close()
        database.close()
    manifest = build_manifest(results, skipped, headers, run_id, format_of)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    report.write_report(out, headers, manifest, (operations, changed))
    return manifest


@dataclass
class Pages:
    """What a run knows of the record pages of the output it replaces, so that a refresh copies the page (and
    scans) of a record that did not change instead of rendering it again: for each record id, the key its
    page was made from (`report.page_key`: the run's config, the record whole, glaneur's code), the page's
    sha256 and the scans beside it.  Kept in the run's cache, under the output's fingerprint; the pages
    themselves hold nothing of it."""

    salt: str  # the run's config fingerprint: a page may show what the config decided (a flag's threshold)
    old: Path | None = None  # the pages/ folder of the output this run replaces
    known: dict[str, list[Any]] = field(default_factory=dict)  # id -> [key, sha256 of the page, pictures]
    made: dict[str, list[Any]] = field(default_factory=dict)  # the same, for the pages this run writes

    def copy(self, record_id: str, key: str, pages: Path) -> bool:
        """Copy the record's page and scans into `pages` when they were made from `key` and are as they were
        written (their bytes checked); False when the page must be rendered."""
        entry = self.known.get(record_id)
        if self.old is None or not entry or entry[0] != key:
            return False
        try:
            html = (self.old / f"{record_id}.html").read_bytes()
            if hashlib.sha256(html).hexdigest() != entry[1]:
                return False
            scans = [self.old / f"{record_id}-p{n}.{suffix}" for n in entry[2] for suffix in ("png", "jpg")]
            if not all(scan.is_file() for scan in scans):
                return False
            for scan in scans:
                shutil.copyfile(scan, pages / scan.name)
            (pages / f"{record_id}.html").write_bytes(html)
        except OSError:
            return False
        self.made[record_id] = entry
        return True


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
