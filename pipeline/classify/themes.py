"""Themes from the taxonomy in config/themes.toml, each with the words that triggered it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..text.fold import fold_name


@dataclass(frozen=True)
class Taxonomy:
    # label, (trigger, its folded stem, its pattern)
    themes: tuple[tuple[str, tuple[tuple[str, str, re.Pattern[str]], ...]], ...]
    min_hits: int


def _check(data: dict, where: str) -> None:
    """themes.toml checked like pipeline.toml: `min_hits` a whole number, each theme a label and triggers."""
    from ..config import ConfigError

    unknown = set(data) - {"min_hits", "themes"}
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: min_hits, [themes.NAME])")
    if not isinstance(data.get("min_hits", 2), int) or isinstance(data.get("min_hits", 2), bool) \
            or data.get("min_hits", 2) < 1:
        raise ConfigError(f"{where}: min_hits must be a whole number from 1, got {data.get('min_hits')!r}")
    for name, spec in data.get("themes", {}).items():
        if not isinstance(spec, dict) or set(spec) != {"label", "triggers"}:
            raise ConfigError(f"{where}: [themes.{name}] must have exactly 'label' and 'triggers'")
        if not isinstance(spec["label"], str) or not isinstance(spec["triggers"], list) \
                or not all(isinstance(t, str) and t.strip("* ") for t in spec["triggers"]):
            raise ConfigError(f"{where}: [themes.{name}] label must be a string and triggers a list of words")


@lru_cache(maxsize=4)
def load(path: Path) -> Taxonomy:
    """The taxonomy; a themes.toml that does not fit raises ConfigError with one line."""
    data = tomllib.loads(path.read_text("utf-8"))
    _check(data, str(path))
    themes = []
    for spec in data.get("themes", {}).values():
        triggers = []
        for trigger in spec["triggers"]:
            stem = fold_name(trigger.rstrip("*"))
            body = re.escape(stem).replace(r"\ ", r"\s+")
            pattern = rf"\b{body}\w*" if trigger.endswith("*") else rf"\b{body}\b"
            triggers.append((trigger, stem, re.compile(pattern)))
        themes.append((spec["label"], tuple(triggers)))
    return Taxonomy(tuple(themes), data.get("min_hits", 2))


def themes_of(text: str, taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Theme label -> the words that triggered it, as the text writes them ("européenne", "épiceries"),
    sorted; only themes with at least `min_hits` different words (two spellings of one word count once)."""
    folded = fold_name(text)  # blanks, hyphens and apostrophes one space: a match holds its stem as written
    found: dict[str, set[str]] = {}
    for label, triggers in taxonomy.themes:
        # a trigger whose stem is nowhere in the text is not searched for (most are not, in a long record)
        hits = {m.group(0) for _, stem, pattern in triggers if stem in folded for m in pattern.finditer(folded)}
        if len(hits) >= taxonomy.min_hits:
            found[label] = hits
    if not found:
        return {}
    written = _as_written(text, {w for hits in found.values() for hit in hits for w in hit.split()})

    def shown(hit: str) -> str:
        words = [written.get(w, w) for w in hit.split()]
        if len(words) > 1:  # "tiers-lieu", "circuits courts": the phrase with the text's own joins
            m = re.search(r"[\s\-'’.]+".join(re.escape(w) for w in words), text)
            if m:
                return m.group(0)
        return " ".join(words)

    return {label: sorted({shown(hit) for hit in hits}, key=lambda w: (fold_name(w), w))
            for label, hits in sorted(found.items())}


_WORD = re.compile(r"[^\W_]+")  # words as fold_name cuts them (at hyphens and apostrophes)


def _as_written(text: str, wanted: set[str]) -> dict[str, str]:
    """Each folded word of `wanted` -> the first way the text writes it ("epiceries" -> "épiceries")."""
    seen: dict[str, str] = {}
    out: dict[str, str] = {}
    for m in _WORD.finditer(text):
        word = m.group(0)
        key = seen.get(word)
        if key is None:
            key = seen[word] = fold_name(word)
        if key in wanted and key not in out:
            out[key] = word
            if len(out) == len(wanted):
                break
    return out
