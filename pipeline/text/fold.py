"""Ways of folding text for comparison, one name per meaning."""

from __future__ import annotations

import re
import unicodedata

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
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = _ARTICLE.sub("", text.strip())
    return re.sub(r"[\s\-'’.]+", " ", text).strip()
