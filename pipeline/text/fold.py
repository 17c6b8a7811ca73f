"""Ways of folding text for comparison, one name per meaning."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import product

_WORD = re.compile(r"\w+", re.U)
_ARTICLE = re.compile(r"^(?:l'|l’|la |le |les |du |des |de la |de l'|de |d'|d’|au |aux )", re.I)


def fold_blanks(line: str) -> str:
    """A line compared without regard to case or runs of blanks (chrome, labels, titles)."""
    return re.sub(r"\s+", " ", line).strip().casefold()


def fold_words(text: str) -> str:
    """Only the words, lower case, one space apart (passages compared for duplicates)."""
    return " ".join(_WORD.findall(text.casefold()))


def fold_name(text: str) -> str:
    """A name compared without case, accents, a leading article, hyphens or apostrophes: "l'Avisé",
    "AVISE" and "Avise" are one; "Ille et Vilaine" finds "Ille-et-Vilaine"."""
    text = text.casefold()
    if not text.isascii():  # ASCII has no accents, œ or æ to take off: the gazetteer folds 200,000 names
        text = _strip_accents(text)
    text = _ARTICLE.sub("", text.strip())
    return _NAME_SEPARATORS.sub(" ", text).strip()


_NAME_SEPARATORS = re.compile(r"[\s\-'’.]+")


def _strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("œ", "oe").replace("æ", "ae")


def number_forms(word: str) -> tuple[str, ...]:
    """A French word's singular and plural, lower case, the word first: "cantine" → (cantine, cantines),
    "épiceries" → (épiceries, épicerie), "journaux" → (journaux, journal), "réseau" → (réseau, réseaux).
    Written beside a record's text in the search index, so that either number of a word finds the other,
    whatever tool queries the index (glaneur search, Datasette's box)."""
    w = word.casefold()
    if len(w) < 3 or not w.isalpha():
        return (w,)
    if w.endswith(("eaux", "eux")):
        others = [w[:-1]]
    elif w.endswith("aux") and len(w) > 4:
        others = [w[:-3] + "al", w[:-3] + "ail"]
    elif w.endswith("al"):
        others = [w[:-2] + "aux"]
    elif w.endswith(("eau", "eu", "au")):
        others = [w + "x"]
    elif w.endswith(("s", "x", "z")):
        others = [w[:-1]] if w.endswith("s") and len(w) > 3 else []
    else:
        others = [w + "s"]
    return tuple(dict.fromkeys([w, *others]))


def search_forms(text: str) -> str:
    """Every word of `text` in both numbers and both ways of writing œ and æ, each form once, in order of
    first use (see number_forms); then each word joined by hyphens ("tiers-lieu") in its other numbers, its
    parts side by side ("tiers lieux"), each such form apart from the others: a search for it is a phrase of
    its parts, which the words alone, each once and apart, never make."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text):
        for form in _forms(word):
            seen.setdefault(form, None)
    joined: dict[str, None] = {}
    for compound in _COMPOUND.findall(text):
        for form in _compound_forms(compound.casefold()):
            joined.setdefault(form, None)
    if not joined:
        return " ".join(seen)
    # each compound's form a phrase of its own: a word no query holds between them, so that two forms side by
    # side never make a phrase the text does not hold ("centre villes centres ville" held "villes centres")
    return f" {APART} ".join([" ".join(seen), *joined])


APART = "ǂ"  # a letter (FTS5 keeps it as a word) no French query is written with

_HYPHENS = re.compile(r"[-‐‑]")  # a hyphen, and its two Unicode forms that do not break a line or do
_COMPOUND = re.compile(rf"\w+(?:{_HYPHENS.pattern}\w+)+", re.U)
MAX_COMPOUND_PARTS = 3  # "tiers-lieu", "Saint-Jean-de-Luz" is a name: its number is never asked for


@lru_cache(maxsize=4096)
def _compound_forms(compound: str) -> tuple[str, ...]:
    """A hyphenated word's parts in each of their numbers, side by side, but as written (the text holds
    that): "tiers-lieu" → ("tiers lieux", "tier lieu", "tier lieux")."""
    parts = _HYPHENS.split(compound)
    if len(parts) > MAX_COMPOUND_PARTS:
        return ()
    written = " ".join(parts)
    return tuple(f for f in dict.fromkeys(" ".join(c) for c in product(*(number_forms(p) for p in parts)))
                 if f != written)


@lru_cache(maxsize=16_384)
def _forms(word: str) -> tuple[str, ...]:
    """One word's forms for search_forms, in order (cached: the words of a corpus repeat).  16,384 words:
    about 5 MB, where 100,000 held about 30 MB in the main process of a 10,000-document run for 13 % less
    time on the words of 5,600 records (the frequent words stay; the rare ones are cheap to fold again)."""
    out: list[str] = []
    for form in number_forms(word):
        out.append(form)
        for joined, apart in (("œ", "oe"), ("æ", "ae")):  # "œuvre" and "oeuvre": unicode61 keeps œ whole
            if joined in form:
                out.append(form.replace(joined, apart))
            elif apart in form:
                out.append(form.replace(apart, joined))
    return tuple(out)
