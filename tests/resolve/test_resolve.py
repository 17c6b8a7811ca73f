"""Resolve: one canonical name per thing across the corpus; the text is never touched."""

from __future__ import annotations

from pipeline.record import Record, Source
from pipeline.resolve import Resolve, acronyms, canonical_table, names_of


def record(rid: str, entities: list[tuple[str, str, str]], **lists) -> Record:
    text = " ".join(t for t, _, _ in entities)
    ents, at = [], 0
    for surface, label, canonical in entities:
        ents.append({"text": surface, "label": label, "start": at, "end": at + len(surface), "canonical": canonical})
        at += len(surface) + 1
    fields = {"organisations": sorted({c for _, l, c in entities if l == "ORG"}),
              "places": sorted({c for _, l, c in entities if l == "LOC"}),
              "people": sorted({c for _, l, c in entities if l == "PER"})}
    fields.update(lists)
    return Record(rid, Source(f"{rid}.txt", "0" * 64, "txt", "text"), text, entities=ents, **fields)


def stage(across: bool = True) -> Resolve:
    from pipeline.stage import Settings

    s = Resolve()
    s.setup(Settings("resolve", {"across_records": across}, None))
    return s


def test_case_and_accents_give_one_name_the_most_used_not_in_capitals():
    records = [record("a", [("TRESSONS", "ORG", "TRESSONS")]),
               record("b", [("Tressons", "ORG", "Tressons"), ("Tressons", "ORG", "Tressons")]),
               record("c", [("Politique de la Ville & ESS", "ORG", "Politique de la Ville & ESS"),
                            ("Politique de la ville & ESS", "ORG", "Politique de la ville & ESS")]),
               record("d", [("Politique de la ville & ESS", "ORG", "Politique de la ville & ESS")])]
    out = stage().run(records)
    assert [r.organisations for r in out] == [["Tressons"], ["Tressons"], ["Politique de la ville & ESS"],
                                              ["Politique de la ville & ESS"]]
    assert {e["canonical"] for e in out[0].entities} == {"Tressons"}
    assert [r.text for r in out] == [r.text for r in records]  # names resolved, text untouched


def test_an_acronym_alone_takes_the_long_form_defined_elsewhere():
    long_form = "Fédération nationale des CUMA"
    records = [record("a", [(long_form, "ORG", long_form), ("FNCUMA", "ORG", long_form)]),
               record("b", [("FNCUMA", "ORG", "FNCUMA")])]
    assert acronyms(names_of(records)) == {"fncuma": "federation nationale des cuma"}
    out = stage().run(records)
    assert out[1].organisations == [long_form] and out[1].entities[0]["canonical"] == long_form
    assert out[1].entities[0]["text"] == "FNCUMA"


def test_an_acronym_defined_two_ways_is_left_alone():
    records = [record("a", [("GARE", "ORG", "Groupement des acteurs ruraux")]),
               record("b", [("GARE", "ORG", "Gare routière associative")]),
               record("c", [("GARE", "ORG", "GARE")])]
    assert acronyms(names_of(records)) == {}
    assert stage().run(records)[2].organisations == ["GARE"]


def test_different_things_stay_apart_and_labels_are_not_mixed():
    records = [record("a", [("Vienne", "LOC", "Vienne"), ("Vienne", "PER", "Vienne")]),
               record("b", [("Saint-Denis", "LOC", "Saint-Denis"), ("Saint Dié", "LOC", "Saint-Dié-des-Vosges")])]
    table = canonical_table(names_of(records), acronyms(names_of(records)))
    assert table[("LOC", "vienne")] == "Vienne" and table[("PER", "vienne")] == "Vienne"
    out = stage().run(records)
    assert out[1].places == ["Saint-Denis", "Saint-Dié-des-Vosges"]


def test_within_each_record_only_when_configured():
    records = [record("a", [("TRESSONS", "ORG", "TRESSONS")]), record("b", [("Tressons", "ORG", "Tressons")])]
    assert [r.organisations for r in stage(across=False).run(records)] == [["TRESSONS"], ["Tressons"]]


def test_organisations_differing_by_their_words_endings_are_one():
    """Issue 20: "Commission Europe" and "Commission européenne" are one body, named as most mentions do."""
    records = [record("a", [("Commission européenne", "ORG", "Commission européenne")] * 2),
               record("b", [("Commission Europe", "ORG", "Commission Europe")]),
               record("c", [("Réseau des épiceries solidaire", "ORG", "Réseau des épiceries solidaire"),
                            ("Réseau des épiceries solidaires", "ORG", "Réseau des épiceries solidaires"),
                            ("Réseau des épiceries solidaires", "ORG", "Réseau des épiceries solidaires")])]
    out = stage().run(records)
    assert [r.organisations for r in out] == [["Commission européenne"], ["Commission européenne"],
                                              ["Réseau des épiceries solidaires"]]


def test_near_names_of_different_things_stay_apart():
    records = [record("a", [("Université Rennes 1", "ORG", "Université Rennes 1"),
                            ("Université Rennes 2", "ORG", "Université Rennes 2"),
                            ("Région Bretagne", "ORG", "Région Bretagne"),
                            ("Région Bourgogne", "ORG", "Région Bourgogne"),
                            ("Groupe Martin", "ORG", "Groupe Martin"),
                            ("Jean Martin", "PER", "Jean Martin"), ("Jean Martinez", "PER", "Jean Martinez"),
                            ("Europe", "LOC", "Europe"), ("Commission", "ORG", "Commission")])]
    out = stage().run(records)
    assert out[0].organisations == records[0].organisations
    assert out[0].people == ["Jean Martin", "Jean Martinez"] and out[0].places == ["Europe"]
