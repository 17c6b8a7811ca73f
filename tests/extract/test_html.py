"""Saved web pages: the article, without navigation, cookie banner, sidebar or footer."""

from conftest import RAW, extract_path
from pipeline.extract import RawFile, Unreadable, extract_file

import pytest


@pytest.fixture(scope="module")
def page(config):
    return extract_path(RAW / "pages" / "journee-tiers-lieux.html", config)


def test_article_text_kept_in_order(page):
    text = page.text
    for sentence in ("plus de cent vingt personnes se sont retrouvées à Clermont-Ferrand",
                     "Le premier atelier portait sur la gouvernance partagée",
                     "il vit de ceux qui le font",
                     "Une seconde édition est prévue à Valence"):
        assert sentence in text
    assert text.index("cent vingt") < text.index("premier atelier") < text.index("seconde édition")


@pytest.mark.parametrize("chrome", ["Accueil", "Adhérer", "Panneau de gestion des cookies", "Tout accepter",
                                    "Mentions légales", "Plan du site", "À lire aussi", "10 rue des Coopératives"])
def test_site_chrome_removed(page, chrome):
    assert chrome not in page.text


def test_blocks_separated_by_blank_lines_and_title(page):
    assert "\n\nTrois ateliers pour avancer ensemble\n\n" in page.text
    assert page.title.startswith("Journée régionale des tiers-lieux à Clermont-Ferrand")
    assert page.source.extraction == "html" and page.source.encoding == "utf-8"


def test_markup_free_file_under_html_name_is_refused(config):
    with pytest.raises(Unreadable, match="not HTML"):
        extract_file(RawFile("x.html", "juste du texte".encode()), config)
