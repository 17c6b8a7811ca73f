"""Repair never treats prose as debris because it is not French, and never rewrites correct French.

Negative cases (what must not change) beside the positive ones: other languages and scripts, alone and
inside a French page; feminine plurals; rare but real words.  Measured on real OCR written by others
(ICDAR 2017, ../shared/external): repair never raises a document's character error rate.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from pipeline.record import Change
from pipeline.text.replay import replay
from pipeline.repair import context, repair_text
from pipeline.repair.debris import is_debris_line, word_shaped
from pipeline.repair.lexicon import changes_inflection

EXTERNAL = ROOT.parent / "shared" / "external"
ICDAR = EXTERNAL / "icdar2017-fr-monograph-dev.jsonl"

OTHER_LANGUAGES = {
    "it": "Il comune di Bologna ha approvato un nuovo progetto di economia sociale con le cooperative del territorio.",
    "pt": "A cooperativa trabalha com os agricultores da região para garantir uma alimentação saudável a todos.",
    "nl": "De gemeente werkt samen met lokale verenigingen om de sociale economie in de wijk te versterken.",
    "ca": "La cooperativa treballa amb els pagesos de la comarca per oferir aliments de proximitat a les escoles.",
    "oc": "Lo país d'òc es bèl e la lenga occitana viu encara dins los vilatges de las montanhas.",
    "br": "Degemer mat e Breizh, ar gevredigezh a labour evit ar brezhoneg hag ar sevenadur e kêriadennoù ar vro.",
    "eu": "Euskal Herriko kooperatibek tokiko ekonomia sozial eta solidarioa indartzen dute herri guztietan.",
    "co": "A Corsica hè una isula di u Mediterraniu, è a lingua corsa hè parlata in tutti i paesi di l'isula.",
    "la": "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam Aquitani, tertiam Galli.",
    "ar": "هذه فقرة باللغة العربية عن الاقتصاد الاجتماعي والتضامني في المدن والقرى الفرنسية.",
    "he": "זוהי פסקה בעברית על הכלכלה החברתית והסולידרית בערים ובכפרים של צרפת.",
    "el": "Η κοινωνική οικονομία στηρίζει τις τοπικές κοινότητες και τους συνεταιρισμούς της περιοχής.",
    "emoji": "Bravo à toutes et à tous 🎉🎉 👏👏 ✨ 👨‍👩‍👧 🇫🇷",
}
FRENCH = ("Le réseau accompagne les collectivités de Bretagne dans leurs projets.\n\n"
          "{passage}\n\n"
          "La journée se termine par un temps d'échange entre les participants.")


@pytest.fixture(scope="module")
def ctx(config):
    return context(config)


@pytest.mark.parametrize("lang", sorted(OTHER_LANGUAGES))
def test_prose_in_another_language_or_script_is_kept_alone(ctx, lang):
    passage = OTHER_LANGUAGES[lang]
    text, changes = repair_text(passage, ctx)
    assert text == passage, [c for c in changes]
    assert not [c for c in changes if c.operation.startswith("drop_")]


@pytest.mark.parametrize("lang", sorted(OTHER_LANGUAGES))
def test_prose_in_another_language_or_script_is_kept_inside_a_french_page(ctx, lang):
    passage = OTHER_LANGUAGES[lang]
    text, changes = repair_text(FRENCH.format(passage=passage), ctx)
    assert passage in text, [c for c in changes]
    assert not [c for c in changes if c.operation.startswith("drop_")]


@pytest.mark.parametrize("sentence", [
    "Les collectivités sont invitées à répondre avant le 15 mars.",
    "Nous les avons remerciées pour leur accueil.",
    "Des salariées de la coopérative ont témoigné.",
    "Les associations concernées se sont réunies à Rennes.",
    "Il fallait que je pusse venir, dit-elle, mais il se ravisa.",
])
def test_correct_french_is_never_rewritten(ctx, sentence):
    text, changes = repair_text(sentence, ctx)
    assert text == sentence, changes


def test_ocr_damage_is_still_repaired_in_french(ctx):
    text, _ = repair_text("Il faut quelgues mois pour I'objet du projet, surles territoires.", ctx)
    assert text == "Il faut quelques mois pour l'objet du projet, sur les territoires."


def test_gender_and_number_endings_are_not_corrections():
    assert changes_inflection("invitées", "invités")
    assert changes_inflection("projet", "projets")
    assert changes_inflection("salariées", "salariés")
    assert not changes_inflection("déebut", "début")
    assert not changes_inflection("tres", "très")


@pytest.mark.parametrize("line", [
    "\\ \\ HESEA\" Lté Finance par E B N @ z;c:jgnu par",
    "France o QxS i",
    "%@#~ ^^ ¤¤ }{ |||",
])
def test_debris_lines_are_still_debris(line):
    assert is_debris_line(line, 3, 0.5)


@pytest.mark.parametrize("word, shaped", [
    ("VivreS", True), ("RepèrESS", True), ("McCain", True), ("CNRS", True), ("Breizh", True),
    ("tHe", False), ("QxS", False), ("z;c:jgnu", False), ("bcdfghjk", False), ("aaab", False),
])
def test_word_shape(word, shaped):
    assert word_shaped(word) is shaped


def _icdar():
    return [json.loads(line) for line in ICDAR.read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not ICDAR.exists(), reason="../shared/external is not present")
def test_repair_never_raises_the_error_rate_of_real_ocr(ctx):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from ocr_real import cer

    for doc in _icdar():
        repaired, changes = repair_text(doc["ocr"], ctx)
        before, after = cer(doc["ocr"], doc["truth"]), cer(repaired, doc["truth"])
        assert after <= before + 1e-9, (doc["file"], before, after)
        dropped = sum(sum(ch.isalpha() for ch in c.before) for c in changes if c.operation.startswith("drop_"))
        assert dropped <= 5, (doc["file"], dropped)


_LINES = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\f\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
                          min_size=0, max_size=60), min_size=1, max_size=8)


@given(_LINES)
def test_every_letter_bearing_line_is_kept_or_its_removal_recorded(ctx, lines):
    """For any text: each input line holding a letter is, letters and all, in the output, or a change says
    why it is not (changed, dropped, joined)."""
    text = "\n".join(lines)
    repaired, changes = repair_text(text, ctx)
    assert replay(text, Change.stamp(changes, "repair", "a.txt"), check=True) == repaired  # issue 27
    recorded = "\n".join(c.before for c in changes)
    out_letters = "".join(ch for ch in repaired if ch.isalpha()).casefold()
    for line in text.split("\n"):
        letters = "".join(ch for ch in line if ch.isalpha()).casefold()
        if letters and letters not in out_letters:
            assert any(part.strip() and part.strip() in recorded for part in line.split()), (line, changes)
