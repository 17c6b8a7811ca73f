"""One sense per discourse: what the strongest context of a text says a name is holds for every mention of
that name in the text.

An organisation found by its shape ("l'épicerie Terrabul", "Terrabul (épicerie solidaire)"), by the
gazetteer or by the model is the same thing where the name stands alone ("Depuis 2020, Terrabul est
autonome"): a mention kept only as MISC (a person without evidence), or a place the gazetteer does not
know, takes the organisation's label and canonical name; a mention nothing found is added.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..text.fold import fold_name
from ..text.spans import Spans


def one_sense(found: list[dict[str, Any]], text: str, is_place: Callable[[str], bool],
              strong: set[tuple[int, int]]) -> list[dict[str, Any]]:
    """The entities of a text, each name labelled as its organisation mentions say, in text order.  Only
    organisations found by a strong context (`strong`: their spans) speak for the other mentions; a person
    with evidence stays one ("chez Balenciaga" does not make Balenciaga a firm everywhere)."""
    organisations: dict[str, str] = {}  # folded name -> canonical
    for e in found:
        if e["label"] == "ORG" and _a_name(e["text"]) and (e["start"], e["end"]) in strong:
            organisations.setdefault(fold_name(e["text"]), e["canonical"])
    if not organisations:
        return found
    out = []
    for e in found:
        key = fold_name(e["text"])
        if e["label"] in ("MISC", "LOC") and key in organisations and not is_place(e["text"]):
            e = {**e, "label": "ORG", "canonical": organisations[key]}
        out.append(e)
    taken = Spans()
    for e in out:
        taken.add(e["start"], e["end"])
    surfaces = sorted({e["text"] for e in out if e["label"] == "ORG" and fold_name(e["text"]) in organisations
                       and _a_name(e["text"])}, key=lambda t: (-len(t), t))
    added = []
    for surface in surfaces:
        for m in re.finditer(r"(?<![\w’'-])" + re.escape(surface) + r"(?![\w’'-])", text):
            if taken.add(m.start(), m.end()):
                added.append({"text": surface, "label": "ORG", "start": m.start(), "end": m.end(),
                              "canonical": organisations[fold_name(surface)]})
    return sorted(out + added, key=lambda e: (e["start"], e["end"])) if added else out


def _a_name(surface: str) -> bool:
    """A name that can stand for its organisation alone: one line, a capital, four letters or more."""
    return "\n" not in surface and surface[:1].isupper() and sum(ch.isalpha() for ch in surface) >= 4
