"""Acronyms a text defines, either way round: "Fédération nationale des … (FNCUMA)" or "GARE (Groupement
des Acteurs …)", after an elided article ("l'Agence … (ANCT)"), an acronym holding a word in capitals
("Fédération nationale des CUMA (FNCUMA)")."""

from __future__ import annotations

import re
import unicodedata

_ACRONYM_AFTER = re.compile(r"\(([A-Z][A-Z0-9&]{1,11})\)")
_ACRONYM_BEFORE = re.compile(r"\b([A-Z][A-Z0-9&]{1,11})\s*\(([^()\n]{8,160})\)")
_SMALL = {"de", "des", "du", "d", "la", "le", "les", "l", "pour", "et", "en", "à", "a", "au", "aux", "une", "un", "sur"}


def acronym_definitions(text: str) -> list[tuple[str, int, int, str, int, int]]:
    """(long form, start, end, acronym, start, end) for each acronym the text defines."""
    found = []
    for m in _ACRONYM_AFTER.finditer(text):
        acronym = m.group(1)
        base = max(0, m.start() - 200)
        words = list(re.finditer(r"[\w'’-]+", text[base:m.start()]))
        for k in range(1, min(14, len(words)) + 1):
            chosen = words[-k:]
            elided = _ELISION.match(chosen[0].group(0))  # "l'Agence …": the name starts after "l'"
            skip = elided.end() if elided else 0
            if not chosen[0].group(0)[skip:skip + 1].isupper():
                continue
            if _defines([w.group(0) for w in chosen], acronym):
                start, end = base + chosen[0].start() + skip, base + chosen[-1].end()
                found.append((text[start:end], start, end, acronym, m.start(1), m.end(1)))
                break
    for m in _ACRONYM_BEFORE.finditer(text):
        acronym, inside = m.group(1), m.group(2)
        head = re.split(r"[,;:]", inside)[0].strip()
        if _defines(re.findall(r"[\w'’-]+", head), acronym):
            start = m.start(2) + inside.index(head)
            found.append((head, start, start + len(head), acronym, m.start(1), m.end(1)))
    return found


_ELISION = re.compile(r"^[dlDL]['’]")


def _initials(words: list[str], whole_capitals: bool = False) -> str:
    """The initials of the words, small words left out; with `whole_capitals`, a word in capitals gives all
    its letters ("Fédération nationale des CUMA" gives FNCUMA)."""
    out = ""
    for w in words:
        w = re.sub(r"^[dlDL]['’]", "", w)
        if w.lower() in _SMALL or not w:
            continue
        if whole_capitals and len(w) > 1 and w.isupper():
            out += w
            continue
        out += unicodedata.normalize("NFD", w[0])[0].upper()  # "épiceries" gives E
    return out


def _defines(words: list[str], acronym: str) -> bool:
    return _matches(_initials(words), acronym) or _matches(_initials(words, True), acronym)


def _matches(initials: str, acronym: str) -> bool:
    acronym = acronym.replace("&", "")
    return initials == acronym or (len(acronym) >= 3 and len(initials) >= len(acronym) - 1
                                   and acronym.startswith(initials))
