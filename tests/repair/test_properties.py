"""Invariants of repair, over generated French-like text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import defaults
from pipeline.record import Change
from pipeline.repair import context, repair_text
from pipeline.text.replay import replay
from pipeline.text.fold import fold_blanks as fold

CTX = context(defaults())
VOCAB = ["le", "réseau", "des", "collectivités", "accompagne", "les", "projets", "de", "l'économie", "sociale",
         "et", "solidaire", "à", "Lyon", "CIVAM", "UGESS", "VivreS", "Castanet-Tolosan", "quelgues", "I'objet",
         "publigue", "¢a", "étre", "2021", "n°87", "pour", "surles", "suivi-", "évaluation", "accompagne-",
         "ment", "•", "e", "Aif,é#@@%’;)/", "«", "»", ":", "?", "’", "-", "—", "TÉLÉCHARGER", "Oui", "Non",
         "https://exemple.fr/a_b", "contact@exemple.fr", "ﬁches", "Ã©conomie", "  ", "\t"]
SEPARATORS = [" ", " ", " ", "\n", "\n\n", "\n\f\n"]

texts = st.lists(st.tuples(st.sampled_from(VOCAB), st.sampled_from(SEPARATORS)), max_size=60).map(
    lambda pairs: "".join(w + s for w, s in pairs))

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_repair_is_idempotent(text):
    once, _ = repair_text(text, CTX)
    twice, changes = repair_text(once, CTX)
    assert twice == once
    assert changes == []


@SETTINGS
@given(texts)
def test_the_changes_replay_to_the_repaired_text(text):
    """Issue 27: the edits, each at its span, applied in order to the input, give the output exactly (so no
    text is lost, moved or added without a change saying where and why); blanks-only operations hold no
    letter."""
    out, edits = repair_text(text, CTX)
    assert replay(text, Change.stamp(edits, "repair", "a.txt"), check=True) == out
    for e in edits:
        if e.operation in ("trim_blanks", "page_break"):
            assert not any(ch.isalnum() for ch in e.before + e.after), e


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_s_changes_replay(text):
    out, edits = repair_text(text, CTX)
    assert replay(text, Change.stamp(edits, "repair", "a.txt"), check=True) == out


@SETTINGS
@given(texts)
def test_lexicon_words_are_never_changed(text):
    out, changes = repair_text(text, CTX)
    for word in CTX.lexicon.protected:
        assert text.count(word) <= out.count(word) or any(word in c.before for c in changes
                                                           if c.operation in ("drop_chrome", "drop_debris_line", "drop_page_furniture"))
    assert not any(c.before in CTX.lexicon.protected for c in changes if c.operation == "ocr_word")


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_repairs_idempotently(text):
    once, _ = repair_text(text, CTX)
    assert repair_text(once, CTX)[0] == once


def test_fold_ignores_case_and_blanks():
    assert fold("  Panneau  de GESTION\tdes cookies ") == "panneau de gestion des cookies"
