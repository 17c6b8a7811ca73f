"""Which language a passage is in.

Two detectors, both deterministic: langdetect with a seed of our own (repair's French gate, measured on
ICDAR), and lingua-language-detector (classify's `language`, per record and per paragraph), which
`make bench` (bench/languages.py) measured on text written by others: under 40 letters, with glaneur's
list of languages and a minimum distance of 0.1, 0.66 right, 0.02 wrong and the rest "unknown" (null),
where langdetect is wrong on 0.19 of such texts (glaneur never asked it below 40 letters); 0.98 right on
40-100 letters, like langdetect; and never French for Occitan, Breton or Corsican.  Before classify asks
lingua, a cheap test (`FrenchTest`: French's small words, none of a neighbour's) settles the paragraphs that
are plainly French.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .words import zipf


@lru_cache(maxsize=4)
def _factory(seed: int):
    """A langdetect factory of our own, with its seed: langdetect's global one (and its global seed) are left
    alone, and its profiles are read once per process."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = seed
    return factory


@lru_cache(maxsize=50_000)
def detect_language(text: str, seed: int, min_chars: int) -> str | None:
    """ISO 639-1 code of `text`, or None under `min_chars` letters or when langdetect cannot say."""
    from langdetect import LangDetectException

    if sum(ch.isalpha() for ch in text) < min_chars:
        return None
    detector = _factory(seed).create()
    detector.append(text)
    try:
        return detector.detect()
    except LangDetectException:
        return None


def passage_languages(paragraphs: list[str], seed: int, min_chars: int, default: str | None,
                      sample_chars: int = 3000) -> list[str | None]:
    """The language of each paragraph; one too short to tell takes the whole text's (the language of most
    letters among the paragraphs that could be told), or `default` when none could and the whole text is
    too short too.  Long paragraphs are judged on their first
    `sample_chars` characters, so the cost stays linear in the text."""
    found = [detect_language(p[:sample_chars], seed, min_chars) for p in paragraphs]
    if all(found):
        return found
    # The whole text's language is that of most of its letters among the paragraphs that could be judged
    # (judging the joined text again would cost as much as all of them, at every round of repair); only
    # when none could is the joined text judged, and it is short then.
    letters: dict[str, int] = {}
    for paragraph, language in zip(paragraphs, found):
        if language:
            letters[language] = letters.get(language, 0) + len(paragraph)
    overall = max(sorted(letters), key=lambda code: letters[code]) if letters else \
        detect_language("\n".join(paragraphs)[:20_000], seed, min_chars)
    return [language or overall or default for language in found]


@lru_cache(maxsize=4)
def _lingua(codes: tuple[str, ...], distance: float):
    """A lingua detector over the languages `codes` (ISO 639-1), built once per process: about 3 s and
    300 MB for twenty languages, where all 75 take 900 MB.  Its models are read as languages come up
    (preloading them all is faster by the clock, 2.4 s against 2.9 s, but costs 4.5 s of CPU: slower when
    every core has a worker)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_iso_codes_639_1(*(getattr(IsoCode639_1, c.upper()) for c in codes)) \
        .with_minimum_relative_distance(distance).build()


def lingua_code_known(code: str) -> bool:
    from lingua import IsoCode639_1

    return hasattr(IsoCode639_1, code.upper())


@lru_cache(maxsize=50_000)
def detect_with_lingua(text: str, codes: tuple[str, ...], distance: float, min_chars: int) -> str | None:
    """ISO 639-1 code of `text` among `codes`, or None under `min_chars` letters or when the best two
    languages are closer than `distance` (lingua's minimum relative distance): unknown rather than wrong."""
    if sum(ch.isalpha() for ch in text) < min_chars:
        return None
    found = _lingua(codes, distance).detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None


_LETTER_RUNS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class FrenchTest:
    """The cheap test that settles a plainly French paragraph before a detector is asked ([classify]
    french_*): at least `min_words` words, a share of at least `min_share` of them from `words` (French's
    small words), at least `min_distinct` different ones, not one of `not_words` (the small words of the
    languages users quote beside French), and at least `min_known_share` of its lower-case words of three
    letters or more known to French (wordfreq's Zipf frequency at least `known_zipf`: "la asociación de
    vecinos" has French small words, not French words).  Anything else goes to the detector."""

    words: frozenset[str]
    not_words: frozenset[str]
    min_words: int
    min_share: float
    min_distinct: int
    known_zipf: float
    min_known_share: float

    def __call__(self, text: str) -> bool:
        words = _LETTER_RUNS.findall(text)
        folded = [w.casefold() for w in words]
        if len(words) < self.min_words:
            return False
        found = [w for w in folded if w in self.words]
        if len(found) < self.min_share * len(words) or len(set(found)) < self.min_distinct:
            return False
        if any(w in self.not_words for w in folded):
            return False
        content = [w for w in words if len(w) >= 3 and w.islower()]
        known = sum(zipf(w, "fr") >= self.known_zipf for w in content)
        return known >= self.min_known_share * len(content)
