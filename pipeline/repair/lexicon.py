"""What repair knows about words: frequencies (wordfreq), the project lexicon, confusions.

All word lists come from `config/`; this module only loads them and answers
questions such as "is this a known word?" and "what did OCR most likely
mean?".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import data_lines, find_data
from ..text.words import LETTERS, WORD, zipf  # noqa: F401  (LETTERS for the other repair modules)

@dataclass(frozen=True)
class Lexicon:
    protected: frozenset[str]
    function_words: frozenset[str]
    confusions: tuple[tuple[str, str], ...]
    word_rules: tuple[tuple[str, str], ...]  # the confusions that apply inside a word (not elisions)
    known_zipf: float
    min_gain: float
    min_candidate: float

    @classmethod
    def load(cls, base: Path, cfg: dict) -> "Lexicon":
        confusions = []
        for line in data_lines(find_data(base, cfg["confusions_file"])):
            wrong, _, right = line.partition("\t")
            if wrong and right:
                confusions.append((wrong, right.split("#")[0].strip()))
        return cls(
            protected=frozenset(x.strip() for x in data_lines(find_data(base, cfg["lexicon_file"]))),
            function_words=frozenset(x.strip().lower() for x in data_lines(find_data(base, cfg["function_words_file"]))),
            confusions=tuple(confusions),
            word_rules=tuple(r for r in confusions if not r[0].endswith("'")),
            known_zipf=cfg["known_zipf"],
            min_gain=cfg["min_gain_zipf"],
            min_candidate=cfg["min_candidate_zipf"],
        )

    def known(self, word: str) -> bool:
        """A word of French or English (an English passage is not OCR damage), or of our lexicon."""
        if word in self.protected:
            return True
        lower = word.lower()
        return zipf(lower, "fr") >= self.known_zipf or zipf(lower, "en") >= self.known_zipf

    def french(self, word: str) -> bool:
        """A word French knows (wordfreq Zipf at least `known_zipf`), whatever its case: "coté", "tres"."""
        return zipf(word.lower()) >= self.known_zipf

    def correction(self, word: str) -> str | None:
        """The word OCR most likely damaged into `word` (lower case), or None."""
        return _best_candidate(word, self.word_rules, self.min_gain, self.min_candidate, self.function_words)


@lru_cache(maxsize=100_000)
def _unaccented(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


def changes_inflection(word: str, candidate: str) -> bool:
    """True when `candidate` differs from `word` by a gender or number ending (invitées / invités,
    projet / projets): both are words, and which one the author meant is grammar, not OCR."""
    a, b = _unaccented(word), _unaccented(candidate)
    if len(a) == len(b):
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return len(a) - i <= 3 and len(b) - i <= 3 and set(a[i:] + b[i:]) <= {"e", "s", "x"}


def _apply_each(word: str, rules: tuple[tuple[str, str], ...]) -> set[str]:
    out = set()
    for wrong, right in rules:
        start = word.find(wrong)
        while start != -1:
            out.add(word[:start] + right + word[start + len(wrong):])
            start = word.find(wrong, start + 1)
    return out


@lru_cache(maxsize=100_000)
def _best_candidate(word: str, rules: tuple[tuple[str, str], ...], min_gain: float, min_candidate: float,
                    function_words: frozenset[str]) -> str | None:
    base = zipf(word)
    floor = max(min_candidate, base + min_gain)
    single = _apply_each(word, rules)
    single = {c for c in single if not changes_inflection(word, c)}
    scored = [(zipf(c), c) for c in single if WORD.fullmatch(c)]
    if not any(score >= floor for score, _ in scored):
        double = set()
        for candidate in single:
            double |= _apply_each(candidate, rules)
        scored += [(zipf(c), c) for c in double - single if WORD.fullmatch(c) and not changes_inflection(word, c)]
    if scored:
        score, best = max(scored, key=lambda s: (s[0], s[1]))
        if score >= floor:
            return best
    # a word glued to a function word: "surles" -> "sur les", "monologueen" -> "monologue en".  Only a
    # token that is no word at all (rare literary forms such as "pusse" or "ravisa" are words), or two
    # function words; the other part is a word of at least four letters ("ce ile" is no repair).
    if base < 2.0 and len(word) >= 5:
        splits = []
        for i in range(2, len(word) - 1):
            left, right = word[:i], word[i:]
            both = left in function_words and right in function_words
            one = (left in function_words and len(right) >= 4) or (right in function_words and len(left) >= 4)
            if (both or base == 0.0 and one) and zipf(left) >= min_candidate and zipf(right) >= min_candidate:
                splits.append((min(zipf(left), zipf(right)), f"{left} {right}"))
        if splits:
            return max(splits)[1]
    return None
