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

Organisations whose names differ only by the endings of their words are one
too ("Commission Europe" and "Commission européenne", "Réseau des épiceries
solidaires" and "Réseau des épiceries solidaire"): their words are compared
folded and stemmed (Snowball's French stemmer, PyStemmer), one word's stem
the start of the other's, with at least one word the same and the same
number of words.  People and places are not merged so ("Martin" is not
"Martinez").

The choice is deterministic: the spelling most mentions use, preferring one
not in capitals and one with accents ("Métropole" over "METROPOLE" or
"Metropole"), then the longer, then the first in order.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace

from ..record import Record
from ..stage import Settings
from ..text.fold import fold_name
from ..versions import VERSIONS

NAME = "resolve"
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,11}$")
_LISTS = {"ORG": "organisations", "LOC": "places", "PER": "people"}


Names = tuple[dict[str, list[str]], list[tuple[str, str, int]]]  # acronym finds; (label, name, mentions)
Decision = tuple[dict[tuple[str, str], str], dict[str, str]]  # the canonical table, acronym -> long form


def names_of(records: list[Record]) -> Names:
    """What the canonical table needs from some records (the map step): each ORG acronym's folded long forms,
    and each (label, name) with its number of mentions (a name found only in a title counts 0)."""
    found: dict[str, set[str]] = {}
    counts: dict[tuple[str, str], int] = {}
    for record in records:
        for e in record.entities:
            text = e["text"].strip()
            if e["label"] == "ORG" and _ACRONYM.match(text) and e["canonical"] and e["canonical"] != text:
                found.setdefault(fold_name(text), set()).add(fold_name(e["canonical"]))
            if e["label"] in _LISTS and e["canonical"]:
                counts[(e["label"], e["canonical"])] = counts.get((e["label"], e["canonical"]), 0) + 1
        for label, field in _LISTS.items():
            for name in getattr(record, field):
                counts.setdefault((label, name), 0)
    return ({a: sorted(longs) for a, longs in sorted(found.items())},
            [(label, name, n) for (label, name), n in counts.items()])


def _combine(parts: list[Names]) -> Names:
    found: dict[str, set[str]] = {}
    counts: dict[tuple[str, str], int] = {}
    for acronym_finds, named in parts:
        for acronym, longs in acronym_finds.items():
            found.setdefault(acronym, set()).update(longs)
        for label, name, n in named:
            counts[(label, name)] = counts.get((label, name), 0) + n
    return ({a: sorted(longs) for a, longs in sorted(found.items())},
            [(label, name, n) for (label, name), n in counts.items()])


def acronyms(names: Names) -> dict[str, str]:
    """Acronym -> folded long form, for each acronym the corpus defines one way only."""
    return {acronym: longs[0] for acronym, longs in names[0].items() if len(longs) == 1}


def _key(label: str, name: str, long_forms: dict[str, str]) -> tuple[str, str]:
    key = fold_name(name)
    return label, long_forms.get(key, key) if label == "ORG" else key


def _preference(name: str, count: int) -> tuple:
    letters = [ch for ch in name if ch.isalpha()]
    shouting = len(letters) > 3 and all(ch.isupper() for ch in letters)
    accents = sum(ch not in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" for ch in letters)
    return (shouting, -count, -accents, -len(name), name)


_SMALL = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "a", "au", "aux", "pour", "sur"}
_STEMMER = None


def _stems(key: str) -> tuple[str, ...]:
    """The stems of a folded name's words, small words left out."""
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("french")
    return tuple(_STEMMER.stemWords([w for w in key.split() if w not in _SMALL]))


def _variants(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two organisations' stemmed words that name one thing: as many words, one at least the same, and each
    pair the same or one the start of the other, five letters at least ("europ" / "europeen")."""
    if len(a) != len(b) or len(a) < 2 or not any(x == y for x, y in zip(a, b)):
        return False
    return all(x == y or min(len(x), len(y)) >= 5 and (x.startswith(y) or y.startswith(x)) for x, y in zip(a, b))


def variant_groups(keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each ORG key -> the first (in sorted order) of the keys it is a variant of, directly or through
    others; compared only within a first word and a number of words, so the work stays near linear."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(k: tuple[str, str]) -> tuple[str, str]:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    buckets: dict[tuple[str, int], list[tuple[tuple[str, str], tuple[str, ...]]]] = {}
    for key in sorted(k for k in keys if k[0] == "ORG"):
        stems = _stems(key[1])
        if len(stems) >= 2:
            buckets.setdefault((stems[0][:5], len(stems)), []).append((key, stems))
    for members in buckets.values():
        for i, (key, stems) in enumerate(members):
            for other, other_stems in members[:i]:
                if _variants(stems, other_stems):
                    a, b = sorted((root(key), root(other)))
                    parent[b] = a
    return {k: root(k) for k in parent}


def canonical_table(names: Names, long_forms: dict[str, str]) -> dict[tuple[str, str], str]:
    """(label, folded key) -> the one canonical name for it; `long_forms` as `acronyms(names)` gives."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    for label, name, n in names[1]:
        counts.setdefault(_key(label, name, long_forms), Counter())[name] += n
    merged = variant_groups(list(counts))
    for key, into in sorted(merged.items()):
        if key != into:
            counts[into].update(counts[key])
    table = {}
    for key, spellings in counts.items():
        # an acronym is never chosen over its long form
        candidates = [n for n in spellings if not (key[0] == "ORG" and long_forms.get(fold_name(n)))] or list(spellings)
        table[key] = min(candidates, key=lambda n: _preference(n, spellings[n]))
    for key, into in merged.items():
        table[key] = table[into]
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
    """The resolve stage: corpus scope, since one record's names decide another's; a map-reduce (names
    counted per record, the table decided once, applied per partition)."""

    name = NAME
    version = VERSIONS[NAME]
    scope = "corpus"
    splits = False
    apply_scope = "partition"  # the table goes to the workers with each partition: no record comes here

    def setup(self, settings: Settings) -> None:
        self.settings = settings

    def learn(self, records: list[Record]) -> list[Names | None]:
        """Per record (cached): its names, counted."""
        return [names_of([r]) if self.settings["across_records"] else None for r in records]

    def decide(self, learned: list[Names | None]) -> Decision | None:
        """One table for the corpus (None when each record is resolved on its own)."""
        if not self.settings["across_records"]:
            return None
        return _decision(_combine([part for part in learned if part is not None]))

    def decision_key(self, decision: Decision | None) -> str:
        """The decision as text (hashed into the cache key of each record's result)."""
        if decision is None:
            return "per record"
        table, long_forms = decision
        return json.dumps([sorted(table.items()), sorted(long_forms.items())], ensure_ascii=False)

    def apply(self, records: list[Record], decision: Decision | None) -> list[Record]:
        return [resolve_record(record, *(decision or _decision(names_of([record])))) for record in records]

    def run(self, records: list[Record]) -> list[Record]:
        return self.apply(records, self.decide(self.learn(records)))


def _decision(names: Names) -> Decision:
    long_forms = acronyms(names)
    return canonical_table(names, long_forms), long_forms
