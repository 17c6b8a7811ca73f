"""Write CLEAN_DIR: records.jsonl, records.parquet, entities.parquet, changes.jsonl, manifest.json,
corpus.sqlite and report.html (see ../shared/CONTRACT.md).

Everything is written in a fixed order with fixed formatting, so the same
records give byte-identical files.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from collections.abc import Callable
from typing import Any

from ..record import Record

OUTPUT_FILES = ("records.jsonl", "records.parquet", "entities.parquet", "changes.jsonl", "manifest.json",
                "corpus.sqlite", "report.html")
KNOWN_METADATA = ("resource_type", "private", "category")


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


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


def write_parquet(path: Path, rows: list[dict[str, Any]], schema: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path, compression="zstd")


def entity_rows(records: list[Record]) -> list[dict[str, Any]]:
    return [{"record_id": r.id, "label": e["label"], "text": e["text"], "canonical": e["canonical"],
             "start": e["start"], "end": e["end"]} for r in records for e in r.entities]


def entity_schema() -> Any:
    import pyarrow as pa

    return pa.schema([("record_id", pa.string()), ("label", pa.string()), ("text", pa.string()),
                      ("canonical", pa.string()), ("start", pa.int64()), ("end", pa.int64())])


_DUPLICATE_DROPS = ("drop_repeated_paragraph", "drop_near_paragraph")


def _find(text: str, probe: str, cursor: int) -> list[int] | None:
    """Where `probe` stands in `text`, from `cursor` on (else anywhere): [start, end], or None."""
    if not probe.strip():
        return None
    start = text.find(probe, cursor)
    if start == -1:
        start = text.find(probe)
    return None if start == -1 else [start, start + len(probe)]


def change_rows(record: Record) -> list[dict[str, Any]]:
    """The record's changes as rows of changes.jsonl, with two added fields: `at`, where the change's result
    stands in the record's text ([start, end], or null when nothing of it is there: a drop, or text changed
    again later), and for a paragraph dropped as a duplicate, `kept_at`, where the copy that was kept stands."""
    rows, cursors = [], {}
    for change in record.changes:
        row = replace(change, record=record.id).to_json()
        at = _find(record.text, change.after, cursors.get(change.operation, 0))
        if at:
            cursors[change.operation] = at[1]
        row["at"] = at
        if change.operation in _DUPLICATE_DROPS:
            first = change.before.split("\n")[0].split(". ")[0]
            row["kept_at"] = _find(record.text, first, 0)
        rows.append(row)
    return rows


def write_outputs(out: Path, records: list[Record], manifest: dict[str, Any],
                  source: Callable[[str], bytes | None] | None = None) -> None:
    """Every output into `out`.  `source(path)` gives a file's bytes (read safely inside RAW_DIR), for the
    thumbnails of OCR'd records in the report; without it the report has none."""
    records = sorted(records, key=lambda r: r.id)
    _jsonl(out / "records.jsonl", [r.to_json() for r in records])
    _jsonl(out / "changes.jsonl", [row for r in records for row in change_rows(r)])
    write_parquet(out / "records.parquet", [_parquet_row(r) for r in records], record_schema())
    write_parquet(out / "entities.parquet", entity_rows(records), entity_schema())
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    from . import report, sqlite

    sqlite.write(out / "corpus.sqlite", records)
    (out / "report.html").write_text(report.render(records, manifest), "utf-8")
    pages = out / report.PAGES
    pages.mkdir()
    thumbnails = set()
    for r in records:
        data = source(r.source.path) if source and r.source.ocr_pages and 1 in r.source.ocr_pages else None
        picture = report.thumbnail(data, r.source.format) if data else None
        if picture:
            (pages / f"{r.id}.png").write_bytes(picture)
            thumbnails.add(r.id)
    for name, page in report.render_pages(records, thumbnails).items():
        (pages / name).write_text(page, "utf-8")
