"""The measuring stick itself must be right, or every CER floor is meaningless."""

from conftest import cer


def test_identical_texts_have_zero_error():
    assert cer("Le RTES", "Le RTES") == 0.0


def test_one_substitution_in_ten_characters():
    assert cer("abcdefghiX", "abcdefghij") == 0.1


def test_whitespace_and_apostrophe_forms_do_not_count():
    assert cer("l’objet  du\nprojet", "l'objet du projet") == 0.0


def test_missing_text_counts_fully():
    assert cer("", "abcd") == 1.0
