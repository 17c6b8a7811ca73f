"""Names that the structure of a list gives: lines whose fields are a place and a name.

A list of laureates, members or projects by region is written one line each, its fields set apart by
dashes, the place first:

    - Bretagne - PTCE Pays de Morlaix
    - Occitanie - Haute Vallée - Les Jardins du Causse

The first field is a region, a department or a known place: a place.  The last field, capitalised and
neither a place nor a kind of body ("PTCE" alone), is the name of what is listed: an organisation.  A
field between them that is a known place is a place.  Only lines made of such fields count: prose with
a dash in it never has a known place alone before its first dash.

Pure functions of the text; the caller gives what the gazetteer knows.
"""

from __future__ import annotations

import re
from typing import Callable

_LINE = re.compile(r"(?m)^[ \t]*(?:[-•●▪*–][ \t]+)?([^\n]{2,240})$")
_FIELD_SEP = re.compile(r"[ \t]+[-–—][ \t]+")


def listed_names(text: str, is_area: Callable[[str], bool], is_place: Callable[[str], bool],
                 is_generic: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """(start, end, "LOC" or "ORG") of the places and names of the text's place-first list lines."""
    found: list[tuple[int, int, str]] = []
    for line in _LINE.finditer(text):
        body, base = line.group(1).rstrip(), line.start(1)
        cuts = list(_FIELD_SEP.finditer(body))
        if not 1 <= len(cuts) <= 3:
            continue
        bounds = [0, *(x for c in cuts for x in (c.start(), c.end())), len(body)]
        fields = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
        words = [body[a:b] for a, b in fields]
        if any(not w or len(w) > 90 or w[-1] in ".!?:;," for w in words) or not is_area(words[0]):
            continue
        last = words[-1]
        if not (last[:1].isupper() or last[:1].isdigit()) or is_place(last) or is_generic(last):
            continue
        found.append((base + fields[0][0], base + fields[0][1], "LOC"))
        for (a, b), word in zip(fields[1:-1], words[1:-1]):
            if is_place(word):
                found.append((base + a, base + b, "LOC"))
        found.append((base + fields[-1][0], base + fields[-1][1], "ORG"))
    return found
