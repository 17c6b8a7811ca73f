"""Organisations named in the text that no gazetteer lists, found by the shape of their name.

Shapes found on tokens, their words in config/gazetteer/:
* a capitalised head word inside a sentence (`organisation_heads.txt`): "la Banque des Territoires",
  "l'Union régionale des Scop", "le Conseil fédéral";
* a lower-case kind before a capitalised name (`organisation_kinds.txt`): "le collectif La Brèche",
  "l'association Herri Bizia", "la SCIC Bois Local" (the organisation is the name);
* a context before a capitalised name (`organisation_contexts.txt`): "porté par Ricochet", "géré par la
  Scic Kerlenn", "Lauréat : Les Jardins du Val" — the name is an organisation unless the model reads a
  person there ("porté par Marie Dupont");
* capitalised words before a tail word (`organisation_tails.txt`): "Toulouse Métropole",
  "Lannion-Trégor Communauté".

Shapes found on the text, with the gazetteer's places:
* an authority before a place (`organisation_place_heads.txt`): "la Région Bretagne", "le Département
  de la Drôme";
* an acronym before a place: "CRESS Bretagne", "URSCOP Occitanie" (the acronym itself not a place);
* a prefix before a capitalised word that is not a place (`organisation_prefixes.txt`): "France Travail";
* an item of a list naming a project and its place: "- Le Jardin des Sources (Oise) : …".

Pure functions of a spaCy Doc or a text and the word lists; they give character spans, labelled ORG by
the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from ..text.calendar import MONTHS, WEEKDAYS
from ..text.words import zipf

# parts of speech a name runs over, after its head; it stops at anything else (verbs, pronouns, numbers,
# punctuation) and at a line break
_INSIDE = {"NOUN", "PROPN", "ADJ", "DET", "ADP", "X"}
_ARTICLES = {"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’"}
_CONNECT = _ARTICLES | {"et", "en", "pour", "sur"}
_MAX_TOKENS = 14


@dataclass(frozen=True)
class Words:
    heads: frozenset[str]
    kinds: tuple[tuple[str, ...], ...]  # longest first, then alphabetical: a fixed order
    tails: frozenset[str]
    contexts: tuple[tuple[str, ...], ...] = ()  # same order as kinds
    place_heads: tuple[str, ...] = ()  # longest first
    prefixes: frozenset[str] = field(default_factory=frozenset)


def _capitalised(token: Any) -> bool:
    return token.text[:1].isupper()


def _breaks(token: Any) -> bool:
    return "\n" in token.whitespace_ or "\n" in token.text


_WRAPPED_LINE = 50  # characters: a line at least this long that breaks inside a name is wrapped prose


def _wraps_at(doc: Any, j: int) -> bool:
    """Whether token j is a line break that wraps a name on ("le Réseau⏎Territoires Solidaires"): one line
    break after a word that ends a long line of prose (not a heading, a list item or a paragraph's end), the
    word after it capitalised."""
    if doc[j].text != "\n" or not 0 < j < len(doc) - 1 or doc[j - 1].is_punct or not _capitalised(doc[j + 1]):
        return False
    before = doc[j - 1]
    return before.idx + len(before.text) - (doc.text.rfind("\n", 0, before.idx) + 1) >= _WRAPPED_LINE


def _head_name(doc: Any, i: int) -> tuple[int, int] | None:
    """The name that starts at head token i, as token indexes [i, end): up to its last capitalised word,
    else up to its adjective and the lower-case complement hung on it by articles only ("Agence nationale
    de la cohésion des territoires", "Conseil fédéral"; not "Conseil fédéral dans son message")."""
    last_capital, last_lower = None, None
    chain = True  # still in "head adjective (de la noun)*"
    j = i + 1
    while j < len(doc) and j - i < _MAX_TOKENS and (not _breaks(doc[j - 1]) or _wraps_at(doc, j - 1)):
        token = doc[j]
        low = token.text.lower()
        if _wraps_at(doc, j):
            j += 1  # "le Réseau⏎Territoires Solidaires": a name wrapped over a line of prose
            continue
        if _joined_hyphen(doc, j):
            j += 1  # "Loire-Atlantique" that the tokenizer cut in three
            continue
        if any(ch.isdigit() for ch in token.text):
            if len(token.text) <= 3 and token.text.isdigit() and _capitalised(doc[j - 1]):
                last_capital = j  # "Université Rennes 2"
                j += 1
                continue
            break  # a date or an amount ends the name: "… de Bretagne le 14/11/23"
        if token.is_punct:
            break
        if low in ("à", "au", "aux") and j + 1 < len(doc) and _capitalised(doc[j + 1]):
            break  # "la Recyclerie du Val à Angers": the town is where it is, not its name
        if low == "et" and j + 1 < len(doc) and doc[j + 1].text.lower() in ("le", "la", "les", "l'", "l’", "un", "une"):
            break  # "la Caisse des dépôts et le conseil départemental": a second noun phrase starts
        if low == "et" and (j + 1 >= len(doc) or last_capital is not None
                            or _capitalised(doc[j + 1]) and doc[j + 1].pos_ != "PROPN"):
            break  # "… et la Région", "Fondation Terres Communes et du Réseau …": a second organisation
        if token.pos_ not in _INSIDE and low not in _CONNECT and not _capitalised(token):
            break
        if _capitalised(token):
            last_capital = j
        elif chain and token.pos_ == "ADJ" and j == i + 1:
            last_lower = j
        elif chain and last_lower is not None and token.pos_ in ("NOUN", "ADJ"):
            last_lower = j
        elif low not in _ARTICLES and low != "et":
            chain = False
        j += 1
    end = last_capital if last_capital is not None else last_lower
    return (i, end + 1) if end is not None else None


def _joined_hyphen(doc: Any, j: int) -> bool:
    """A hyphen with no space on either side, between two words: inside one name."""
    return doc[j].text in "-–" and 0 < j < len(doc) - 1 and not doc[j - 1].whitespace_ and not doc[j].whitespace_


def _kind_name(doc: Any, j: int) -> tuple[int, int] | None:
    """The capitalised name starting at token j (after a kind word), with the small words between
    its capitalised words ("Les Fabriques du Haut-Doubs")."""
    if j + 1 < len(doc) and doc[j].text in ('"', "«", "“") and not doc[j].whitespace_.count("\n"):
        j += 1  # la communauté « Cœur de Vallée »: the name inside its quotes
    if j >= len(doc) or not _capitalised(doc[j]) or doc[j].is_punct:
        return None
    last = j
    k = j + 1
    while k < len(doc) and k - j < _MAX_TOKENS and (not _breaks(doc[k - 1]) or _wraps_at(doc, k - 1)):
        token = doc[k]
        if _wraps_at(doc, k):
            k += 1
            continue
        if _joined_hyphen(doc, k):
            k += 1
            continue
        if _capitalised(token) and not token.is_punct:
            last = k
        elif token.text.lower() not in _ARTICLES:
            break
        k += 1
    if last == j and doc[j].pos_ == "DET":
        return None
    return (j, last + 1)


def _tail_name(doc: Any, i: int) -> tuple[int, int] | None:
    start = i
    while start > 0 and not _breaks(doc[start - 1]):
        if start > 1 and _joined_hyphen(doc, start - 1) and _capitalised(doc[start - 2]):
            start -= 2  # "Lannion-Trégor Communauté", cut in three by the tokenizer
        elif _capitalised(doc[start - 1]) and not doc[start - 1].is_punct and doc[start - 1].pos_ != "DET":
            start -= 1
        else:
            break
    return (start, i + 1) if start < i else None


_APPOSED = {"(", ",", "–", "—"}
_BEING = {"est", "était", "sont", "devient", "deviendra"}


def _apposed_name(doc: Any, k: int) -> tuple[int, int] | None:
    """The capitalised name a kind word at token k says something of: "Agil’Ess (réseau de garages
    solidaires)", "Terrabul, épicerie solidaire du quartier", "Terrabul est une épicerie", "Les Ateliers du
    Val, une coopérative"."""
    j = k - 1
    if j >= 0 and doc[j].text.lower() in ("un", "une", "la", "le", "l'", "l’", "notre", "cette"):
        j -= 1
    if j < 1 or not (doc[j].text in _APPOSED or doc[j].text.lower() in _BEING) or _breaks(doc[j - 1]):
        return None
    end = j - 1
    start, last = None, end
    while last >= 0 and end - last < _MAX_TOKENS and (last == end or not _breaks(doc[last])):
        token = doc[last]
        if _capitalised(token) and not token.is_punct:
            start = last
        elif token.text.lower() not in _ARTICLES and not _joined_hyphen(doc, last):
            break
        last -= 1
    if start is None or not _capitalised(doc[end]) and not doc[end].is_punct:
        return None
    if start < end and doc[start].pos_ == "DET" and _sentence_initial(doc, start):
        start += 1  # "La Recyclerie du Val, association …": a sentence's first article says nothing
    return (start, end + 1)


@lru_cache(maxsize=16)
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:  # order kept: longest first
        index.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(found) for first, found in index.items()}


def _word(token: Any) -> str:
    return token.text.lower().replace("’", "'")


def _written_as_a_kind(token: Any) -> bool:
    """A kind word in lower case or in capitals ("la scic", "la SCIC"); with a capital it starts a name
    ("Pôle Emploi", "Coopérative Jardins du Val")."""
    return token.text.islower() or token.text.isupper()


def _phrase_at(doc: Any, i: int, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    """The phrase of `phrases` that the tokens from i spell (case and apostrophes folded), longest first."""
    candidates = _by_first_word(phrases).get(_word(doc[i])) if i < len(doc) else None
    for phrase in candidates or ():  # longest first: "café associatif Le Comptoir", not "café" then "associatif"
        if all(i + n < len(doc) and _word(doc[i + n]) == w for n, w in enumerate(phrase)):
            return phrase
    return None


def _sentence_initial(doc: Any, i: int) -> bool:
    """A capital that says nothing: the first word of a text, a sentence or a line (a field's value after
    "Porteur :" is a name, and is not sentence-initial)."""
    return i == 0 or doc[i - 1].text in ".!?;•-–" or _breaks(doc[i - 1])


def organisation_spans(doc: Any, words: Words) -> list[tuple[int, int, str]]:
    """Character spans of the organisations the text names by the token shapes above, in text order, each
    with its shape ("head", "tail", "kind", "context")."""
    found: list[tuple[int, int, str]] = []
    for i, token in enumerate(doc):
        span, shape = None, ""
        if token.text in words.heads:
            span, shape = _head_name(doc, i), "head"
            if span and _sentence_initial(doc, i) and not any(_capitalised(t) for t in doc[i + 1:span[1]]):
                span = None  # "Mission locale" starting a line says no more than "mission locale"
        if span is None and token.text in words.tails and i > 0:
            span, shape = _tail_name(doc, i), "tail"
        kind = _phrase_at(doc, i, words.kinds) if span is None else None
        if kind:
            span, shape = _kind_name(doc, i + len(kind)), "kind"
            if span and not _written_as_a_kind(token) and zipf(_word(token)) >= 2.5:
                span, shape = (i, span[1]), "head"  # "Pôle Emploi", "Coopérative Jardins du Val": a kind that is a word
                # of French, capitalised, is in the name (not "Scic", an acronym written small)
        if span is None and (context := _phrase_at(doc, i, words.contexts)):
            j = i + len(context)
            if j < len(doc) and doc[j].text.lower() in _ARTICLES and j + 1 < len(doc):
                j += 1  # "géré par la Scic Kerlenn": the article is not the name
            if (kind := _phrase_at(doc, j, words.kinds)):
                j += len(kind)
            span, shape = _kind_name(doc, j), "context"
        if span is None and kind and _written_as_a_kind(token):
            span, shape = _apposed_name(doc, i), "apposition"
        if span and span[1] - span[0] >= 1 and (span[1] - span[0] >= 2 or span[0] != i):
            found.append((doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1].text), shape))
    return found


_CALENDAR = set(MONTHS) | set(WEEKDAYS)
_PLACE_WORDS = r"[A-ZÀ-Þ][\w’'-]*(?:\s+(?:(?:de|du|des|la|le|et|sur|en|d['’])\s*)?[A-ZÀ-Þ][\w’'-]*){0,3}"


def _place_prefix(words: str, is_place: Callable[[str], bool]) -> str | None:
    """The longest run of the first words of `words` that is a place ("Pays de la Loire", "Bretagne"), and
    the capitalised words that carry the name on past it: "Métropole du Grand Paris" is not "… du Grand",
    "PTCE Grand Lannionnais" not "PTCE Grand" (a commune "Grand" exists)."""
    parts = words.split()
    for n in range(len(parts), 0, -1):
        candidate = " ".join(parts[:n]).rstrip(",.;:")
        if is_place(candidate):
            if candidate == " ".join(parts[:n]):
                while n < len(parts) and re.fullmatch(r"[A-ZÀ-Þ][\w’'-]*", parts[n]) \
                        and parts[n].lower() not in _CALENDAR | _ARTICLES:
                    candidate, n = f"{candidate} {parts[n]}", n + 1
            return candidate
    return None


_COMPASS = {"nord", "sud", "est", "ouest", "centre", "nord-est", "nord-ouest", "sud-est", "sud-ouest"}


def _area_name(m: re.Match[str], is_area: Callable[[str], bool], is_place: Callable[[str], bool],
               is_word: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """A region's or department's name and a capitalised word of French after it, the whole the name of a
    body: "Bretagne Active", "Île-de-France Mobilités", "Drôme Habitat" (not "Bretagne Sud", "Loire Mardi")."""
    run = m.group(0)
    pieces = list(re.finditer(r"\S+", run))
    for i, first in enumerate(pieces[:-1]):  # "Avec Bretagne Active": the area may start at any word of the run
        if first.group(0).lower() in _ARTICLES:
            continue  # "Le Pas-de-Calais Actif" names "Pas-de-Calais Actif"
        for piece in pieces[i + 1:]:
            head, after = run[first.start():piece.start()].rstrip(), piece.group(0)
            if is_area(head):
                if after[:1].isupper() and after.lower() not in _CALENDAR | _COMPASS | _ARTICLES and is_word(after) \
                        and not is_place(after) and piece is pieces[-1]:
                    return [(m.start() + first.start(), m.start() + piece.end(), "area_word")]
                return []
    return []


def text_organisation_spans(text: str, words: Words, is_place: Callable[[str], bool],
                            is_word: Callable[[str], bool],
                            is_area: Callable[[str], bool] | None = None) -> list[tuple[int, int, str]]:
    """Character spans of the organisations the text names by the text shapes above (authority + place,
    acronym + place, prefix + name, list item "Name (Place) :"), each with its shape, in text order."""
    found: list[tuple[int, int, str]] = []
    if words.place_heads:
        heads = "|".join(re.escape(h) for h in words.place_heads)
        for m in re.finditer(rf"\b(?:{heads})\s+(?:(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*)?({_PLACE_WORDS})", text):
            place = _place_prefix(m.group(1), is_place)
            if place:
                found.append((m.start(), m.start(1) + len(place), "place_head"))
    for m in re.finditer(rf"\b([A-Z]{{2,8}})\s+({_PLACE_WORDS})", text):
        acronym = m.group(1)
        if is_place(acronym) or is_word(acronym) or re.fullmatch(r"[IVXLCDM]+", acronym):
            continue
        place = _place_prefix(m.group(2), is_place)
        if place:
            found.append((m.start(), m.start(2) + len(place), "acronym_place"))
    if words.prefixes:
        prefixes = "|".join(re.escape(p) for p in sorted(words.prefixes))
        for m in re.finditer(rf"\b(?:{prefixes})[ \t]+([A-ZÀ-Þ][\w’'-]+)", text):
            if not is_place(m.group(1)) and m.group(1).lower() not in _CALENDAR:
                found.append((m.start(), m.end(), "prefix"))  # not "en France Mardi", "France Juin 2020"
    if is_area is not None:
        for m in re.finditer(r"[A-ZÀ-Þ][\w’'-]*(?:[ \t]+[A-ZÀ-Þ][\w’'-]*)+", text):
            found.extend(_area_name(m, is_area, is_place, is_word))
    for m in re.finditer(r"(?m)^[ \t]*(?:[-•●▪*–][ \t]+)?([A-ZÀ-Þ][^\n():]{1,80}?)[ \t]*\(([^()\n]{2,40})\)[ \t]*[:–-]", text):
        if not is_place(m.group(1)) and is_place(m.group(2).strip()):
            parts = re.match(r"([A-Z][A-Z0-9&]{1,11})[ \t]+[-–][ \t]+(\S.*)", m.group(1))
            if parts:  # "ACRONYM - Long name (Place) :": two names of one body
                found.append((m.start(1), m.start(1) + len(parts.group(1)), "list_item"))
                found.append((m.start(1) + parts.start(2), m.end(1), "list_item"))
            else:
                found.append((m.start(1), m.end(1), "list_item"))
    return sorted(found)
