"""Themes from the taxonomy in config/themes.toml, each with the words that triggered it."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..text.fold import fold_name


@dataclass(frozen=True)
class Taxonomy:
    themes: tuple[tuple[str, tuple[tuple[str, re.Pattern[str]], ...]], ...]  # label, (trigger, pattern)
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
            triggers.append((trigger, re.compile(pattern)))
        themes.append((spec["label"], tuple(triggers)))
    return Taxonomy(tuple(themes), data.get("min_hits", 2))


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` folded as fold_name folds a word (case, accents, œ, blanks, hyphens and apostrophes as one
    space), with the place in `text` of each folded character: the words matched folded are shown as written."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace() or ch in "-'’.":
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        decomposed = unicodedata.normalize("NFD", ch.casefold())
        for part in decomposed.replace("œ", "oe").replace("æ", "ae"):
            if not unicodedata.combining(part):
                out.append(part)
                where.append(i)
    return "".join(out), where


def themes_of(text: str, taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Theme label -> the words that triggered it, as the text writes them ("européenne", "épiceries"),
    sorted; only themes with at least `min_hits` different words (two spellings of one word count once)."""
    folded, where = _folded(text)
    found = {}
    for label, triggers in taxonomy.themes:
        hits: dict[str, str] = {}
        for _, pattern in triggers:
            for m in pattern.finditer(folded):
                hits.setdefault(m.group(0), text[where[m.start()]:where[m.end() - 1] + 1])
        if len(hits) >= taxonomy.min_hits:
            found[label] = sorted(set(hits.values()), key=lambda w: (fold_name(w), w))
    return dict(sorted(found.items()))
