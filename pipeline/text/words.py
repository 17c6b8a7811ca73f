"""Letters and word frequencies (wordfreq), shared by repair and classify."""

from __future__ import annotations

import re
from functools import lru_cache

LETTERS = "A-Za-zÀ-ÖØ-öø-ÿŒœÆæ"
WORD = re.compile(rf"[{LETTERS}]+")


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "fr") -> float:
    """wordfreq's Zipf frequency; 0 for a string that is not letters only (wordfreq
    would drop the odd characters and score what is left: "¢a" as "a")."""
    from wordfreq import zipf_frequency

    if not WORD.fullmatch(word):
        return 0.0
    return zipf_frequency(word, lang)
