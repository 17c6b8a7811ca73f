"""Layout repair: list markers, end-of-line hyphenation, lines broken inside a sentence."""

from __future__ import annotations

import re
from itertools import accumulate

from ..record import Edit
from .lexicon import LETTERS, Lexicon

# A bullet glyph, or the "e" Tesseract reads for a round bullet before a capital.
_BULLET = re.compile(r"^\s*(?:[•●▪◦■□➢►‣∙·]|e(?= [A-ZÉÈÀÇ]))\s+(?=\S)")
_ITEM = re.compile(r"^\s*(?:- |\d{1,2}[.)] |[a-z][.)] )")
_SENTENCE_END = re.compile(r"[.!?:;»\"”)]\s*$")
_HYPHEN_END = re.compile(rf"(?<![{LETTERS}])([{LETTERS}]{{1,60}})-$")  # bounded: linear on a long run of letters
_LOWER_START = re.compile(r"^[a-zà-öø-ÿœæ0-9(]")


def list_markers(text: str) -> tuple[str, list[Edit]]:
    out, changes = [], []
    for line in text.split("\n"):
        m = _BULLET.match(line)
        if m and m.group(0) != "- ":
            changes.append(Edit("list_marker", m.group(0), "- ", reason="one list item marker: '- '"))
            line = "- " + line[m.end():]
        out.append(line)
    return "\n".join(out), changes


def _ends_open(line: str, function_words: frozenset[str]) -> bool:
    """A line that cannot end a sentence: a comma, or a function word last."""
    stripped = line.rstrip()
    if stripped.endswith(","):
        return True
    last = stripped.rsplit(" ", 1)[-1].lower()
    return last in function_words


def join_lines(text: str, lexicon: Lexicon) -> tuple[str, list[Edit]]:
    """Join lines broken inside a sentence, and words hyphenated at a line end."""
    changes: list[Edit] = []
    lines = text.split("\n")
    out: list[str] = []
    def at(before: str, start: int) -> int | None:
        """Where an edit's text stands (the line break it removes is the one before the line at `start`),
        when it stands there whole."""
        p = start - 1 - before.index("\n")
        return p if p >= 0 and text.startswith(before, p) else None

    starts = accumulate((len(x) + 1 for x in lines), initial=0)  # where each line stands in the text
    for start, line in zip(starts, lines):
        if not out or not out[-1].strip() or not line.strip() or _ITEM.match(line):
            out.append(line)
            continue
        previous = out[-1].rstrip()
        nxt = line.lstrip()
        hyphen = _HYPHEN_END.search(previous)
        if hyphen and re.match(rf"[{LETTERS}]", nxt):
            first = re.match(rf"[{LETTERS}]+", nxt).group(0)
            joined_word = hyphen.group(1) + first
            if nxt[0].islower() and lexicon.known(joined_word) and not lexicon.known(hyphen.group(1) + "-" + first):
                out[-1] = previous[:-1] + nxt
                before = f"{hyphen.group(1)}-\n{first}"
                changes.append(Edit("dehyphenate", before, joined_word, at=at(before, start),
                                    reason=f"'{joined_word}' is a word: the hyphen was the line break's"))
            else:
                out[-1] = previous + nxt
                before = f"{hyphen.group(1)}-\n{first}"
                changes.append(Edit("join_hyphenated", before, f"{hyphen.group(1)}-{first}", at=at(before, start),
                                    reason="a real hyphen at a line break: kept, the break removed"))
            continue
        if _SENTENCE_END.search(previous) or previous.endswith("-"):
            out.append(line)
            continue
        if _LOWER_START.match(nxt) or _ends_open(previous, lexicon.function_words):
            tail = previous.rsplit(" ", 1)[-1]
            head = nxt.split(" ", 1)[0]
            out[-1] = previous + " " + nxt
            changes.append(Edit("join_lines", f"{tail}\n{head}", f"{tail} {head}", at=at(f"{tail}\n{head}", start),
                                reason="line broken inside a sentence"))
            continue
        out.append(line)
    return "\n".join(out), changes
