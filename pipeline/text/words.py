"""Letters and word frequencies (wordfreq), shared by repair and classify."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

LETTERS = "A-Za-zÀ-ÖØ-öø-ÿŒœÆæ"
WORD = re.compile(rf"[{LETTERS}]+")


@cache
def _listed(lang: str) -> dict[str, float]:
    """wordfreq's own table of the language (token -> frequency), read once per process."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict(lang)


def zipf(word: str, lang: str = "fr") -> float:
    """wordfreq's Zipf frequency; 0 for a string that is not letters only (wordfreq
    would drop the odd characters and score what is left: "¢a" as "a").

    Repair asks this of hundreds of thousands of candidate spellings, nearly all of them no word: a string
    that is already one lower-case token (wordfreq's tokenizer leaves it as it is) and is not in wordfreq's
    table scores 0 without the tokenizer's cost — what `zipf_frequency` says, checked against it in
    tests/text/test_words.py."""
    if not WORD.fullmatch(word):
        return 0.0
    if word not in _listed(lang) and unicodedata.normalize("NFC", word.casefold()) == word:
        return 0.0
    return _zipf(word, lang)


@lru_cache(maxsize=200_000)
def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)
