"""Reading order from word boxes, and OCR accuracy on the sample poster."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conftest import RAW, TRUTH, cer, needs_tesseract, normalise
from pipeline.extract.ocr import Word, drop_specks, layout_text, order_words


def line(words: str, left: int, top: int, height: int = 20, char: int = 10) -> list[Word]:
    """Boxes for a line of words set in a fixed-width font, one space between words."""
    out, x = [], left
    for w in words.split():
        out.append(Word(w, x, top, x + len(w) * char, top + height, 90.0))
        x += (len(w) + 1) * char
    return out


def read(words: list[Word]) -> str:
    return layout_text(order_words(words))


def test_two_aligned_columns_are_read_one_after_the_other():
    words = []
    for i, top in enumerate(range(100, 250, 30)):
        words += line(f"gauche{i} a b", 0, top) + line(f"droite{i} c d", 400, top)
    text = read(words)
    assert text.index("gauche4") < text.index("droite0")
    assert [t for t in text.split() if t.startswith(("gauche", "droite"))] == \
        [f"gauche{i}" for i in range(5)] + [f"droite{i}" for i in range(5)]


def test_title_then_columns_then_footer():
    words = line("Grand titre qui traverse toute la page", 0, 0)
    for i, top in enumerate(range(80, 200, 30)):
        words += line(f"L{i} mots", 0, top) + line(f"R{i} mots", 400, top)
    words += line("L4 dernière ligne à gauche", 0, 200)
    words += line("Pied de page qui traverse aussi toute la page", 0, 300)
    order = [t for t in read(words).split() if t[:1] in "LR" and t[1:].isdigit()]
    assert order == ["L0", "L1", "L2", "L3", "L4", "R0", "R1", "R2", "R3"]
    text = read(words)
    assert text.startswith("Grand titre") and text.endswith("toute la page")
    assert text.index("dernière") < text.index("R0")


def test_single_column_keeps_line_order_and_paragraphs():
    words = line("première ligne du texte", 0, 0) + line("deuxième ligne", 0, 25) + \
        line("nouveau paragraphe", 0, 80)
    assert read(words) == "première ligne du texte\ndeuxième ligne\n\nnouveau paragraphe"


def test_word_spaces_are_not_gutters():
    words = line("un  texte   justifié avec des espaces", 0, 0, char=10)
    assert read(words).split() == "un texte justifié avec des espaces".split()


def test_specks_dropped_punctuation_kept():
    words = line("fixe les règles", 0, 0) + [Word(";", 500, 10, 503, 13, 0.0), Word(":", 600, 2, 603, 17, 93.0)]
    kept = [w.text for w in drop_specks(words)]
    assert ";" not in kept and ":" in kept and "règles" in kept


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(1, 8)), min_size=1, max_size=40))
def test_no_word_is_lost_or_invented(cells):
    words = [Word(f"w{i}", x * 15, y * 22, x * 15 + n * 10, y * 22 + 20, 90.0)
             for i, (x, y, n) in enumerate(cells)]
    out = read(words).split()
    assert sorted(out) == sorted(w.text for w in words)


@needs_tesseract
def test_poster_ocr_accuracy_and_column_order(config):
    from pipeline.extract import RawFile, extract_file

    path = RAW / "affiches" / "affiche-alimentation.png"
    record = extract_file(RawFile("affiches/affiche-alimentation.png", path.read_bytes()), config)
    truth = (TRUTH / "affiche-alimentation.txt").read_text("utf-8")
    assert record.source.extraction == "ocr"
    assert record.source.ocr_confidence is not None and record.source.ocr_confidence > 80
    assert cer(record.text, truth) <= 0.02
    # every paragraph of the truth appears, in the truth's order (left column, then right)
    got = normalise(record.text)
    positions = [got.find(normalise(p)[:40]) for p in truth.split("\n\n")]
    assert -1 not in positions and positions == sorted(positions)
