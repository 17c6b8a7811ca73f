"""Repair stage: text that reads as its author wrote it, every change explained.

Entry point: `run(records, config) -> records`.  Each fix is a small pure
function over one line or one text that returns the new text and the
changes it made; `repair_text` chains them.

This first pass fixes encoding damage (ftfy, with its explanation kept),
Unicode normal form, and layout whitespace (page breaks, runs of spaces,
blank lines).  Lexicon-driven OCR repair and chrome removal come with the
repair issue.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from .config import Config
from .record import Change, Record

NAME = "repair"
VERSION = "1"
SCOPE = "file"
SECTIONS = ("repair",)

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]{2,}|\t")


def fix_encoding(line: str) -> tuple[str, str | None]:
    """ftfy on one line; returns (fixed, explanation or None when unchanged)."""
    import ftfy

    fixed, explanation = ftfy.fix_and_explain(
        line, normalization=None, uncurl_quotes=False, fix_line_breaks=False,
        fix_latin_ligatures=True, fix_character_width=False, remove_control_chars=True,
        explain=True,
    )
    if fixed == line:
        return line, None
    steps = ", ".join(step if not param else f"{step}({param})" for step, param in explanation or [])
    return fixed, steps or "ftfy"


def normalise_form(line: str, form: str) -> str:
    return unicodedata.normalize(form, line)


def collapse_spaces(line: str) -> str:
    """Runs of blanks inside a line become one space (a no-break space is kept if the run had one)."""

    def one(match: re.Match[str]) -> str:
        run = match.group(0)
        return "\u00a0" if "\u00a0" in run or "\u202f" in run else " "

    return _SPACES.sub(one, line).strip(" \t")


def repair_text(text: str, cfg: dict[str, Any], path: str) -> tuple[str, list[Change]]:
    changes: list[Change] = []
    out_lines: list[str] = []
    for line in text.replace("\f", "").split("\n"):
        current = line
        if cfg["ftfy"]:
            fixed, why = fix_encoding(current)
            if why:
                changes.append(Change(NAME, "fix_encoding", current, fixed, path, reason=why))
                current = fixed
        normal = normalise_form(current, cfg["unicode_form"])
        if normal != current:
            changes.append(Change(NAME, f"unicode_{cfg['unicode_form'].lower()}", current, normal, path,
                                  reason="canonical Unicode form"))
            current = normal
        if cfg["collapse_spaces"]:
            collapsed = collapse_spaces(current)
            if collapsed != current.strip(" \t"):  # trimming line ends alone is layout, not a change
                changes.append(Change(NAME, "collapse_spaces", current, collapsed, path,
                                      reason="runs of blanks inside a line"))
            current = collapsed
        out_lines.append(current)
    joined = "\n".join(out_lines)
    limit = "\n" * (cfg["max_blank_lines"] + 1)
    squeezed = re.sub(r"\n{%d,}" % (cfg["max_blank_lines"] + 2), limit, joined).strip("\n")
    return squeezed, changes


def run(records: list[Record], config: Config) -> list[Record]:
    cfg = config.section(NAME)
    out = []
    for record in records:
        text, changes = repair_text(record.text, cfg, record.source.path)
        out.append(record.with_changes(*changes, text=text) if changes or text != record.text
                   else replace(record))
    return out
