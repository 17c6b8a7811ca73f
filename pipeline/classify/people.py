"""People's names: the canonical "First Last" without titles, and one name per person in a text."""

from __future__ import annotations

import re
from typing import Any

from functools import lru_cache

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

    def word(w: str, i: int) -> str:
        if w.lower() in _PARTICLES:
            # "de La Tour": a capitalised particle after the first is part of the surname as written
            return w if i > 0 and w[:1].isupper() and not w.isupper() and parts[i - 1].lower() in _PARTICLES else w.lower()
        if re.fullmatch(r"[IVX]+", w):
            return w  # "Louis XIV", "Jean XXIII"
        return "-".join(p[:1].upper() + p[1:].lower() if p.isupper() or p.islower() else p for p in w.split("-"))

    return " ".join(word(p, i) for i, p in enumerate(parts))


def without_titles(clean: str, titles: frozenset[str]) -> str:
    parts = clean.split(" ")
    while len(parts) > 1 and (fold_name(parts[0]) in titles or parts[0].lower() in ("la", "le")
                              and len(parts) > 2 and fold_name(parts[1]) in titles):
        parts = parts[1:]  # "la Vice-Présidente Baume": the article of a title goes with it
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


@lru_cache(maxsize=1)
def _first_names() -> Any:
    """gender-guesser's first names of about fifty countries (a well-kept list, not ours), loaded once."""
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


@lru_cache(maxsize=50_000)
def is_first_name(word: str) -> bool:
    """A known first name ("Sylvie", "Kévin", "Jean-Pierre": each part of a compound), in any country."""
    detector = _first_names()
    parts = [p for p in word.split("-") if p]
    if not parts or not all(p[:1].isupper() for p in parts):
        return False
    return all(detector.get_gender(p) != "unknown" or detector.get_gender(_plain(p)) != "unknown" for p in parts)


def _plain(word: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


_UPPER_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+$")  # a surname written in capitals: DUPONT, MARCHAND-LEROUX
_CONNECTORS = {"du", "de", "des", "la", "le", "les", "et", "d", "l", "au", "aux", "en"}


def person_evidence(e: dict[str, Any], text: str, titles: frozenset[str]) -> bool:
    """Whether a name the model calls a person has what a person's name has: a known first name, a title or
    function written before it ("Mme", "la maire", "vice-présidente") or just after it ("…, présidente"),
    or the French "Prénom NOM" form.  Without any of them ("Habitalia", "Moulin Fleuri", "Episol") it is
    not counted a person."""
    words = re.findall(r"[\w'’.-]+", e["text"])
    names = [w for w in words if fold_name(w.rstrip(".")) not in titles]
    if len(names) < len(words):  # a title inside the mention: "M. Dupont", "la présidente Anne Roux"
        return True
    if any(is_first_name(w) for w in e["canonical"].split()):
        return True
    if len(names) >= 2 and re.fullmatch(r"[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.)?", names[0]):
        return True  # an initial before the surname: "F. Ody", "J.-P. Roux"
    if len(names) >= 2 and any(_UPPER_NAME.match(w) for w in names) and any(w[:1].isupper() and not w.isupper()
                                                                             for w in names):
        return True  # "Sylvie MARCHAND-LEROUX", "DUPONT Marie"
    if not _named_like_a_thing(names):
        return True  # a name that is no word of French, written as a person's ("Schulthess", "Abou Diallo")
    before = re.findall(r"[\w'’.-]+", text[max(0, e["start"] - 40):e["start"]])[-3:]  # "M. le directeur X"
    after = re.match(r"\s*[,(–-]\s*([\w'’.-]+)", text[e["end"]:e["end"] + 40])
    return any(_title(w, titles) for w in before) or bool(after and _title(after.group(1), titles))


def _named_like_a_thing(names: list[str]) -> bool:
    """The shape of a name of a thing rather than of a person: an article or a connector in it ("La Remise",
    "EpiSol Du Bourget"), a capital inside a word or an apostrophe ("EpiSol", "Épi’soleil"), an acronym
    ("CRESS"), or a common word of French ("Solidaire", "Covid", "Moulin Fleuri")."""
    from ..text.words import zipf

    for i, w in enumerate(names):
        bare = w.strip(".")
        if bare.lower() in _CONNECTORS or (i == 0 and bare.lower() in ("l'", "l’")):
            return True
        if any(ch.isupper() for ch in bare[1:]) and not bare.isupper() or "'" in bare or "’" in bare:
            return True
        if bare.isupper() and len(names) == 1:
            return True
        if zipf(bare.lower()) >= COMMON_WORD_ZIPF:
            return True
    return False


COMMON_WORD_ZIPF = 3.0  # "solidaire", "moulin", "remise", "covid" are at or above; surnames ("Planta") below


def _title(word: str, titles: frozenset[str]) -> bool:
    """A title or function, in either number ("directeur", "les directeurs", "MM.")."""
    key = fold_name(word.rstrip("."))
    return key in titles or key.endswith("s") and key[:-1] in titles


_LIST_JOIN = re.compile(r"\s*(?:[,;/]|\bet\b|&)\s*$")


def gate_people(found: list[dict[str, Any]], text: str, titles: frozenset[str]) -> list[dict[str, Any]]:
    """Each person the text names with evidence (`person_evidence`), or named in a list right after one
    ("MM. Marc Peter, Rochaix, Fazy et Sigg": what the list's first name has holds for the others); the
    others become MISC: the mention stays, the people list does not take it."""
    out = []
    previous: dict[str, Any] | None = None  # the last person kept
    for e in found:
        if e["label"] == "PER":
            listed = previous is not None and _LIST_JOIN.fullmatch(text[previous["end"]:e["start"]]) is not None
            if listed or person_evidence(e, text, titles):
                previous = e
            else:
                e = {**e, "label": "MISC"}
        out.append(e)
    return out
