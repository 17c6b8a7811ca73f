"""Texts cut into the pieces a page shows: entities to highlight, words struck and inserted, passages
removed.  Pure functions giving plain data; the templates write the markup (and escape every piece)."""

from __future__ import annotations

import difflib
import re
from typing import Any


def highlighted(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The clean text as pieces: plain text, or an entity with its label and canonical name."""
    out: list[dict[str, Any]] = []
    at = 0
    for e in sorted(entities, key=lambda e: (e["start"], -e["end"])):
        if e["start"] < at or e["end"] > len(text):
            continue
        if e["start"] > at:
            out.append({"text": text[at:e["start"]]})
        out.append({"text": text[e["start"]:e["end"]], "label": e["label"], "canonical": e["canonical"]})
        at = e["end"]
    if at < len(text):
        out.append({"text": text[at:]})
    return out


def word_diff(before: str, after: str) -> list[dict[str, str]]:
    """A small rewrite word by word: pieces kept ("same"), struck ("del", a removed line break as
    "break") and inserted ("ins")."""
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    out: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append({"kind": "same", "text": "".join(a[i1:i2])})
            continue
        if i2 > i1:
            gone = "".join(a[i1:i2])
            out.append({"kind": "break" if not gone.strip() and "\n" in gone else "del", "text": gone})
        if j2 > j1:
            out.append({"kind": "ins", "text": "".join(b[j1:j2])})
    return out
