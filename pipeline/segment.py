"""Segment stage: records with a title and a body.

Entry point: `run(records, config) -> records`.

This first pass keeps one record per file and chooses its title: the title
the source declares (HTML <title>, .docx title), else the first short line
that is not a site name or other non-title listed in
`config/title_skip.txt`.  Splitting dumps of many scraped pages into one
record per page comes with the segment issue.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .config import Config
from .record import Record

NAME = "segment"
VERSION = "1"
SCOPE = "record"
SPLITS = True  # one record in, one or more out
SECTIONS = ("segment",)


@lru_cache(maxsize=8)
def _skip_lines(path: Path, mtime: float) -> frozenset[str]:
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    return frozenset(fold(x) for x in lines if x.strip() and not x.lstrip().startswith("#"))


def fold(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip().casefold()


def choose_title(text: str, declared: str | None, skip: frozenset[str], max_chars: int) -> str | None:
    if declared and declared.strip():
        return re.sub(r"\s+", " ", declared).strip()
    for line in text.split("\n"):
        candidate = line.strip()
        if not candidate or fold(candidate) in skip:
            continue
        if len(candidate) <= max_chars and not candidate.endswith((".", ",", ";")) \
                and sum(ch.isalpha() for ch in candidate) >= 3:
            return candidate.strip("\"« »")
        break
    return None


def run(records: list[Record], config: Config) -> list[Record]:
    cfg = config.section(NAME)
    skip_file = config.data_file(cfg["title_skip_file"])
    skip = _skip_lines(skip_file, skip_file.stat().st_mtime if skip_file.exists() else 0.0)
    return [record.with_changes(title=choose_title(record.text, record.title, skip, cfg["title_max_chars"]))
            for record in records]
