"""Segment (first pass): one record per file with a sensible title."""

from pipeline.segment import choose_title, fold

SKIP = frozenset(fold(x) for x in ["Réseau Territoires Solidaires"])


def test_declared_title_wins():
    assert choose_title("Autre chose\nTexte.", "  Titre  déclaré ", SKIP, 160) == "Titre déclaré"


def test_site_name_is_never_the_title():
    text = "Réseau Territoires Solidaires\n\nGuide « Commande publique » : acheter local\n\nCorps."
    assert choose_title(text, None, SKIP, 160) == "Guide « Commande publique » : acheter local"


def test_a_sentence_is_not_a_title():
    assert choose_title("Le réseau publie un guide pratique.\n\nSuite.", None, SKIP, 160) is None


def test_quotes_around_a_title_are_removed():
    assert choose_title('"Rencontres nationales 2024"\n\nTexte.', None, SKIP, 160) == "Rencontres nationales 2024"
