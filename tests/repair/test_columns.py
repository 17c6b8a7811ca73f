"""Columns read apart (pipeline/repair/columns*.py): posters an OCR read straight across, read down.

Positive and negative golden cases are in tests/golden/columns/cases.toml; the real documents of
../shared/seeds and the external dev sets (single-column text that must not change) are used when
present."""

from __future__ import annotations

import json
import sys
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, SEEDS, needs_seeds
from pipeline.repair import context, repair_text
from pipeline.repair.columns import Classes, Continuations, left_class, read_columns, reader_from, right_class
from pipeline.repair.columns_model import read_endings
from pipeline.repair.columns_search import Line

CASES = tomllib.loads((ROOT / "tests" / "golden" / "columns" / "cases.toml").read_text("utf-8"))
EXTERNAL = ROOT.parent / "shared" / "external"
ICDAR = EXTERNAL / "icdar2017-fr-monograph-dev.jsonl"
HIPE = EXTERNAL / "hipe2020-fr-dev.tsv"


@pytest.fixture(scope="module")
def reader(config):
    return reader_from(config.settings("repair"))


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the model --------------------------------------------------------------------------------------

def test_classes_keep_what_a_join_needs():
    vocabulary = Classes(frozenset({"de", "la", "une", "des", "qui"}))
    assert left_class("une", vocabulary) == "une"
    assert right_class("Des", vocabulary) == "C:des"
    assert left_class("enseignements.", vocabulary) == "END"
    assert left_class("papa !", vocabulary) != "END"
    assert left_class("dé-", vocabulary) == "HYPH"
    assert right_class("\"Collectivement", vocabulary) == "Q"
    assert right_class("d'accès", vocabulary) == "d'"
    assert right_class("•", vocabulary) == "BUL"
    assert right_class("Montpellier", vocabulary) == "C"
    assert right_class("zones", vocabulary) == "L"  # no endings: a lower-case word is its shape
    assert right_class("-Non,", vocabulary) == "DASH"  # a dialogue's dash glued to its word opens a turn
    assert left_class("-Restez,", vocabulary) == "C,"  # and the word is the capitalised word it is


def test_endings_class_lower_case_words_first_fit_first(config):
    settings = config.settings("repair")
    classes = Classes.of(settings["columns_vocabulary"], settings.data_file(settings["columns_endings_file"]))
    assert right_class("zones", classes) == "L~s"
    assert right_class("durablement", classes) == "L~ment"  # -ment before -s and -ent
    assert left_class("restaurations,", classes) == "L~tions,"  # its pause kept after the ending
    assert right_class("Zones", classes) == "C"  # a capital is a capital: names end as they like
    assert right_class("zone", classes) == "L"
    endings = read_endings(ROOT / "config" / "columns" / "endings.tsv")
    assert endings[0] == ("ment", ("ment",))
    for tag, ends in endings:  # every line can be reached: no ending of it is caught by a line above
        for end in ends:
            assert right_class("zz" + end, classes) == "L~" + tag, end


def test_endings_tell_agreement_apart(reader):
    model: Continuations = reader.model
    assert model.score("les", "maraîchers") > model.score("la", "maraîchers")


def test_model_reads_french_joins(reader):
    model: Continuations = reader.model
    assert model.score("de", "la") > 0
    assert model.score("une", "Des") < -1  # a capital function word after an article: a column's start
    assert model.score("enseignements.", "qui") < 0  # lower case after a full stop
    assert model.score("enseignements.", "Les") > 0
    assert model.ends("et") < 0 < model.ends("2024.")


# --- golden cases -----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES["read"], ids=[c["why"][:40] for c in CASES["read"]])
def test_columns_are_read_apart(reader, case):
    text = case["input"].strip("\n")
    out, changes = read_columns(text, reader)
    assert [c.operation for c in changes] == ["columns_read_apart"]
    for sentence in case["sentences"]:
        assert sentence in flat(out), sentence
    assert sorted(flat(out).split()) == sorted(flat(text).split())  # every word kept, once


@pytest.mark.parametrize("case", CASES["keep"], ids=[c["why"][:40] for c in CASES["keep"]])
def test_single_column_text_is_kept(reader, case):
    text = case["input"].strip("\n")
    assert read_columns(text, reader) == (text, [])


def test_the_change_holds_the_lines_it_moved(reader):
    text = CASES["read"][1]["input"].strip("\n")
    out, [change] = read_columns(text, reader)
    assert change.before == text and change.after == out
    assert change.reason == "3 columns read straight across: read one after another"
    assert read_columns(out, reader) == (out, [])  # read once: the columns read as they stand


def test_the_step_keeps_the_authors_spaces(reader):
    text = CASES["read"][0]["input"].strip("\n").replace("« ", "«\u00a0")
    text = text.replace("de la Drôme", "de la\u00a0Drôme")
    out, _ = read_columns(text, reader)
    assert "de la\u00a0Drôme" in out


def test_two_line_runs_and_long_lines_are_left(reader):
    text = "\n".join(CASES["read"][1]["input"].strip("\n").split("\n")[:2])
    assert read_columns(text, reader) == (text, [])
    long_line = " ".join(["mot"] * 60)
    text = f"{long_line} Des\n{long_line} Une\n{long_line} Les"
    assert read_columns(text, reader) == (text, [])


def test_columns_can_be_turned_off(config):
    import dataclasses

    settings = config.settings("repair")
    off = context(dataclasses.replace(config, sections={**config.sections,
                                                        "repair": {**config.sections["repair"], "columns": False}}))
    text = CASES["read"][1]["input"].strip("\n")
    _, changes = repair_text(text, off)
    assert "columns_read_apart" not in {c.operation for c in changes}
    assert settings["columns"] is True


# --- the first test: only runs that could be columns go to the search ---------------------------

_PROSE_WITH_A_SLIP = """Le réseau des épiceries solidaires réunit chaque année les bénévoles et les salariés
des structures adhérentes pour un temps d'échange sur les pratiques et les projets
en cours. Cette année, les rencontres ont porté sur les quelques : questions que
posent l'approvisionnement local et la place des producteurs dans la gouvernance
des épiceries, avec des ateliers animés par les membres du réseau."""


def test_first_test_sends_column_runs_to_the_search(reader):
    for case in CASES["read"]:
        lines = [Line.of(t) for t in case["input"].strip("\n").split("\n")]
        assert reader.first_test(lines) == "", case["why"]
    # a poster's opening of the shape of seed 002's (written here, not copied): two columns, cuts that read
    # badly on the first and third lines only, no gutter of blanks
    text = ("Réseau Cocagne et URIAE. Le chantier cherche a renforcer la place des jardins dans l'accès a une "
            "Des filières maraîchères locales\n"
            "alimentation de saison et se déploie sur 3 sites pilotes depuis le printemps 2022. Il fait "
            "l'objet d'un partagées, coopératives et sobres\n"
            "bilan partagé, qui montre déjà plusieurs effets concrets. qui soutiennent un accès juste a")
    lines = [Line.of(t) for t in text.split("\n")]
    assert [reader.cues(x) for x in lines] == [True, False, True]
    assert reader.first_test(lines) == ""


def _case(kind: str, why: str) -> list[str]:
    return next(c for c in CASES[kind] if c["why"].startswith(why))["input"].strip("\n").split("\n")


def test_first_test_keeps_word_salad_from_the_search(reader):
    salad = _case("keep", "word salad")
    lines = [Line.of(t) for t in salad]
    assert sum(map(reader.cues, lines)) >= 2  # bad joins enough for the cue test alone
    assert reader.prose(lines) < reader.w.min_prose
    assert reader.judge(salad) == (None, "does not read as prose, even within a column's pieces")
    for case in CASES["read"]:  # prose set in columns reads on within its pieces
        assert reader.prose([Line.of(t) for t in case["input"].strip("\n").split("\n")]) > 0.3, case["why"]


def test_a_list_with_a_second_column_inside_its_lines_is_searched(reader):
    lists = _case("read", "two lists side by side")
    assert reader.first_test([Line.of(t) for t in lists]) == ""
    one_list = [line.split("  ")[0] if "  " in line else line for line in _case("keep", "a list whose items")]
    assert reader.first_test([Line.of(t) for t in one_list]) == "a list: each line is an item"


def test_a_table_is_read_across(reader):
    table = _case("keep", "a timetable")
    assert reader.judge(table) == (None, "a table: its rows read across")
    # a heading or a footer in the same run does not hide the table
    assert read_columns("\n".join(["Programme de la semaine"] + table + ["Entrée libre"]), reader)[1] == []


def test_the_blanks_after_a_list_marker_are_not_a_gutter(reader):
    listed = _case("keep", "a contact list")
    assert not any(Line.of(t).gaps[1] for t in listed)
    assert reader.first_test([Line.of(t) for t in listed]) == "a list: each line is an item"
    assert Line.of("a  b").gaps == (False, True)  # between words they are


def test_the_width_reading_charges_a_line_that_stops_short(reader):
    upper, lower = Line.of("une épicerie de"), Line.of("quartier ouvre le mardi")
    path = [[((0, len(upper.words)), None)], [((0, len(lower.words)), None)]]  # one reading a line
    free, _ = reader._viterbi([upper, lower], path)
    held, _ = reader._viterbi([upper, lower], path, (upper.width(0, 3) + 20, None))
    assert held == free - reader.w.width_fit_cost


def test_a_column_line_that_stops_short_of_its_width_costs(reader):
    upper, lower = Line.of("une épicerie de"), Line.of("quartier ouvre le mardi")
    whole, first = (0, len(upper.words)), (0, len(lower.words))
    width = upper.width(*whole) + 20  # "quartier" would have fitted on the upper line
    assert reader._unfilled(upper, whole, lower, first, width) == reader.w.width_fit_cost
    assert reader._unfilled(upper, whole, lower, first, upper.width(*whole) + 5) == 0.0  # it would not have
    ended = Line.of("une épicerie ouvre.")
    assert reader._unfilled(ended, (0, 3), lower, first, width) == 0.0  # a sentence's end stops where it likes


def test_first_test_keeps_wrapped_prose_with_one_bad_join_from_the_search(reader):
    lines = [Line.of(t) for t in _PROSE_WITH_A_SLIP.split("\n")]
    assert sum(reader.cues(x) for x in lines) == 1  # the older cue test alone sent it to the search
    assert reader.judge(_PROSE_WITH_A_SLIP.split("\n")) == (None, "one bad join in lines of one width")


# --- no content lost ------------------------------------------------------------------------------

@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([c["input"].strip("\n") for c in CASES["read"] + CASES["keep"]]),
                min_size=1, max_size=3))
def test_no_word_is_lost_or_added(reader, texts):
    text = "\n\n".join(texts)
    out, _ = read_columns(text, reader)
    assert sorted(out.split()) == sorted(text.split())


# --- real text that is in one column ---------------------------------------------------------------

@needs_seeds
@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_other_seeds_are_not_cut(reader, prefix):
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text("utf-8")
    assert read_columns(text, reader)[1] == []


@pytest.mark.skipif(not ICDAR.exists(), reason="../shared/external is not present")
def test_icdar_dev_ocr_is_not_cut(reader):
    for line in ICDAR.read_text("utf-8").splitlines():
        document = json.loads(line)
        assert read_columns(document["ocr"], reader)[1] == [], document["file"]


@pytest.mark.skipif(not HIPE.exists(), reason="../shared/external is not present")
def test_hipe_dev_documents_are_not_cut(reader):
    sys.path.insert(0, str(ROOT / "bench"))
    import hipe

    for document in hipe.read(HIPE):
        assert read_columns(document.text, reader)[1] == [], document.id


# --- the poster of the seeds --------------------------------------------------------------------------

@needs_seeds
def test_seed_poster_reads_in_column_order(config):
    text = next(SEEDS.glob("002_*.txt")).read_text("utf-8")
    out, changes = repair_text(text, context(config))
    assert "columns_read_apart" in {c.operation for c in changes}
    out = flat(out)
    # the two columns of its opening: each reads on down its own column
    assert "à une alimentation choisie" in out.replace(" a une ", " à une ")
    assert "territoriaux solidaires, démocratiques et durables qui favorisent" in out


# --- bench/columns.py's scorer of seed 002's passages ----------------------------------------------

def _bench_columns():
    sys.path.insert(0, str(ROOT / "bench"))
    import columns

    return columns


def test_passage_scorer_allows_ocr_fixes_and_exact_splits():
    whole_in = _bench_columns().whole_in
    passage = "Nous irons tous surles marchés quelgues jours.".split()
    assert whole_in(passage, "Bref. Nous irons tous sur les marchés quelques jours. Fin".split())
    assert whole_in(passage, "nous IRONS tous surles Marchés quelques jours".split())


def test_passage_scorer_refuses_a_word_in_between_or_a_loose_join():
    whole_in = _bench_columns().whole_in
    passage = "Nous irons tous surles marchés quelgues jours.".split()
    assert not whole_in(passage, "Nous irons tous Programme surles marchés quelques jours.".split())
    assert not whole_in(passage, "Nous irons tous surles marchés".split())
    # two words are one only when they join exactly: "Leviers d'action" is not "Leviers"
    assert not whole_in(["Leviers", "d'action"], ["Leviers", "Organisation"])
    # a short word must be itself: a bullet read as "e" is not "et", "des" is not "de"
    assert not whole_in("Leviers de l'action".split(), "Leviers e l'action".split())
    assert not whole_in("Expérimentation de nouveaux modèles".split(), "d'expérimenter des nouveaux modèles".split())
    assert whole_in("|l plante le gombo".split(), "il plante le gombo".split())


@needs_seeds
def test_seed_passages_lie_on_the_poster_and_read_cut_as_given():
    import tomllib

    columns = _bench_columns()
    text = next(SEEDS.glob("002_*.txt")).read_text("utf-8")
    lines = text.split("\n")
    passages = tomllib.loads((ROOT / "bench" / "seed_columns.toml").read_text("utf-8"))["passages"]
    assert [p["kind"] for p in passages].count("whole") == 3 and len(passages) == 35
    for passage in passages:
        words = []
        for line, first, end in passage["pieces"]:
            found = lines[line - 1].split()
            assert 0 <= first < end <= len(found), passage
            words += found[first:end]
        assert columns.whole_in(words, text.split()) == (passage["kind"] == "whole"), passage


def test_a_text_sends_at_most_its_budget_of_words_to_the_search(reader):
    """Runs after the budget is spent stay as they stand: no text, however many poster-like runs it holds,
    costs more than `columns_max_search_words` words of search (each round)."""
    import dataclasses

    from pipeline.repair.columns import Reader

    runs = [case["input"].strip("\n") for case in CASES["read"][:3]]
    words = [len(run.split()) for run in runs]
    text = "\n\n".join(runs)
    assert [c.before for c in read_columns(text, reader)[1]] == runs
    for budget, read in ((words[0], 1), (words[0] + words[1], 2), (words[0] - 1, 0)):
        tight = Reader(reader.model, dataclasses.replace(reader.w, max_search_words=budget))
        assert len(read_columns(text, tight)[1]) == read, budget
