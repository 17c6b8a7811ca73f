"""Typography: the author's, kept.

With `apostrophe = "keep"` (the default) the author's ’ and ', “ ” « » – and
no-break spaces stay as written: folding is for matching and search, never
for the text.  Only marks that are not an apostrophe but stand for one
between letters (` ´ ʼ ‘: "l`objet") become the typographic ’.

With `apostrophe = "'"` or `"’"`, the text is put in one form instead:
every apostrophe becomes that one, curly double quotes “ ” „ become ", and
before : ; ! ? » and after « whatever blank the source used (space, no-break
space, narrow no-break space) becomes one ordinary space.
"""

from __future__ import annotations

import re

from ..record import Edit
from .lexicon import LETTERS

_APOSTROPHES = re.compile(rf"(?<=[{LETTERS}])['’‘`´ʼ]+(?=[{LETTERS}])")
_DOUBLE = re.compile(r"[“”„]")
_BEFORE = re.compile(r"(?<![ \u00a0\u202f\u2009])[ \u00a0\u202f\u2009]+(?=[:;!?»])")  # from a run's start only: linear
_AFTER = re.compile(r"(?<=«)[ \u00a0\u202f\u2009]+")


_STRAY = re.compile(rf"(?<=[{LETTERS}])[`´ʼ‘]+(?=[{LETTERS}])")


def typography(line: str, apostrophe: str) -> str:
    if apostrophe == "keep":
        return _STRAY.sub("’", line)
    line = _APOSTROPHES.sub(apostrophe, line)
    line = _DOUBLE.sub('"', line)
    line = _BEFORE.sub(" ", line)
    return _AFTER.sub(" ", line)


def fix_typography(text: str, apostrophe: str) -> tuple[str, list[Edit]]:
    out, changes = [], []
    for line in text.split("\n"):
        new = typography(line, apostrophe)
        if new != line:
            changes.append(Edit("typography", line, new,
                                  reason="a mark standing for an apostrophe" if apostrophe == "keep" else
                                  "apostrophes, quotes and French spacing in one form"))
        out.append(new)
    return "\n".join(out), changes
