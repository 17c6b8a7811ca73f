"""Decoding text files and removing Markdown markers."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.errors import Unreadable
from pipeline.extract.text import decode, strip_markdown

ENC = ["utf-8", "cp1252", "latin-1"]
FRENCH = "Réseau des collectivités : « œuvre », ça marche à Besançon — 15 €"


@pytest.mark.parametrize("data, encoding", [
    (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8-sig"),
    (FRENCH.encode("utf-16"), "utf-16"),
    (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf-16"),
    (FRENCH.encode("utf-16-le"), "utf-16-le"),
    (FRENCH.encode("utf-16-be"), "utf-16-be"),
    (FRENCH.encode("utf-8"), "utf-8"),
    (FRENCH.encode("cp1252"), "cp1252"),
])
def test_decodes_common_encodings(data, encoding):
    text, used = decode(data, ENC)
    assert text == FRENCH and used == encoding


def test_latin1_when_cp1252_cannot():
    data = "caf\xe9 \x81".encode("latin-1")  # 0x81 is undefined in cp1252
    text, used = decode(data, ENC)
    assert used == "latin-1" and text.startswith("café")


def test_cp1252_is_not_mistaken_for_utf8():
    text, used = decode("Économie sociale et solidaire".encode("cp1252"), ENC)
    assert used == "cp1252" and text == "Économie sociale et solidaire"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\n ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary content"),
    (bytes(range(1, 32)) * 20, "binary content"),
])
def test_refuses_what_is_not_text(data, reason):
    with pytest.raises(Unreadable, match=reason):
        decode(data, ENC)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(str.strip))
def test_utf8_and_utf16_round_trip(text):
    assert decode(text.encode("utf-8"), ENC)[0] == text
    assert decode(text.encode("utf-16"), ENC)[0] == text


def test_emphasis_markers_removed_words_kept():
    text, changes = strip_markdown("Organisation de **webinaires** et d'un *atelier* à __Niort__.", full=False)
    assert text == "Organisation de webinaires et d'un atelier à Niort."
    assert [c.operation for c in changes] == ["markdown_bold", "markdown_bold", "markdown_italic"]
    assert changes[0].before == "**webinaires**" and changes[0].after == "webinaires"


@pytest.mark.parametrize("text", [
    "calcul 2 * 3 * 4 = 24",
    "le fichier mon_fichier_final.pdf",
    "https://exemple.fr/un_chemin/autre_chemin",
    "* une puce\n* une autre puce",
    "note de bas de page*",
])
def test_text_that_is_not_emphasis_is_left_alone(text):
    out, changes = strip_markdown(text, full=False)
    assert out == text and changes == []


def test_markdown_headings_and_links_only_for_md():
    source = "# Titre\n\nVoir le [guide](https://exemple.fr/guide)."
    md, _ = strip_markdown(source, full=True)
    txt, _ = strip_markdown(source, full=False)
    assert md == "Titre\n\nVoir le guide."
    assert txt == source
