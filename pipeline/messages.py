"""The command line's words in its user's language: French under a French locale, English otherwise.

The words come from the report's message catalogue (`outputs/report/locale/`, Babel): a message id is the
English text, its French is the catalogue's.  The locale is POSIX's: the first of LC_ALL, LC_MESSAGES and
LANG that is set.  Under any other locale the ids are printed as they are and Babel is never imported (the
catalogue costs about 70 ms to read: a `glaneur run` with nothing to do takes 0.1 s).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, Callable


def language() -> str:
    """"fr" under a French locale, else "en"."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def fill(text: str, values: dict[str, Any]) -> str:
    """A message with its %(name)s values put in ("%%" is a percent sign): the report's `Words` and the
    command line fill their messages alike."""
    return text % values if values else text.replace("%%", "%")


@lru_cache(maxsize=2)
def _words(lang: str) -> Callable[..., str]:
    if lang == "en":
        return lambda msgid, **values: fill(msgid, values)
    from .outputs.report.words import Words

    return Words(lang)


def say(msgid: str, **values: Any) -> str:
    """`msgid` (with its %(name)s values) in the user's language."""
    return _words(language())(msgid, **values)


def say_n(singular: str, plural: str, number: int, **values: Any) -> str:
    """"%(n)s file" or "%(n)s files" as `number` asks, in the user's language ("1 fichier", "0 ignoré": French
    takes the singular for 0 and 1), `number` written as the language writes it (the value `n`)."""
    values = {"n": count(number), **values}
    lang = language()
    if lang == "en":
        return fill(singular if number == 1 else plural, values)
    return _words(lang).n(singular, plural, number, **values)  # type: ignore[attr-defined]


def reason(text: str) -> str:
    """A stage's reason or flag (written in English in the outputs) in the user's language, as the report shows
    it."""
    if language() == "en" or not text:
        return text
    words = _words(language())
    said = words.reason(text)  # type: ignore[attr-defined]
    return text if said == words("reason not translated: see changes.jsonl") else said  # as written, not a pointer


def decimal(value: float, digits: int) -> str:
    """A number with `digits` decimals as the user's language writes it: 114.1 in English, 114,1 in French."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language() == "fr" else text


def count(value: int) -> str:
    """A whole number as the user's language writes it: 3074 in English (as before), 3 074 in French."""
    return _words(language()).number(value) if language() == "fr" else str(value)  # type: ignore[attr-defined]


def stage_name(name: str) -> str:
    """A stage's name as the report says it: "réparation" in French, "repair" in English."""
    return _words(language()).code("stage", name) if language() == "fr" else name  # type: ignore[attr-defined]
