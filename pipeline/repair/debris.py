"""OCR debris judged by the shape of what is written, never by its vocabulary.

A line is debris only when it is not language in any language written in its
script: it is mostly symbol soup, or most of its tokens are junk (symbols
inside letters, `QxS`, `z;c:jgnu`) or loose letters.  Whether its words are
French does not enter: Occitan, Breton, Basque, Latin, Italian, Arabic or
Hebrew prose is made of words, and words stay.  Pictographs (emoji) are text
that people write, never debris.

Word shape, for letters of the Latin script: a vowel somewhere, no run of
more than five consonants, no letter three times in a row, and case that
reads (`Lorem`, `LOREM`, `lorem`, `McCain`; not `tHe` or `QxS`).  Letters of
other scripts (Arabic, Hebrew, Greek, Cyrillic, CJK…) are taken as words:
we have no shape rule for them, and keeping text is the safe side.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from itertools import groupby

# typography that may stand next to or inside real words
_TYPOGRAPHY = set(".,;:!?…()[]«»\"'’‘“”-–—/•·°%€$£+=#§²³&*")
_LATIN_VOWELS = set("aeiouyàáâãäåæèéêëìíîïòóôõöøœùúûüýÿāēīōūăĕĭŏŭąęįųǎěǐǒǔ")
# bounded runs: a 30,000-character line of "_" (all \w) costs a linear scan, not a quadratic one
URLISH = re.compile(r"(https?://|www\.|[\w.+-]{1,64}@[\w-]{1,63}\.[a-z]{2,}|\w\.(fr|com|org|net|eu|ly)\b)", re.I)
_NUMBERISH = re.compile(r"^[\d.,:/h€%°+\-–]+[a-zA-Z]{0,3}$")
_SEPARATORS = {"*", "**", "***", "-", "--", "---", "—", "–", "…", "...", "•", "·", "_", "__", "___", "~", "#"}
_EDGES = re.compile(r"^([(\[\"«“‘'»]*)(.*?)([)\]\".,;:!?»”’…]*)$", re.S)


# blanks and pictographs (the ranges of is_pictograph), in one pattern: what a line shows once they are gone
_BLANK_OR_PICTOGRAPH = re.compile("[\\s\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u200D\uFE0F\uFE0E\u20E3"
                                  "\U000E0020-\U000E007F]+")


def is_pictograph(ch: str) -> bool:
    """Emoji and their joiners, selectors and modifiers: written on purpose."""
    cp = ord(ch)
    return (0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF
            or cp in (0x200D, 0xFE0F, 0xFE0E, 0x20E3) or 0xE0020 <= cp <= 0xE007F)


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha() or "LATIN" in unicodedata.name(ch, "")


def word_shaped(core: str) -> bool:
    """A token that can be a word of some language: letters (joined by ' - . &), a readable shape."""
    parts = [p for p in re.split(r"['’\-.&]", core) if p]
    if not parts or not all(all(_is_letter(ch) for ch in p) for p in parts):
        return False
    letters = "".join(parts)
    if not all(_latin(ch) for ch in letters if ch.isalpha()):
        return True  # another script: no shape rule, keep
    lower = letters.lower()
    if not any(ch in _LATIN_VOWELS for ch in unicodedata.normalize("NFC", lower)):
        return len(letters) <= 4 and letters.isupper()  # an acronym (CNRS) is a word; "ss", "flgf" are not
    if re.search(r"(.)\1\1", lower) or re.search(rf"[^{''.join(_LATIN_VOWELS)}\W\d_]{{6,}}", lower):
        return False
    return all(_readable_case(part[1:]) for part in parts)


def _readable_case(tail: str) -> bool:
    """The case of a word after its first letter: all one case, or a name's camel case (VivreS, RepèrESS,
    McCain); not `tHe`, `QxS`, `venNEMENT`."""
    runs = [(upper, len(list(group))) for upper, group in groupby(tail, key=str.isupper)]
    shape = [upper for upper, _ in runs]
    if len(runs) <= 1:
        return True
    if shape == [False, True]:
        return runs[0][1] >= 2  # VivreS, RepèrESS
    return shape == [False, True, False] and runs[1][1] == 1  # McCain


@lru_cache(maxsize=200_000)  # words repeat (Zipf): each is judged once per process
def _token_kind(token: str) -> str:
    """word, junk, letter (one loose letter), or neutral (numbers, URLs, punctuation, pictographs)."""
    if URLISH.search(token) or _NUMBERISH.match(token) or all(is_pictograph(ch) for ch in token):
        return "neutral"
    core = _EDGES.match(token).group(2)
    core = "".join(ch for ch in core if not is_pictograph(ch))
    if not core:
        return "neutral" if all(ch in _TYPOGRAPHY or is_pictograph(ch) for ch in token) else "junk"
    letters = sum(_is_letter(ch) for ch in core)
    if letters == 0:
        return "neutral" if all(ch in _TYPOGRAPHY or ch.isdigit() for ch in core) else "junk"
    if letters == 1 and len(core) == 1:
        return "letter"
    return "word" if word_shaped(core) else "junk"


@lru_cache(maxsize=200_000)
def is_debris_token(token: str) -> bool:
    """Symbol soup inside a line: odd characters (not typography, not pictographs) and fewer letters than not."""
    if len(token) < 3 or URLISH.search(token) or _NUMBERISH.match(token):
        return False
    core = token.rstrip(".,;:!?…")
    if len(core) < 3 and any(_is_letter(ch) for ch in core):
        return False  # "¢a." : a short word and its punctuation ("ça." as an OCR read it), mended as a word
    odd = [ch for ch in token if not ch.isalnum() and ch not in _TYPOGRAPHY and not ch.isspace()
           and not is_pictograph(ch) and unicodedata.category(ch)[0] != "M"]
    return bool(odd) and sum(_is_letter(ch) for ch in token) / len(token) < 0.5


def is_debris_line(line: str, min_tokens: int, min_words: float) -> bool:
    """A line that is not language: mostly symbols, or (from `min_tokens` tokens on) fewer than
    `min_words` of its tokens shaped like words, the rest junk and loose letters."""
    stripped = line.strip()
    if not stripped or URLISH.search(stripped):
        return False
    visible = _BLANK_OR_PICTOGRAPH.sub("", stripped)
    if not visible:
        return False  # emoji alone: written on purpose
    if len(visible) <= 3 and not any(ch.isalnum() for ch in visible):
        # a logo or pictogram read as one symbol ("©", "=", "|"); a writer's separator ("***", "—") stays
        return visible not in _SEPARATORS
    # letters, digits and marks under half of what shows (marks counted only when the rest falls short)
    if len(visible) >= 4 and sum(map(str.isalnum, visible)) < 0.5 * len(visible) and \
            sum(ch.isalnum() or unicodedata.category(ch)[0] == "M" for ch in visible) < 0.5 * len(visible):
        return not all(ch in _TYPOGRAPHY or ch.isdigit() for ch in visible)
    kinds = [_token_kind(t) for t in stripped.split()]
    judged = [k for k in kinds if k != "neutral"]
    if len(judged) < min_tokens:
        return False
    return kinds.count("word") < min_words * len(judged)
