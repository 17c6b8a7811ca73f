"""The structure of a record's text: blocks (heading, paragraph, list item) and sentences, as offsets."""

from __future__ import annotations

import re
from typing import Any

from ..text.fold import fold_blanks
from .rules import ITEM, Rules, is_title_like

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»)]?\s+(?=[\"«(]?[A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATIONS = re.compile(r"\b(?:M|Mme|Mlle|Dr|Pr|St|Ste|cf|etc|p|n°|art|av|bd|ex|éd|vol|fig|env)\.$")


def structure(paras: list[str], rules: Rules) -> tuple[str, list[dict[str, Any]], list[list[int]]]:
    """Join paragraphs into the record's text; blocks (heading, paragraph, list_item) and sentences."""
    text_parts: list[str] = []
    blocks: list[dict[str, Any]] = []
    sentences: list[list[int]] = []
    offset = 0
    for para in paras:
        if text_parts:
            offset += 2
        text_parts.append(para)
        line_start = offset
        for line in para.split("\n"):
            end = line_start + len(line)
            if ITEM.match(line):
                kind = "list_item"
            elif len(para.split("\n")) == 1 and (is_title_like(line, rules) or line.rstrip().endswith(":")
                                                 and len(line) <= 80) or fold_blanks(line) in rules.generic_titles:
                kind = "heading"
            else:
                kind = "paragraph"
            if kind == "paragraph" and blocks and blocks[-1]["kind"] == "paragraph" and blocks[-1]["end"] == line_start - 1:
                blocks[-1]["end"] = end
            else:
                blocks.append({"kind": kind, "start": line_start, "end": end})
            start = line_start
            for m in _SENTENCE_END.finditer(line):
                # the few characters before the stop, not the whole line: linear on a 200k-character line
                if _ABBREVIATIONS.search(line, max(0, m.start() - 8), m.start()):
                    continue
                sentences.append([start, line_start + m.start()])
                start = line_start + m.end()
            if start < end:
                sentences.append([start, end])
            line_start = end + 1
        offset += len(para)
    return "\n\n".join(text_parts), blocks, sentences
