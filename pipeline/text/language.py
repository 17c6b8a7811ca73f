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
from typing import Any

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


_SPACES = re.compile(" +")


@lru_cache(maxsize=4)
def _detector_class(seed: int):
    """langdetect's Detector with its two loops written faster, the same answer to the last bit
    (`tests/text/test_language.py` compares both on every probability): its n-grams read with a memo of
    each character's normal form, and each trial's products on numpy arrays of the profiles, the same
    operations in the same order (the sum of a trial's probabilities stays Python's own, term by term).
    Repair asks it of every passage with a word to mend: half of repair's time on the bench's word salad."""
    import numpy as np
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException
    from langdetect.utils.ngram import NGram

    profiles = _factory(seed).word_lang_prob_map
    rows: dict[str, Any] = {}  # each n-gram's profile as an array, made the first time a text has it (all
    # 87,598 at once would cost 0.8 s and 59 MB in every process that repairs)
    normal: dict[str, str] = {}

    class Faster(Detector):
        def append(self, text):
            text = NGram.normalize_vi(self.MAIL_RE.sub(" ", self.URL_RE.sub(" ", text)))
            self.text += _SPACES.sub(" ", text[:self.max_text_length])  # each run of blanks as one, as it does

        def _extract_ngrams(self):
            known, result = self.word_lang_prob_map, []
            grams, capital = " ", False
            for ch in self.text:
                c = normal.get(ch)
                if c is None:
                    c = normal[ch] = NGram.normalize(ch)
                last = grams[-1]
                if last == " ":
                    grams, capital = " ", False
                    if c == " ":
                        continue
                elif len(grams) >= NGram.N_GRAM:
                    grams = grams[1:]
                grams += c
                capital = c.isupper() and last.isupper()  # (two capitals in a row: a word in capitals)
                if capital:
                    continue
                if c != " " and c in known:
                    result.append(c)
                if len(grams) >= 2 and grams[-2:] in known:
                    result.append(grams[-2:])
                if len(grams) >= 3 and grams[-3:] in known:
                    result.append(grams[-3:])
            return result

        def _detect_block(self):
            self.cleaning_text()
            ngrams = self._extract_ngrams()
            if not ngrams:
                raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
            chosen = []
            for gram in ngrams:
                row = rows.get(gram)
                if row is None:
                    row = rows[gram] = np.array(profiles[gram], dtype=float)
                chosen.append(row)
            size = len(self.langlist)
            total = np.zeros(size)
            self.random.seed(self.seed)
            for _ in range(self.n_trial):
                prob = np.array(self.prior_map, dtype=float) if self.prior_map is not None else np.full(size, 1.0 / size)
                weight = (self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH) / self.BASE_FREQ
                i = 0
                while True:
                    prob *= weight + self.random.choice(chosen)
                    if i % 5 == 0:
                        prob /= sum(prob.tolist())
                        if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                            break
                    i += 1
                total += prob / self.n_trial
            self.langprob = total.tolist()

    return Faster


@lru_cache(maxsize=50_000)
def detect_language(text: str, seed: int, min_chars: int) -> str | None:
    """ISO 639-1 code of `text`, or None under `min_chars` letters or when langdetect cannot say."""
    from langdetect import LangDetectException

    if sum(ch.isalpha() for ch in text) < min_chars:
        return None
    detector = _detector_class(seed)(_factory(seed))
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


class LazyLanguages:
    """`passage_languages`, each paragraph judged only when asked for: a paragraph langdetect can tell is
    its own answer; one it cannot needs the whole text's, and then every paragraph is judged.  Repair asks
    only of the paragraphs that have a word to mend (on web pages, few of them)."""

    def __init__(self, paragraphs: list[str], seed: int, min_chars: int, default: str | None,
                 sample_chars: int = 3000):
        self.paragraphs, self.seed, self.min_chars = paragraphs, seed, min_chars
        self.default, self.sample_chars = default, sample_chars
        self._all: list[str | None] | None = None

    def __getitem__(self, k: int) -> str | None:
        own = detect_language(self.paragraphs[k][:self.sample_chars], self.seed, self.min_chars)
        if own:
            return own
        if self._all is None:
            self._all = passage_languages(self.paragraphs, self.seed, self.min_chars, self.default,
                                          self.sample_chars)
        return self._all[k]


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
