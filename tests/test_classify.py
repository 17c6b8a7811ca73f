"""Classify (first pass): language, dates, entities with offsets into the text."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from pipeline.classify import annotate, detect_language, find_dates


def test_language_french_english_and_too_short():
    assert detect_language("Le réseau des collectivités accompagne les projets de l'économie sociale.", 0, 40) == "fr"
    assert detect_language("The network supports local authorities in building a social economy.", 0, 40) == "en"
    assert detect_language("Oui", 0, 40) is None


def test_language_is_deterministic():
    text = "ESS et ruralités : un mode d'emploi"
    assert len({detect_language(text * 3, 0, 10) for _ in range(5)}) == 1


def test_day_and_month_dates():
    dates = find_dates("Publié le 24 mars 2022, le guide (septembre 2020) et le 1er juin 2021.")
    assert dates == [
        {"text": "24 mars 2022", "start": "2022-03-24", "end": "2022-03-24", "precision": "day"},
        {"text": "septembre 2020", "start": "2020-09-01", "end": "2020-09-30", "precision": "month"},
        {"text": "1er juin 2021", "start": "2021-06-01", "end": "2021-06-01", "precision": "day"},
    ]


def test_impossible_day_is_not_a_date():
    assert find_dates("le 31 février 2022") == [{"text": "février 2022", "start": "2022-02-01",
                                                  "end": "2022-02-28", "precision": "month"}]


def test_entity_offsets_point_into_the_text(config):
    text = "Claude Sicart présente le projet à Marseille avec l'Agence nationale de la cohésion des territoires."
    result = annotate(text, config)
    assert result["entities"], "the model found nothing"
    for entity in result["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]
    assert any(e["label"] == "PER" and e["canonical"] == "Claude Sicart" for e in result["entities"])
    assert any(e["label"] == "LOC" and e["text"] == "Marseille" for e in result["entities"])


def test_cli_annotate_prints_one_json_object(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "annotate", "-"], input="Réunion à Lyon le 5 mai 2023.",
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"language", "entities", "dates"}
    assert data["dates"][0]["start"] == "2023-05-05"
