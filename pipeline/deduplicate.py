"""Deduplicate stage: each passage once, nothing lost, duplicates traced.

Entry point: `run(records, config) -> records` (the whole corpus at once).

This first pass handles exact repetition:
* inside a record, a paragraph identical (after folding case and blanks) to an
  earlier one of at least `paragraph_min_chars` is dropped, and the drop is a
  Change naming the paragraph it repeats;
* across records, records with the same normalised text become one.  The one
  kept is the most complete (longest text, then most fields), then the one
  with the earliest path and span: a rule, not "whichever came first".  The
  others are listed in its `duplicates`.

Near duplicates (MinHash LSH) come with the deduplicate issue.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from .config import Config
from .record import Change, Record

NAME = "deduplicate"
VERSION = "1"
SCOPE = "corpus"
SECTIONS = ("deduplicate",)


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def dedup_paragraphs(record: Record, min_chars: int) -> Record:
    seen: dict[str, int] = {}
    kept: list[str] = []
    changes: list[Change] = []
    for paragraph in record.text.split("\n\n"):
        key = fold(paragraph)
        if len(key) >= min_chars and key in seen:
            changes.append(Change(NAME, "drop_repeated_paragraph", paragraph, "", record.source.path,
                                  reason=f"same text as paragraph {seen[key] + 1} of this record"))
            continue
        seen.setdefault(key, len(kept))
        kept.append(paragraph)
    if not changes:
        return record
    return record.with_changes(*changes, text="\n\n".join(kept))


def completeness(record: Record) -> tuple:
    """Sort key: the best copy first (longest, most fields, earliest path and span)."""
    filled = sum(v is not None for v in (record.title, record.published, record.updated))
    span = record.source.span or [0, 0]
    return (-len(record.text), -filled, record.source.path, span[0])


def merge_exact(records: list[Record]) -> list[Record]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[hashlib.sha256(fold(record.text).encode()).hexdigest()].append(record)
    out = []
    for group in groups.values():
        group.sort(key=completeness)
        keep, others = group[0], group[1:]
        if not others:
            out.append(keep)
            continue
        duplicates = list(keep.duplicates)
        changes = []
        for other in others:
            duplicates.append({"path": other.source.path, "span": other.source.span,
                               "kind": "exact", "similarity": 1.0})
            duplicates.extend(other.duplicates)
            changes.append(Change(NAME, "merge_exact_duplicate", other.source.path, keep.source.path,
                                  keep.source.path,
                                  reason=f"record {other.id} has the same text; kept the most complete copy"))
        duplicates.sort(key=lambda d: (d["path"], d["span"] or [0, 0]))
        out.append(keep.with_changes(*changes, duplicates=duplicates))
    return out


def run(records: list[Record], config: Config) -> list[Record]:
    cfg = config.section(NAME)
    if cfg["paragraphs"]:
        records = [dedup_paragraphs(r, cfg["paragraph_min_chars"]) for r in records]
    if cfg["records"]:
        records = merge_exact(records)
    return sorted(records, key=lambda r: r.id)
