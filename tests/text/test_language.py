"""pipeline/text/language.py: the cheap test that settles plainly French paragraphs before lingua is asked.

It may only ever say "French" where lingua would; anything else goes to lingua.  Measured on real text in
make bench (bench/languages.py); here, the cases that must and must not be settled."""

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.classify import Context
from pipeline.text.language import detect_with_lingua

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from repair.test_do_no_harm import OTHER_LANGUAGES  # noqa: E402

FRENCH = [
    "Le réseau accompagne les collectivités de Bretagne dans leurs projets d'alimentation durable, avec les "
    "associations du territoire et les habitants qui le souhaitent.",
    "Depuis trois ans, l'épicerie solidaire est ouverte aux familles du quartier : elles y trouvent des "
    "produits frais à petit prix, et un lieu où l'on se parle.",
]
NOT_SETTLED = {
    "too short": "Les collectivités sont invitées à répondre.",
    "a French frame around English": "Comme le dit le rapport, dans sa conclusion : the cooperative is the "
                                     "heart of the local economy and of its people.",
    "Catalan with 'les' and 'des'": "La cooperativa treballa des de fa anys amb les escoles i els pagesos "
                                    "de la comarca per oferir aliments de proximitat a les famílies.",
    "Occitan": "Los vilatges de las montanhas gardan la lenga occitana, e los joves l'aprenon a l'escòla "
               "amb los ancians del país.",
    "Latin": "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam Aquitani, tertiam "
             "qui ipsorum lingua Celtae, nostra Galli appellantur.",
    # French-looking small words, no French words (found by a review of the first version)
    "Spanish": "La asociación de vecinos organiza un taller en la plaza mayor que reúne a jóvenes.",
    "Catalan, festa major": "Les entitats de la ciutat han presentat un projecte que les escoles volen fer en la "
                            "festa major.",
    "Romanian": "Asociația a organizat un atelier la Paris pentru tinerii din cartier, de la ora zece.",
    "Latin, a prayer": "Et in terra pax, qui sedes ad dexteram Patris, et est in gloria.",
}


@pytest.fixture(scope="module")
def ctx(config):
    return Context(config)


@pytest.mark.parametrize("text", FRENCH)
def test_plain_french_is_settled_and_lingua_agrees(ctx, text):
    assert ctx.french(text)
    cfg = ctx.cfg
    assert detect_with_lingua(text, tuple(cfg["languages"]), cfg["language_min_distance"],
                              cfg["language_min_chars"]) == "fr"


@pytest.mark.parametrize("case", sorted(NOT_SETTLED))
def test_what_is_not_plainly_french_goes_to_lingua(ctx, case):
    assert not ctx.french(NOT_SETTLED[case])


@pytest.mark.parametrize("lang", sorted(set(OTHER_LANGUAGES) - {"emoji"}))  # "emoji" is French with emoji
def test_no_other_language_is_settled_as_french(ctx, lang):
    assert not ctx.french(OTHER_LANGUAGES[lang])
    assert ctx.language(OTHER_LANGUAGES[lang]) != "fr"


# --- repair's French gate: langdetect, its loops written faster ---------------------------------------

def _answer(text: str, seed: int, ours: bool):
    """Every language langdetect gives `text` and its probability (or its error), by the library's own
    Detector or by ours."""
    from langdetect import LangDetectException

    from pipeline.text.language import _detector_class, _factory

    detector = _detector_class(seed)(_factory(seed)) if ours else _factory(seed).create()
    detector.append(text)
    try:
        return [(lang.lang, lang.prob) for lang in detector.get_probabilities()]
    except LangDetectException as error:
        return str(error)


LANGDETECT_CASES = FRENCH + list(NOT_SETTLED.values()) + list(OTHER_LANGUAGES.values()) + [
    "", "   ", "123 456", "L'ÉCONOMIE SOCIALE ET SOLIDAIRE  en   Occitanie", "Voir https://exemple.org et écrire à "
    "contact@exemple.org", "Привет, как дела? Это тест.", "これは日本語の文章です。", "مرحبا بكم في الجمعية",
    "Một hai ba bốn năm", "ÇA VA  -  très BIEN , Merci ; VIVRES  à  Toulouse\nAu revoir",
]


@pytest.mark.parametrize("text", LANGDETECT_CASES)
def test_faster_langdetect_gives_the_librarys_answer_to_the_last_bit(text):
    for seed in (0, 7):
        assert _answer(text, seed, ours=True) == _answer(text, seed, ours=False)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aàbcçdeéèêfghiîjklmnoôpqrstuùvwxyzAÉBCDEZ ''’-.,;:!?\n  ")
                                         + list("ßøåñþæœ") + list("абвгдежз") + list("αβγδ") + list("日本語")),
               max_size=300))
def test_faster_langdetect_gives_the_librarys_answer_on_any_text(text):
    assert _answer(text, 0, ours=True) == _answer(text, 0, ours=False)


PARAGRAPHS = FRENCH + list(OTHER_LANGUAGES.values()) + ["Oui.", "12 rue des Lilas", "", "Gallia est omnis divisa."]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PARAGRAPHS), max_size=6), st.sampled_from([None, "fr"]))
def test_paragraphs_judged_when_asked_give_what_all_judged_at_once_give(paragraphs, default):
    from pipeline.text.language import LazyLanguages, passage_languages

    lazy = LazyLanguages(paragraphs, 0, 20, default)
    expected = passage_languages(paragraphs, 0, 20, default)
    # asked in a shuffled order, as repair asks: only the paragraphs with a word to mend
    for k in sorted(range(len(paragraphs)), key=lambda k: (k * 7) % 5):
        assert lazy[k] == expected[k]
