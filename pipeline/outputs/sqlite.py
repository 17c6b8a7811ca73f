"""corpus.sqlite: records, entities and a full-text index suited to French.

The FTS5 index uses the `unicode61` tokenizer with `remove_diacritics 2`, so
"economie" finds "économie" and the other way round.  Built fresh in a fixed
order on every run, so the same records give the same file.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from ..record import Record

SCHEMA = """
CREATE TABLE records (
    id TEXT PRIMARY KEY, title TEXT, text TEXT, language TEXT, doc_type TEXT, published TEXT, updated TEXT,
    path TEXT, format TEXT, extraction TEXT, span_start INTEGER, span_end INTEGER,
    resource_type TEXT, private INTEGER, category TEXT,
    organisations TEXT, places TEXT, people TEXT, themes TEXT, dates TEXT, duplicates TEXT, metadata TEXT
);
CREATE TABLE entities (
    record_id TEXT REFERENCES records(id), label TEXT, text TEXT, canonical TEXT, start INTEGER, "end" INTEGER
);
CREATE INDEX entities_by_canonical ON entities(label, canonical);
CREATE VIRTUAL TABLE records_fts USING fts5(
    id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2'
);
"""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def write(path: Path, records: list[Record]) -> None:
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        for r in sorted(records, key=lambda r: r.id):
            span = r.source.span or [None, None]
            private = r.metadata.get("private")
            db.execute(
                "INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (r.id, r.title, r.text, r.language, r.doc_type, r.published, r.updated, r.source.path,
                 r.source.format, r.source.extraction, span[0], span[1], r.metadata.get("resource_type"),
                 None if private is None else int(private), r.metadata.get("category"), _json(r.organisations),
                 _json(r.places), _json(r.people), _json(r.themes), _json(r.dates), _json(r.duplicates),
                 _json(r.metadata)))
            db.executemany("INSERT INTO entities VALUES (?,?,?,?,?,?)",
                           [(r.id, e["label"], e["text"], e["canonical"], e["start"], e["end"]) for e in r.entities])
            db.execute("INSERT INTO records_fts (id, title, text) VALUES (?,?,?)", (r.id, r.title or "", r.text))
        db.commit()
        db.execute("VACUUM")
    finally:
        db.close()


def fts_query(query: str) -> str:
    """A user's words as an FTS5 query: every word must be there (quoted, so no syntax leaks in)."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{w}"' for w in words)


def search(path: Path, query: str, limit: int = 10) -> list[dict[str, Any]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        match = fts_query(query)
        if not match:
            return []
        rows = db.execute(
            "SELECT f.id, r.title, r.path, snippet(records_fts, 2, '[', ']', '…', 16), bm25(records_fts) AS score "
            "FROM records_fts f JOIN records r ON r.id = f.id WHERE records_fts MATCH ? "
            "ORDER BY score, f.id LIMIT ?", (match, limit)).fetchall()
    finally:
        db.close()
    return [{"id": i, "title": t, "path": p, "snippet": s, "score": round(sc, 4)} for i, t, p, s, sc in rows]
