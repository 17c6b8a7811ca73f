"""Typography: the author's, kept.

With `apostrophe = "keep"` (the default) the author's ’ and ', “ ” « » – and
no-break spaces stay as written: folding is for matching and search, never
for the text.  Only marks that are not an apostrophe but stand for one
between letters (` ´ ʼ ‘: "l`objet") become the typographic ’, and marks
doubled between letters become one ("I'’émergence": the author's ’ or ' is
kept), each its own change where it stands.

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


# Between letters: a mark standing for an apostrophe (` ´ ʼ ‘), or marks doubled ("I'’émergence": no French
# word holds two apostrophes in a row, an OCR read one twice).
_STRAY = re.compile(rf"(?<=[{LETTERS}])(?:['’`´ʼ‘]{{2,}}|[`´ʼ‘])(?=[{LETTERS}])")


def _one_apostrophe(marks: str) -> str:
    """The apostrophe a run of marks stands for: the author's ’ or ' if the run holds one, else ’."""
    return "’" if "’" in marks else "'" if "'" in marks else "’"


def typography(line: str, apostrophe: str) -> str:
    if apostrophe == "keep":
        return _STRAY.sub(lambda m: _one_apostrophe(m.group(0)), line)
    line = _APOSTROPHES.sub(apostrophe, line)
    line = _DOUBLE.sub('"', line)
    line = _BEFORE.sub(" ", line)
    return _AFTER.sub(" ", line)


def fix_typography(text: str, apostrophe: str) -> tuple[str, list[Edit]]:
    """With the author's typography kept, one change per mark mended, where it stands (not its line
    rewritten); in one form, one change per line."""
    out, changes = [], []
    at = 0  # where the line starts in the text
    for line in text.split("\n"):
        new = typography(line, apostrophe)
        if new != line and apostrophe == "keep":
            changes += [Edit("typography", m.group(0), _one_apostrophe(m.group(0)),
                             reason="a mark standing for an apostrophe", at=at + m.start())
                        for m in _STRAY.finditer(line)]
        elif new != line:
            changes.append(Edit("typography", line, new, reason="apostrophes, quotes and French spacing in one form"))
        out.append(new)
        at += len(line) + 1
    return "\n".join(out), changes
