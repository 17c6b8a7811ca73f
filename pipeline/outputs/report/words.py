"""The words people read, from the message catalogue (Babel/gettext), French by default.

The data keeps its codes (`operation`, `status`, `doc_type`, a reason in the stage's own wording); the pages
show what the catalogue `locale/<language>/LC_MESSAGES/glaneur.po` says for them.  A reason is matched
against the catalogue's reason templates ("near-identical paragraphs (similarity %(score)s): …"), so its
values come back in French with the words around them; a reason the catalogue does not know is never shown
raw: the page says where to read it (changes.jsonl, manifest.json).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from ...messages import fill

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "glaneur"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=4)
def _catalog(language: str) -> Catalog | None:
    """The .po file of `language`, read once per process (None when there is none)."""
    path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return None
    with path.open("rb") as f:
        return read_po(f, locale=language, domain=DOMAIN)


@lru_cache(maxsize=4)
def translations(language: str) -> Translations:
    """The catalogue of `language`, compiled in memory from its .po file (no build step, no .mo in the
    repository); an unknown language gives the catalogue's message ids."""
    catalog = _catalog(language)
    if catalog is None:
        return Translations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@dataclass(frozen=True)
class Words:
    """The reader's words in one language: `words("msgid", name=value)`, codes, numbers and reasons."""

    language: str = "fr"

    @property
    def catalogue(self) -> Translations:
        return translations(self.language)

    def __call__(self, msgid: str, **values: Any) -> str:
        return fill(self.catalogue.gettext(msgid), values)

    def n(self, singular: str, plural: str, number: int, **values: Any) -> str:
        """A message that agrees with `number`, by the catalogue's plural rule (French: 0 and 1 singular)."""
        return fill(self.catalogue.ngettext(singular, plural, number), values)

    def code(self, kind: str, value: str | None) -> str:
        """A code of the data in words ("doc_type:web_page" → "page web"); an unknown code is shown as it is
        (it is a value of the data, not a sentence)."""
        if value is None:
            return ""
        key = f"{kind}:{value}"
        text = self.catalogue.gettext(key)
        return value if text == key else text

    def date(self, iso: str | None) -> str:
        """An ISO day as the reader's language writes it ("2023-03-01" → "1 mars 2023"), with Babel's CLDR data."""
        if not iso:
            return ""
        import datetime as dt

        from babel.dates import format_date

        try:
            text = format_date(dt.date.fromisoformat(iso), format="long", locale=self.language)
        except (ValueError, LookupError):
            return iso
        if self.language.startswith("fr") and text.startswith("1 "):
            return "1er " + text[2:]  # French writes the first of a month as an ordinal: "1er avril 2023"
        return text

    def number(self, value: float | int, digits: int = 2) -> str:
        """A number as the reader's language writes it, by Babel's CLDR data: "0,93", "1 541"."""
        from babel.numbers import format_decimal

        pattern = "#,##0" if isinstance(value, int) else "#,##0." + "0" * digits
        return format_decimal(value, format=pattern, locale=self.language)

    def language_name(self, code: str | None) -> str:
        """An ISO 639-1 code as the reader's language names it ("fr" → "français"), by Babel's CLDR data."""
        if not code:
            return ""
        from babel import Locale

        return Locale.parse(self.language).languages.get(code, code)

    def reason(self, reason: str | None) -> str:
        """A stage's reason in the reader's language: a catalogue entry, or a catalogue template whose values
        are read back from the reason; otherwise a pointer to where the reason is written."""
        if not reason:
            return ""
        text = self.catalogue.gettext(reason)
        if text != reason:
            return text
        for pattern, msgid in reason_templates(self.language):
            m = pattern.fullmatch(reason)
            if m:
                values = {k: self._value(k, v) for k, v in m.groupdict().items()}
                return self.catalogue.gettext(msgid) % values
        if self.language == "en":
            return reason
        return self("reason not translated: see changes.jsonl")

    def _value(self, name: str, value: str) -> str:
        if name == "kind":  # "a named pipe (FIFO)", "a folder": words of the catalogue
            return self(value)
        if name == "fix":
            key = f"fix:{value}"
            text = self.catalogue.gettext(key)
            return text if text != key else self("encoding")
        if name == "fields":  # "category=None, resource_type='Guides', private=False", as segment writes it
            pairs = re.findall(r"(\w+)=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^,]+)", value)
            shown = []
            for key, raw in pairs:
                raw = raw.strip()
                if raw == "None":
                    continue
                raw = self("yes") if raw == "True" else self("no") if raw == "False" else raw.strip("'\"")
                shown.append(f"{self.code('field', key)} : {raw}")
            return " ; ".join(shown)
        if re.fullmatch(r"\d+\.\d+", value):
            return value.replace(".", ",")
        return value


@lru_cache(maxsize=4)
def reason_templates(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The catalogue's message ids that hold placeholders, as patterns matching the text they make, the most
    specific (longest) first."""
    found = []
    for message in _catalog(language) or ():
        msgid = message.id if isinstance(message.id, str) else ""
        if not msgid or "%(" not in msgid:
            continue
        parts = _PLACEHOLDER.split(msgid)
        regex = "".join(re.escape(part.replace("%%", "%")) if i % 2 == 0 else f"(?P<{part}>.+?)"
                        for i, part in enumerate(parts))
        found.append((re.compile(regex, re.S), msgid))
    return tuple(sorted(found, key=lambda item: (-len(item[1]), item[1])))
