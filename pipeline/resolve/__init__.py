"""Resolve stage: one canonical name per real thing across the corpus.

Classify names each record's organisations, places and people on its own, so
one thing can come out spelled two ways in two records ("TRESSONS" and
"Tressons", "Politique de la ville & ESS" and "…de la Ville…"), or as an
acronym in one and its long form in another ("FNCUMA" where another record
defines "Fédération nationale des CUMA (FNCUMA)").  This stage reads every
record's names and picks one canonical per label and folded name (case,
accents, a leading article, hyphens ignored; an acronym defined anywhere in
the corpus folds to its long form), then writes it back into the entities and
the lists.  The text is not touched.

The choice is deterministic: the spelling most mentions use, preferring one
not in capitals and one with accents ("Métropole" over "METROPOLE" or
"Metropole"), then the longer, then the first in order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ..record import Record
from ..stage import Settings
from ..text.fold import fold_name

NAME = "resolve"
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,11}$")
_LISTS = {"ORG": "organisations", "LOC": "places", "PER": "people"}


def acronyms(records: list[Record]) -> dict[str, str]:
    """Acronym -> folded long form, for each acronym the corpus defines one way only."""
    found: dict[str, set[str]] = {}
    for record in records:
        for e in record.entities:
            text = e["text"].strip()
            if e["label"] == "ORG" and _ACRONYM.match(text) and e["canonical"] and e["canonical"] != text:
                found.setdefault(fold_name(text), set()).add(fold_name(e["canonical"]))
    return {acronym: next(iter(longs)) for acronym, longs in sorted(found.items()) if len(longs) == 1}


def _key(label: str, name: str, long_forms: dict[str, str]) -> tuple[str, str]:
    key = fold_name(name)
    return label, long_forms.get(key, key) if label == "ORG" else key


def _preference(name: str, count: int) -> tuple:
    letters = [ch for ch in name if ch.isalpha()]
    shouting = len(letters) > 3 and all(ch.isupper() for ch in letters)
    accents = sum(ch not in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" for ch in letters)
    return (shouting, -count, -accents, -len(name), name)


def canonical_table(records: list[Record], long_forms: dict[str, str]) -> dict[tuple[str, str], str]:
    """(label, folded key) -> the one canonical name for it; `long_forms` as `acronyms(records)` gives."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    for record in records:
        for e in record.entities:
            if e["label"] in _LISTS and e["canonical"]:
                counts.setdefault(_key(e["label"], e["canonical"], long_forms), Counter())[e["canonical"]] += 1
        for label, field in _LISTS.items():  # names found only in titles count once
            for name in getattr(record, field):
                counts.setdefault(_key(label, name, long_forms), Counter())[name] += 0
    table = {}
    for key, spellings in counts.items():
        # an acronym is never chosen over its long form
        candidates = [n for n in spellings if not (key[0] == "ORG" and long_forms.get(fold_name(n)))] or list(spellings)
        table[key] = min(candidates, key=lambda n: _preference(n, spellings[n]))
    return table


def resolve_record(record: Record, table: dict[tuple[str, str], str], long_forms: dict[str, str]) -> Record:
    def chosen(label: str, name: str) -> str:
        return table.get(_key(label, name, long_forms), name)

    entities = [{**e, "canonical": chosen(e["label"], e["canonical"])} if e["label"] in _LISTS and e["canonical"]
                else e for e in record.entities]
    lists = {field: sorted({chosen(label, n) for n in getattr(record, field)}) for label, field in _LISTS.items()}
    if entities == record.entities and all(lists[f] == getattr(record, f) for f in lists):
        return record
    return replace(record, entities=entities, **lists)


class Resolve:
    """The resolve stage: corpus scope, since one record's names decide another's."""

    name = NAME
    version = "1"
    scope = "corpus"
    splits = False

    def setup(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, records: list[Record]) -> list[Record]:
        groups = [records] if self.settings["across_records"] else [[r] for r in records]
        out = []
        for group in groups:
            long_forms = acronyms(group)
            table = canonical_table(group, long_forms)
            out += [resolve_record(r, table, long_forms) for r in group]
        return out


def run(records: list[Record], config) -> list[Record]:
    """The stage on `records` with `config`'s [resolve] section (for tests and one-off use)."""
    from ..stage import run_with

    return run_with(Resolve(), records, config)
