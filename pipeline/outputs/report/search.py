"""The report's search of record text: a static index that opens from disk and loads in parts.

Pagefind was the first choice (it stems French and loads its index in chunks), but it fetches its chunks,
and browsers refuse `fetch` on `file://` pages (Pagefind issue #241): a report opened from disk could not
search.  So the index is written as scripts, which a page opened from disk may load: `search/<key>.js`
per first two letters of a word, each holding, for the words that start so, the rows of the records table
(records.js) whose title or text holds them.  The words are the terms of corpus.sqlite's FTS5 index,
read back through `fts5vocab`: accents folded, and every word in both numbers (`search_forms`), so the
report's search finds what `glaneur search` and Datasette find.  Written in the index's term order, one
part at a time: memory does not grow with the corpus.
"""

from __future__ import annotations

import json
import sqlite3
from itertools import groupby
from pathlib import Path

from ...text.fold import fold_name

FOLDER = "search"


def key_of(folded: str) -> str:
    """The part a folded word's postings go to: its first two letters, as a file name ("ca", "_a" for "’a")."""
    return "".join(ch if "a" <= ch <= "z" or "0" <= ch <= "9" else "_" for ch in folded[:2])


def write_index(database: Path, out: Path, rows: dict[str, int]) -> int:
    """search/<key>.js from the FTS5 index of `database`; `rows` maps a record id to its row in records.js.
    Returns the number of words written."""
    folder = out / FOLDER
    folder.mkdir()
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    written, part, key = 0, {}, None
    keys: list[str] = []

    def flush() -> None:
        if part:
            if key not in keys:
                keys.append(key)
            data = json.dumps(part, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            with (folder / f"{key}.js").open("a", encoding="utf-8") as f:  # appended: "œ…" comes after "z…"
                f.write(f"GLANEUR_SEARCH_ADD({json.dumps(key)},{data});\n")

    try:
        db.execute("CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab(main, records_fts, 'instance')")
        row_of = {rowid: rows[record] for rowid, record in db.execute("SELECT rowid, id FROM records") if record in rows}
        for term, docs in groupby(db.execute("SELECT DISTINCT term, doc FROM temp.vocabulary ORDER BY term"),
                                  key=lambda x: x[0]):  # each word once per record, not per use
            found = {row_of[doc] for _, doc in docs if doc in row_of}
            if len(term) < 2 or not found:
                continue
            folded = fold_name(term)  # as report.js folds a query: no accents, œ → oe, lower case
            if key_of(folded) != key:
                flush()
                part, key = {}, key_of(folded)
            part[folded] = sorted(set(part.get(folded, [])) | found)
            written += 1
        flush()
    finally:
        db.close()
    (folder / "keys.js").write_text(f"window.GLANEUR_SEARCH_KEYS = {json.dumps(sorted(keys))};\n", "utf-8")
    return written
