"""Which language a passage is in: langdetect, seeded so that the same text always gets the same answer."""

from __future__ import annotations

from functools import lru_cache


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
    """The language of each paragraph; one too short to tell takes the language of the whole text, or
    `default` when the whole text is too short too.  Long paragraphs are judged on their first
    `sample_chars` characters, so the cost stays linear in the text."""
    whole = "\n".join(paragraphs)
    overall = detect_language(whole[:20_000], seed, min_chars) or default
    return [detect_language(p[:sample_chars], seed, min_chars) or overall for p in paragraphs]
