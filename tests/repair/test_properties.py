"""Invariants of repair, over generated French-like text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import defaults
from pipeline.repair import context, repair_text
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
def test_no_line_disappears_unrecorded(text):
    """Every line of the input is in the output (joined or fixed) or in a recorded change."""
    out, changes = repair_text(text, CTX)

    def letters(s: str) -> str:  # hyphens, blanks and punctuation may move when lines are joined
        return "".join(ch for ch in s if ch.isalnum())

    recorded = letters(" ".join(c.before for c in changes))
    output = letters(out)
    for line in text.replace("\f", "\n").split("\n"):
        missing = [w for w in line.split() if letters(w) and letters(w) not in output and letters(w) not in recorded]
        assert not missing, (line, missing)


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
