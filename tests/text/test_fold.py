"""Folding names: the ASCII shortcut gives what the full fold gives."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from pipeline.text.fold import fold_name


def _full_fold(text: str) -> str:
    """fold_name as written before its ASCII shortcut: every string through NFD and the accent filter."""
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"^(?:l'|l’|la |le |les |du |des |de la |de l'|de |d'|d’|au |aux )", "", text.strip(), flags=re.I)
    return re.sub(r"[\s\-'’.]+", " ", text).strip()


def test_names_fold_to_one_form():
    assert fold_name("l'Avisé") == fold_name("AVISE") == fold_name("Avise") == "avise"
    assert fold_name("Ille-et-Vilaine") == fold_name("Ille et Vilaine") == "ille et vilaine"
    assert fold_name("Œuvre") == "oeuvre"
    assert fold_name("Straße") == "strasse"  # casefold makes it ASCII before the shortcut is chosen


@given(st.lists(st.sampled_from(list("aeiouAEIOU -'’.lLdD éÉèœŒæßİ\u0301ç") + ["de la ", "l'", "Le ", "Aux "]),
                max_size=12).map("".join))
def test_ascii_shortcut_changes_nothing(text):
    assert fold_name(text) == _full_fold(text)


@given(st.text(max_size=20))
def test_any_text_folds_as_before(text):
    assert fold_name(text) == _full_fold(text)
