"""People's names: the canonical "First Last" without titles, and one name per person in a text."""

from __future__ import annotations

import re
from typing import Any

from ..text.fold import fold_name

_PARTICLES = {"de", "du", "des", "le", "la", "van", "von", "d'", "di"}
_HONORIFICS = re.compile(r"^(?:M\.|Mme|Mlle|Mr|Dr|Pr|Me|Monsieur|Madame)\s+")


def person_name(text: str, titles: frozenset[str] = frozenset()) -> str:
    """'COUBARD Céline' or 'céline coubard' -> 'Céline Coubard'; titles before the name are left out
    ('M. Hagenbeck' -> 'Hagenbeck', 'général de Gaulle' -> 'de Gaulle')."""
    text = _HONORIFICS.sub("", re.sub(r"\s+", " ", text).strip(" ,.;:"))
    parts = without_titles(text, titles).split(" ")
    if len(parts) == 2 and parts[0].isupper() and len(parts[0]) > 1 and not parts[1].isupper() and "." not in parts[0]:
        parts = [parts[1], parts[0]]

    def word(w: str) -> str:
        if w.lower() in _PARTICLES:
            return w.lower()
        return "-".join(p[:1].upper() + p[1:].lower() if p.isupper() or p.islower() else p for p in w.split("-"))

    return " ".join(word(p) for p in parts)


def without_titles(clean: str, titles: frozenset[str]) -> str:
    parts = clean.split(" ")
    while len(parts) > 1 and fold_name(parts[0]) in titles:
        parts = parts[1:]
    return " ".join(parts)


def link_people(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One person, one canonical name in a text: a surname alone ("Chirac", "M. Zberg") takes the full name
    written elsewhere in the text ("Jacques Chirac"); a lone word the model called a place or an
    organisation that is the surname of a person named in the text is that person ("Zulle")."""
    full: dict[str, str] = {}
    for e in found:
        if e["label"] == "PER" and len(e["canonical"].split()) >= 2:
            full.setdefault(fold_name(e["canonical"]), e["canonical"])
            full.setdefault(fold_name(e["canonical"].split()[-1]), e["canonical"])
    out = []
    for e in found:
        key = fold_name(e["canonical"])
        if key in full and e["label"] in ("PER", "LOC", "ORG") and "postcode" not in e:
            e = {**e, "label": "PER", "canonical": full[key]}
        out.append(e)
    return out
