"""corpus.sqlite: records, entities and a full-text index suited to French, written with sqlite-utils.

* `records` (primary key `id`) and `entities` (foreign key `record_id`, indexed), lists as JSON; each
  record with its file's `sha256` and, for OCR, the mean word confidence `ocr_confidence`;
* `changes` (foreign key `record_id`, indexed): changes.jsonl as a table, one row per change in the order
  it was made (`seq`), with where it stood (`span_start`, `span_end`) and where its result stands in the
  clean text (`at_start`, `at_end`);
* `records_fts`: an FTS5 index of `title`, `text` and `search_forms` whose content is the `records` table
  itself (the text is stored once), tokenizer `unicode61 remove_diacritics 2`, so "economie" finds
  "économie"; `search_forms` holds every word of the title and text in both numbers (`number_forms`:
  "Cantines" is indexed as "cantines cantine"), so that either number finds the other in any tool that
  queries the index — `glaneur search` and Datasette's search box alike (FTS5 has no French stemmer and
  Python's sqlite3 cannot add a tokenizer);
* `glaneur search` takes words, "phrases", AND, OR, NOT, ( ) and prefix*; any other character is read
  as part of a word, and a query FTS5 still refuses is one line, never a traceback.  Ligatures are folded
  by the query: "oeuvrent" also looks for "œuvrent" and the other way round.

Built fresh in a fixed order on every run, so the same records give the same file.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from ..record import Record
from ..text.fold import search_forms

_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("Œ", "Oe"), ("Æ", "Ae"))
_TOKENS = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')


class QueryError(Exception):
    """A search query FTS5 cannot run; its message is one line."""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _row(r: Record) -> dict[str, Any]:
    span = r.source.span or [None, None]
    private = r.metadata.get("private")
    return {"id": r.id, "title": r.title, "text": r.text, "language": r.language, "doc_type": r.doc_type,
            "published": r.published, "updated": r.updated, "path": r.source.path, "format": r.source.format,
            "extraction": r.source.extraction, "span_start": span[0], "span_end": span[1],
            "sha256": r.source.sha256, "ocr_confidence": r.source.ocr_confidence,
            "resource_type": r.metadata.get("resource_type"), "private": None if private is None else int(private),
            "category": r.metadata.get("category"), "organisations": _json(r.organisations),
            "places": _json(r.places), "people": _json(r.people), "themes": _json(r.themes),
            "dates": _json(r.dates), "duplicates": _json(r.duplicates), "metadata": _json(r.metadata),
            "search_forms": search_forms(f"{r.title or ''} {r.text}")}


RECORD_COLUMNS = {"id": str, "title": str, "text": str, "language": str, "doc_type": str, "published": str,
                  "updated": str, "path": str, "format": str, "extraction": str, "span_start": int, "span_end": int,
                  "sha256": str, "ocr_confidence": float,
                  "resource_type": str, "private": int, "category": str, "organisations": str, "places": str,
                  "people": str, "themes": str, "dates": str, "duplicates": str, "metadata": str, "search_forms": str}


CHANGE_COLUMNS = {"record_id": str, "seq": int, "stage": str, "operation": str, "before": str, "after": str,
                  "reason": str, "span_start": int, "span_end": int, "at_start": int, "at_end": int, "of": str,
                  "path": str}


class Writer:
    """corpus.sqlite written record by record, in batches of `batch` records: the indexes and the full-text
    index are built at the end (`finish`), from the table, so memory does not grow with the corpus."""

    def __init__(self, path: Path, batch: int = 200):
        import sqlite_utils

        if path.exists():
            path.unlink()
        self.db = sqlite_utils.Database(path)
        self.batch = batch
        # rows, not records: a record with its blocks, sentences and changes is many times its row
        self.pending: list[dict[str, Any]] = []
        self.entities: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []
        self.db["records"].create(RECORD_COLUMNS, pk="id", not_null={"text", "path"})
        self.db["entities"].create({"record_id": str, "label": str, "text": str, "canonical": str, "start": int,
                                    "end": int}, foreign_keys=[("record_id", "records", "id")])
        self.db["changes"].create(CHANGE_COLUMNS, foreign_keys=[("record_id", "records", "id")])

    def add(self, record: Record, changes: list[dict[str, Any]] | None = None) -> None:
        """A record, and its rows of changes.jsonl (`change_rows`) when it has changes."""
        self.pending.append(_row(record))
        self.entities.extend({"record_id": record.id, "label": e["label"], "text": e["text"],
                              "canonical": e["canonical"], "start": e["start"], "end": e["end"]}
                             for e in record.entities)
        for seq, c in enumerate(changes or []):
            span, at = c.get("span") or [None, None], c.get("at") or [None, None]
            self.changes.append({"record_id": c["record"], "seq": seq, "stage": c["stage"], "operation": c["operation"],
                                 "before": c["before"], "after": c["after"], "reason": c["reason"],
                                 "span_start": span[0], "span_end": span[1], "at_start": at[0], "at_end": at[1],
                                 "of": c.get("of"), "path": c["path"]})
        if len(self.pending) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        self.db["records"].insert_all(self.pending, batch_size=self.batch)
        self.db["entities"].insert_all(self.entities, batch_size=1000)
        self.db["changes"].insert_all(self.changes, batch_size=1000)
        self.pending, self.entities, self.changes = [], [], []

    def finish(self) -> None:
        self._flush()
        db = self.db
        db["entities"].create_index(["record_id"])
        db["entities"].create_index(["label", "canonical"])
        db["changes"].create_index(["record_id", "seq"])
        db["changes"].create_index(["operation"])
        for column in ("path", "language", "doc_type"):
            db["records"].create_index([column])
        db["records"].enable_fts(["title", "text", "search_forms"], fts_version="FTS5",
                                 tokenize="unicode61 remove_diacritics 2", create_triggers=False)
        db.execute("VACUUM")

    def close(self) -> None:
        self.db.close()


def write(path: Path, records: list[Record]) -> None:
    """The whole database from `records` at once (for tests and one-off use)."""
    writer = Writer(path)
    try:
        for record in sorted(records, key=lambda r: r.id):
            writer.add(record)
        writer.finish()
    finally:
        writer.close()


def _variants(word: str) -> list[str]:
    """The word with each ligature written both ways (oeuvre, œuvre): unicode61 does not fold them."""
    options = [word]
    for joined, apart in _LIGATURES:
        options = [v for o in options for v in {o, o.replace(joined, apart), o.replace(apart, joined)}]
    return sorted(set(options))[:8]


def _term(token: str) -> str:
    """One word (or prefix*) as FTS5 terms: quoted, so that a quote or a colon inside never becomes syntax."""
    prefix = token.endswith("*") and len(token) > 1
    word = token.rstrip("*").replace('"', "")
    if not word:
        return ""
    terms = [f'"{v}"' + ("*" if prefix else "") for v in _variants(word)]
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def fts_query(query: str) -> str:
    """A user's query as FTS5: words (each must be there), "phrases", AND, OR, NOT, parentheses, prefix*."""
    out: list[str] = []
    for token in _TOKENS.findall(query):
        if token in ("AND", "OR", "NOT", "(", ")"):
            out.append(token)
        elif token.startswith('"'):
            phrase = token.strip('"').strip()
            if phrase:
                out.append(f'"{phrase}"')
        else:
            term = _term(token)
            if term:
                out.append(term)
    return " ".join(out)


def search(path: Path, query: str, limit: int = 10) -> list[dict[str, Any]]:
    """The best matching records, best first (bm25), with a snippet; QueryError for a query FTS5 refuses."""
    match = fts_query(query)
    if not match:
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT r.id, r.title, r.path, snippet(records_fts, 1, '[', ']', '…', 16), bm25(records_fts) AS score "
            "FROM records_fts JOIN records r ON r.rowid = records_fts.rowid WHERE records_fts MATCH ? "
            "ORDER BY score, r.id LIMIT ?", (match, limit)).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"search: the query {query!r} is not one FTS5 can run ({exc}); quote words that hold "
                         f"AND, OR, NOT or parentheses") from None
    finally:
        db.close()
    return [{"id": i, "title": t, "path": p, "snippet": s, "score": round(sc, 4)} for i, t, p, s, sc in rows]
