"""Segment's settings: the rules of `config/segment.toml` and `title_skip.txt`, loaded and checked once,
and the line predicates they drive (date line, title-like line)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import ConfigError, data_lines, find_data
from ..text.calendar import iso_day
from ..text.fold import fold_blanks

_WORDS = re.compile(r"[\w']+")
ITEM = re.compile(r"^\s*(?:[-•*] |\d{1,2}[.)] )")

@dataclass(frozen=True)
class Rules:
    labels: dict[str, dict[str, Any]]  # folded label -> field spec
    date_lines: tuple[re.Pattern[str], ...]
    inline: dict[str, str]  # folded label -> key
    generic_titles: frozenset[str]
    prefer: tuple[re.Pattern[str], ...]
    skip_titles: frozenset[str]
    title_max_chars: int
    title_max_words: int
    doc_title_max_words: int
    site_header_max_words: int
    similarity: float
    long_ratio: float



# What segment.toml may hold: table -> keys (a list of tables for the [[...]] ones).
_FIELDS_SCHEMA = {"block_field": {"label", "key", "values", "ends_block", "has_value"}, "date_line": {"pattern"},
                  "inline_field": {"label", "key"}, "titles": {"generic", "prefer"}}


def _check_fields(data: dict[str, Any], where: str) -> None:
    """segment.toml checked like pipeline.toml: known tables and keys, patterns that compile."""
    for table, value in data.items():
        if table not in _FIELDS_SCHEMA:
            raise ConfigError(f"{where}: unknown table [{table}] (known: {', '.join(_FIELDS_SCHEMA)})")
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            if not isinstance(entry, dict):
                raise ConfigError(f"{where}: [{table}] must be a table")
            unknown = set(entry) - _FIELDS_SCHEMA[table]
            if unknown:
                raise ConfigError(f"{where}: [{table}] unknown key {sorted(unknown)[0]!r}")
    for spec in data.get("date_line", []):
        _compile(spec.get("pattern", ""), f"{where}: [[date_line]] pattern")
    for pattern in data.get("titles", {}).get("prefer", []):
        _compile(pattern, f"{where}: [titles] prefer")


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.I)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid pattern {pattern!r} ({exc})") from None


def load_rules(settings: Mapping[str, Any], base_dir: Path) -> Rules:
    """The rules, read once when the stage is set up (a bad segment.toml stops the run with one line)."""
    fields_path = find_data(base_dir, settings["fields_file"])
    skip_path = find_data(base_dir, settings["title_skip_file"])
    try:
        data = tomllib.loads(fields_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{fields_path}: cannot be read as TOML ({exc})") from None
    _check_fields(data, str(fields_path))
    labels = {fold_blanks(f["label"]): f for f in data.get("block_field", [])}
    skip = {fold_blanks(x) for x in data_lines(skip_path)}
    titles = data.get("titles", {})
    return Rules(
        labels=labels,
        date_lines=tuple(re.compile(d["pattern"], re.I) for d in data.get("date_line", [])),
        inline={fold_blanks(f["label"]): f["key"] for f in data.get("inline_field", [])},
        generic_titles=frozenset(fold_blanks(t) for t in titles.get("generic", [])),
        prefer=tuple(re.compile(p, re.I) for p in titles.get("prefer", [])),
        skip_titles=frozenset(skip),
        title_max_chars=settings["title_max_chars"], title_max_words=settings["title_max_words"],
        doc_title_max_words=settings["doc_title_max_words"], similarity=settings["similarity"],
        site_header_max_words=settings["site_header_max_words"],
        long_ratio=settings["long_record_ratio"],
    )


# --- small pure helpers -------------------------------------------------------------------------

def words(text: str) -> set[str]:
    return set(_WORDS.findall(text.casefold()))


def similar(a: str, b: str, threshold: float) -> bool:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= threshold


def is_date_line(line: str, rules: Rules) -> dict[str, str] | None:
    key = fold_blanks(line)
    for pattern in rules.date_lines:
        m = pattern.match(key)
        if m:
            found = {k: iso_day(v) for k, v in m.groupdict().items() if v}
            return {k: v for k, v in found.items() if v} or None
    return None


def is_title_like(line: str, rules: Rules, any_case: bool = False) -> bool:
    """A line that can be a title; `any_case` also accepts a lower-case start (when a date line follows)."""
    text = line.strip()
    if not text or "\n" in text or len(text) > rules.title_max_chars or is_date_line(text, rules):
        return False
    if fold_blanks(text) in rules.generic_titles or fold_blanks(text) in rules.skip_titles or fold_blanks(text) in rules.labels:
        return False
    if ITEM.match(text) or text.endswith((".", ",", ";", ":")) or text.startswith(("(", ">>", "➡")):
        return False
    if len(text.split()) > rules.title_max_words or sum(ch.isalpha() for ch in text) < 4:
        return False
    if re.match(r"^[\d\s]+[A-ZÀ-Þ-]+$", text):  # "52160 VAILLANT": an address line
        return False
    return any_case or text[0].isupper() or text[0] in "\"«“'" or text[0].isdigit()


def clean_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    if len(title) > 2 and title[0] in "\"«“" and title[-1] in "\"»”" and title.count('"') <= 2:
        title = title[1:-1].strip()
    return title
