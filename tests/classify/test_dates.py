"""French dates: every form of the classify issue, and what must not be a date."""

import datetime as dt

import pytest

from pipeline.classify.dates import find_dates, public


@pytest.mark.parametrize("text, reference, expected", [
    ("Publié le 24 mars 2022", None, [("24 mars 2022", "2022-03-24", "2022-03-24", "day")]),
    ("les 18 et 19 octobre 2023 à Bruxelles", None, [("18 et 19 octobre 2023", "2023-10-18", "2023-10-19", "day")]),
    ("du 5 au 7 juin", dt.date(2024, 1, 15), [("du 5 au 7 juin", "2024-06-05", "2024-06-07", "day")]),
    ("de juin 2021 à février 2022", None, [("de juin 2021 à février 2022", "2021-06-01", "2022-02-28", "month")]),
    ("Mots-clés : ruralité - Mai 2020", None, [("Mai 2020", "2020-05-01", "2020-05-31", "month")]),
    ("Article de Localtis, 19.11.2021 :", None, [("19.11.2021", "2021-11-19", "2021-11-19", "day")]),
    ("porté de mi 2018 à mi 2021", None, [("mi 2018", "2018-05-01", "2018-08-31", "month"),
                                          ("mi 2021", "2021-05-01", "2021-08-31", "month")]),
    ("depuis début 2021.", None, [("début 2021", "2021-01-01", "2021-04-30", "month")]),
    ("mené en 2021-2022 par", None, [("2021-2022", "2021-01-01", "2022-12-31", "year")]),
    ("le jeudi 10 septembre 2020.", None, [("jeudi 10 septembre 2020", "2020-09-10", "2020-09-10", "day")]),
    ("au printemps 2024", None, [("printemps 2024", "2024-03-01", "2024-05-31", "month")]),
    ("au premier trimestre 2020", None, [("premier trimestre 2020", "2020-01-01", "2020-03-31", "month")]),
    ("association née en 2012 à Vaillant", None, [("2012", "2012-01-01", "2012-12-31", "year")]),
    ("Mercredi 18 octobre 2023", None, [("Mercredi 18 octobre 2023", "2023-10-18", "2023-10-18", "day")]),
    ("au second semestre 2021,", None, [("second semestre 2021", "2021-07-01", "2021-12-31", "month")]),
    ("dès les années 2010", None, [("années 2010", "2010-01-01", "2019-12-31", "year")]),
    ("reçus avant le 21/03/22.", None, [("21/03/22", "2022-03-21", "2022-03-21", "day")]),
    ("atteindre d'ici 2030 la neutralité", None, [("2030", "2030-01-01", "2030-12-31", "year")]),
    ("à partir de 2020 et à compter de 2021", None, [("2020", "2020-01-01", "2020-12-31", "year"),
                                                     ("2021", "2021-01-01", "2021-12-31", "year")]),
    ("en mars-avril 2021", None, [("mars-avril 2021", "2021-03-01", "2021-04-30", "month")]),
    ("entre mars et avril 2021", None, [("mars et avril 2021", "2021-03-01", "2021-04-30", "month")]),
    ("le 2 mars 2021 puis le 4 mars.", None, [("2 mars 2021", "2021-03-02", "2021-03-02", "day"),
                                              ("4 mars", "2021-03-04", "2021-03-04", "day")]),
    ("du 3 janv. au 5 févr. 2020", None, [("du 3 janv. au 5 févr. 2020", "2020-01-03", "2020-02-05", "day")]),
])
def test_french_dates(text, reference, expected):
    assert [(d["text"], d["start"], d["end"], d["precision"]) for d in public(find_dates(text, reference))] == expected


@pytest.mark.parametrize("text, reference, expected", [
    # relative to the page's date (issue 20: "le 8 novembre dernier" on a page of December 2022 is 2022)
    ("le 8 novembre dernier", dt.date(2022, 12, 5), ("8 novembre dernier", "2022-11-08", "day")),
    ("le 20 décembre dernier", dt.date(2022, 12, 5), ("20 décembre dernier", "2021-12-20", "day")),
    ("le 12 mars prochain", dt.date(2022, 12, 5), ("12 mars prochain", "2023-03-12", "day")),
    ("en novembre dernier", dt.date(2023, 2, 1), ("novembre dernier", "2022-11-01", "month")),
    # a named year, and a span of years
    ("l'édition 2019 du festival", None, ("2019", "2019-01-01", "year")),
    ("la loi de 2016 pour une République numérique", None, ("2016", "2016-01-01", "year")),
    ("pour la rentrée 2024,", None, ("2024", "2024-01-01", "year")),
    ("président de 2008 à 2012", None, ("de 2008 à 2012", "2008-01-01", "year")),
    ("entre 2015 et 2020", None, ("entre 2015 et 2020", "2015-01-01", "year")),
])
def test_relative_dates_named_years_and_spans(text, reference, expected):
    [date] = public(find_dates(text, reference))
    assert (date["text"], date["start"], date["precision"]) == expected


@pytest.mark.parametrize("text", [
    "le 8 novembre dernier",  # no page date: no year to count back from
    "de 2008 à 2012 euros",  # an amount
    "une édition 2019 pages",
])
def test_relative_or_amounts_without_a_year_stay_unresolved(text):
    assert [d for d in find_dates(text) if d["start"]] == []


def test_a_weekday_takes_the_year_the_page_names_most():
    """12 March fell on a Thursday in 2015 and in 2020: a page about 2020 means 2020."""
    text = "Bilan 2015 du réseau.\n\nEn 2020, la crise. Le budget 2020 voté, une réunion jeudi 12 mars."
    dates = public(find_dates(text))
    assert ("jeudi 12 mars", "2020-03-12") in [(d["text"], d["start"]) for d in dates]


def test_weekday_and_day_without_year_take_the_page_year():
    [date] = public(find_dates("le jeudi 12 mai, à Lyon", dt.date(2022, 4, 1)))
    assert date["start"] == "2022-05-12"  # a Thursday in 2022


def test_weekday_without_page_date_uses_the_record_years_that_fit():
    dates = public(find_dates("En 2023, un webinaire vendredi 17 novembre de 9h30 à 11h."))
    assert dates[1] == {"text": "vendredi 17 novembre", "start": "2023-11-17", "end": "2023-11-17", "precision": "day"}


def test_day_without_any_year_has_null_ends():
    assert public(find_dates("rendez-vous le 5 juin")) == [
        {"text": "5 juin", "start": None, "end": None, "precision": "day"}]


def test_a_year_is_not_borrowed_across_paragraphs_nor_from_a_later_date():
    dates = public(find_dates("Réunion le 4 mars.\n\nLe bilan du 2 mars 2021 puis le 12 mai et avril 2022."))
    assert [(d["text"], d["start"]) for d in dates] == [("4 mars", None), ("2 mars 2021", "2021-03-02"),
                                                        ("12 mai", "2021-05-12"), ("avril 2022", "2022-04-01")]


@pytest.mark.parametrize("text", [
    "https://collectifgare.wordpress.com/2016/11/22/qui-sommes-nous/",
    "Téléchargez le guide (32 pages).",
    "15 € et 200kms en 3 ou 4 jours",
    "18 sites pilotes, 2 000 habitants",
    "le 31 février 2022",
    "écrire à contact2021@exemple.fr",
    "version 1/2/34 du logiciel",
    "ratio 12/13/14",
])
def test_not_dates(text):
    assert [d for d in find_dates(text) if d["precision"] == "day" and d["start"]] == []
    assert not any("2016" in d["text"] or d["text"].startswith("32") for d in find_dates(text))


def test_a_weekday_day_in_figures_takes_the_page_year():
    """Issue 20, a programme page: "Jeudi 4/11" in a page of October 2021 is 4 November 2021 (a Thursday)."""
    found = find_dates("Jeudi 4/11 - 9h30 : petit-déjeuner, Aubenas", dt.date(2021, 10, 15))
    assert [d["start"] for d in found] == ["2021-11-04"]
    assert find_dates("Les 3/4 des places sont prises.", dt.date(2021, 10, 15)) == []


def test_a_dated_header_is_the_reference_when_the_page_states_no_date():
    from pipeline.classify.dates import reference_date

    text = "Réunion du 12 mars 2021\n\nLe comité s'est réuni. Il se réunira le mardi 15 juin et le 8 février dernier."
    assert reference_date(None, None, text) == dt.date(2021, 3, 12)
    found = find_dates(text, reference_date(None, None, text))
    assert [d["start"] for d in found] == ["2021-03-12", "2021-06-15", "2021-02-08"]
    late = "Un titre\n\nPremier paragraphe.\n\nTroisième paragraphe, le 12 mars 2021."
    assert reference_date(None, None, late) is None  # a date deep in the text is not the page's date
    assert reference_date("2022-01-05", None, text) == dt.date(2022, 1, 5)  # the stated date comes first


def test_the_page_dates_segment_moved_are_listed_with_the_record_dates(tmp_path, config):
    """"Publié le 12/01/2023" leaves the text for `published`; the record's dates still list it, and "le 8
    décembre dernier" is counted from it."""
    import json

    from pipeline.run import run

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.txt").write_text("Un label pour la commune\n\nPublié le 12/01/2023\n\n"
                                  "La commune a reçu le label le 8 décembre dernier.\n", "utf-8")
    run(raw, tmp_path / "clean", config, use_cache=False, progress=False, log=None)
    record = json.loads((tmp_path / "clean" / "records.jsonl").read_text("utf-8").splitlines()[0])
    assert record["published"] == "2023-01-12" and "Publié" not in record["text"]
    assert [(d["start"], d["precision"]) for d in record["dates"]] == [("2023-01-12", "day"), ("2022-12-08", "day")]


@pytest.mark.parametrize("text, expected", [
    # issue 28: the year of a gathering, and a year that closes a heading or stands before its colon
    ("L'assemblée 2021 a voté le budget.", ("2021", "2021-01-01")),
    ("Le forum 2023 s'ouvre à Lyon.", ("2023", "2023-01-01")),
    ("Semaine de la solidarité 2024 : le programme", ("2024", "2024-01-01")),
    ("Rapport d'activité 2023", ("2023", "2023-01-01")),
])
def test_named_and_heading_years(text, expected):
    assert [(d["text"], d["start"]) for d in public(find_dates(text))] == [expected]


@pytest.mark.parametrize("text", [
    "Une association loi 1901 gère le lieu.",  # an association's status, not a date
    "la loi n° 2014-856 du mois",  # a law's number
    "Nous étions 2000 personnes : un record.",  # a count before its noun
    "Tél. 05 61 00 20 24 :",
])
def test_statuses_numbers_and_counts_are_not_years(text):
    assert public(find_dates(text)) == []


def test_a_heading_year_gives_a_programme_its_days():
    """A programme whose days have no year takes the one its heading names (not "loi 1901" further down)."""
    text = ("Semaine de la solidarité 2024 : le programme\n\nmardi 5 novembre\nAtelier.\n\n"
            "Une association loi 1901 gère le lieu.")
    assert [d["start"] for d in public(find_dates(text))] == ["2024-01-01", "2024-11-05"]


@pytest.mark.parametrize("text", [
    "Le collectif a pris 4 décisions et 12 décideurs sont venus, 3 octets de plus.",  # "déc", "oct" inside words
    "Réseau des territoires solidaires — Accueil › Ressources › Fiche 1902",  # a label before a number
    "Voir page 2014 du rapport et le dossier n° 2019.",
])
def test_no_date_inside_a_word_nor_after_a_label(text):
    assert find_dates(text) == []


def test_an_abbreviated_month_is_a_whole_word():
    assert [d["start"] for d in find_dates("Réunion le 4 déc. 2023 puis le 5 déc 2023.")] == ["2023-12-04", "2023-12-05"]
