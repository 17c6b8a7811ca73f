"""Language detection, langdetect (seeded, what glaneur uses) beside lingua-language-detector, on text
written by others: `python bench/languages.py`.

Samples, by length (letters): French from HIPE-2020 (real OCR'd newspaper sentences, ../shared/external,
skipped when absent); the example sentences spaCy ships for some forty languages (written by its
contributors); and the passages in regional and foreign languages of glaneur's own do-no-harm tests
(Occitan, Breton, Corsican have no profile in either detector: the right answer is "unknown").  Only the
texts in a language of glaneur's list ([classify] languages) or in one of those three are scored.

Per detector: right, wrong, unknown; "fr for other": a text in another language called French, the
error that matters most to glaneur (French word repair runs on passages called French); and speed.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

BINS = ((0, 40, "< 40 letters"), (40, 100, "40-100"), (100, 10**9, "100+"))


def samples() -> list[tuple[str, str]]:
    """(ISO 639-1 code or the language's own code, text)."""
    import spacy.lang

    out: list[tuple[str, str]] = []
    for module in pkgutil.iter_modules(spacy.lang.__path__):
        if len(module.name) != 2 or module.name == "xx":
            continue
        try:
            examples = importlib.import_module(f"spacy.lang.{module.name}.examples")
        except ImportError:
            continue
        out += [(module.name, s) for s in examples.sentences]
    from repair.test_do_no_harm import OTHER_LANGUAGES

    out += [(code, text) for code, text in OTHER_LANGUAGES.items()]
    import hipe

    if hipe.HIPE.exists():
        for doc in hipe.read()[:20]:
            text = re.sub(r"\s+", " ", doc.text)
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if sum(ch.isalpha() for ch in sentence) >= 10:
                    out.append(("fr", sentence))
    return out


def real_paragraphs() -> list[str]:
    """The paragraphs (and whole texts) of ../shared's real web pages, seeds and HIPE dev documents."""
    shared = ROOT.parent / "shared"
    texts = [p.read_text("utf-8", errors="replace") for p in sorted((shared / "external" / "web-pages" / "docs").glob("*"))
             + sorted((shared / "seeds").glob("*.txt"))]
    import hipe

    if hipe.HIPE.exists():
        texts += [doc.text for doc in hipe.read()]
    return [p for t in texts for p in [*re.split(r"\n\s*\n", t), t] if p.strip()]


def langdetect_detector(min_chars: int):
    from pipeline.text.language import detect_language

    return lambda text: detect_language(text, 0, min_chars)


def lingua_detector(distance: float):
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_minimum_relative_distance(distance) \
        .with_preloaded_language_models().build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None

    return detect


def main() -> int:
    from pipeline.api import load_config

    cfg = load_config().section("classify")
    # the texts glaneur's users meet: the languages of its list, and the regional ones no library knows
    data = [(c, t) for c, t in samples() if c in cfg["languages"] or c in ("oc", "br", "co")]
    from pipeline.text.language import detect_with_lingua

    from pipeline.classify import Context

    ctx = Context(load_config())
    detectors = [("glaneur (cheap test, lingua)", ctx.language),
                 ("lingua alone, glaneur's list", lambda t: detect_with_lingua(
                     t, tuple(cfg["languages"]), cfg["language_min_distance"], cfg["language_min_chars"])),
                 ("langdetect, min 1 letter", langdetect_detector(1)),
                 ("langdetect, min 40 letters", langdetect_detector(40)),
                 ("lingua", lingua_detector(0.0)),
                 ("lingua, distance 0.1", lingua_detector(0.1)),
                 ("lingua, distance 0.25", lingua_detector(0.25))]
    print(f"language detection on {len(data)} texts "
          f"({sum(c == 'fr' for c, _ in data)} French, {len({c for c, _ in data})} languages)")
    print(f"{'detector':<28} {'length':<13} {'right':>6} {'wrong':>6} {'unknown':>8} {'fr for other':>13} {'texts/s':>8}")
    for name, detect in detectors:
        detect(data[0][1])
        started = time.perf_counter()
        answers = [detect(text) for _, text in data]
        speed = len(data) / (time.perf_counter() - started)
        for low, high, label in BINS:
            rows = [(code, answer) for (code, text), answer in zip(data, answers)
                    if low <= sum(ch.isalpha() for ch in text) < high]
            right = sum(code == answer for code, answer in rows)
            unknown = sum(answer is None for _, answer in rows)
            french = sum(answer == "fr" and code != "fr" for code, answer in rows)
            n = len(rows) or 1
            print(f"{name:<28} {label:<13} {right / n:>6.2f} {(len(rows) - right - unknown) / n:>6.2f} "
                  f"{unknown / n:>8.2f} {french:>13} {f'{speed:.0f}' if label == '100+' else '':>8}")
    paragraphs = real_paragraphs()
    if paragraphs:
        lingua = detectors[1][1]
        settled_real = [t for t in paragraphs if ctx.french(t)]
        agree = sum(lingua(t) == "fr" for t in settled_real)
        print(f"paragraphs of the shared real pages, seeds and HIPE dev: the cheap test settled {len(settled_real)} "
              f"of {len(paragraphs)}; lingua alone says French for {agree} of them (goal: all)")
    settled = [(code, text) for code, text in data if ctx.french(text)]
    print(f"the cheap test settled {len(settled)} of {sum(c == 'fr' for c, _ in data)} French texts as French "
          f"(lingua not asked); texts in another language it settled: {sum(c != 'fr' for c, _ in settled)} "
          "(goal 0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
