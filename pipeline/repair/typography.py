"""Typography in one documented way.

* Apostrophes (’ ‘ ` ´ ʼ between letters) become the configured apostrophe
  (default the plain ', which search tools and people type).
* Curly double quotes “ ” „ become "; French guillemets « » are kept.
* Before : ; ! ? » and after «, whatever blank the source used (space,
  no-break space, narrow no-break space) becomes one ordinary space; where the
  source put none, none is added.
"""

from __future__ import annotations

import re

from ..record import Edit
from .lexicon import LETTERS

_APOSTROPHES = re.compile(rf"(?<=[{LETTERS}])['’‘`´ʼ]+(?=[{LETTERS}])")
_DOUBLE = re.compile(r"[“”„]")
_BEFORE = re.compile(r"(?<![ \u00a0\u202f\u2009])[ \u00a0\u202f\u2009]+(?=[:;!?»])")  # from a run's start only: linear
_AFTER = re.compile(r"(?<=«)[ \u00a0\u202f\u2009]+")


def typography(line: str, apostrophe: str) -> str:
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
                                  reason="apostrophes, quotes and French spacing in one form"))
        out.append(new)
    return "\n".join(out), changes
