"""Repair (first pass): encoding damage, Unicode form, blanks — each change recorded."""

from hypothesis import given
from hypothesis import strategies as st

from pipeline.repair import repair_text


def repair(text, config):
    return repair_text(text, config.section("repair"), "f.txt")


def test_mojibake_fixed_and_explained(config):
    text, changes = repair("Ã©conomie sociale et solidaire", config)
    assert text == "économie sociale et solidaire"
    assert changes[0].operation == "fix_encoding" and changes[0].before.startswith("Ã©")
    assert changes[0].reason == "encode(latin-1), decode(utf-8)"


def test_decomposed_accents_composed(config):
    text, changes = repair("Re\u0301seau", config)
    assert text == "Réseau" and changes[0].operation == "unicode_nfc"


def test_page_breaks_and_blank_runs_become_one_blank_line(config):
    text, _ = repair("page un\n\f\npage deux\n\n\n\nfin", config)
    assert text == "page un\n\npage deux\n\nfin"


def test_spaces_collapsed_and_recorded(config):
    text, changes = repair("les  intervenants soulignent   que", config)
    assert text == "les intervenants soulignent que"
    assert [c.operation for c in changes] == ["collapse_spaces"]


def test_clean_french_text_is_untouched(config):
    clean = "À l'issue du programme, les partenaires ont créé un « kit » : 18 sites pilotes !\n\nCastanet-Tolosan, CIVAM."
    text, changes = repair(clean, config)
    assert text == clean and changes == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_repair_is_idempotent(text):
    from pipeline.config import defaults

    config = defaults()
    once, _ = repair(text, config)
    twice, changes = repair(once, config)
    assert twice == once and changes == []
