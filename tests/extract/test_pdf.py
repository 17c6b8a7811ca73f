"""PDF: exact text layer, OCR of scanned pages, which pages were OCR'd, unreadable PDFs."""

from __future__ import annotations

import io

import pytest

from conftest import RAW, TRUTH, cer, extract_path, needs_tesseract
from pipeline.extract import RawFile, Unreadable, extract_file


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.replace("\f", "").split("\n\n") if p.strip()]


def test_text_pdf_gives_exact_text_page_by_page(config):
    record = extract_path(RAW / "rapports" / "rapport-activite-2023.pdf", config)
    truth = (TRUTH / "rapport-activite-2023.txt").read_text("utf-8")
    assert record.source.extraction == "pdf-text"
    assert record.source.pages == [1, 2, 3] and record.source.ocr_pages == []
    assert record.text.count("\f") == 2
    for got, want in zip(record.text.split("\f"), truth.split("\f")):
        assert paragraphs(got) == paragraphs(want)


@needs_tesseract
def test_scanned_pdf_is_ocred_accurately(config):
    record = extract_path(RAW / "rapports" / "compte-rendu-scanne.pdf", config)
    truth = (TRUTH / "compte-rendu-scanne.txt").read_text("utf-8")
    assert record.source.extraction == "ocr"
    assert record.source.ocr_pages == [1, 2]
    assert cer(record.text.replace("\f", ""), truth.replace("\f", "")) <= 0.02


def _pdf(pages: list, encrypt: str | None = None) -> bytes:
    """A PDF whose pages are either a list of text lines or a PIL image (a scanned page)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842), invariant=1, encrypt=encrypt)
    for page in pages:
        if isinstance(page, list):
            pdf.setFont("Helvetica", 12)
            for i, line in enumerate(page):
                pdf.drawString(72, 760 - 18 * i, line)
        else:
            pdf.drawImage(ImageReader(page), 0, 0, 595, 842)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@needs_tesseract
def test_mixed_pdf_says_which_pages_were_ocred(config, samples):
    scan = samples.render((RAW / "rapports" / "compte-rendu-scanne.pdf").read_bytes(), 150)[1]
    data = _pdf([["Page avec une couche texte, lue directement."], scan, ["12"]])
    record = extract_file(RawFile("mixte.pdf", data), config)
    assert record.source.extraction == "pdf-text"
    assert record.source.ocr_pages == [2, 3]  # page 3 holds only a page number: treated as a scan
    first, second, _ = record.text.split("\f")
    assert "couche texte" in first
    assert "Décisions du comité" in second


@pytest.mark.parametrize("data, reason", [
    (b"%PDF-1.4\n%garbage that ends here", "corrupt PDF"),
    (b"<html>pas un PDF</html>", "not a PDF"),
])
def test_unreadable_pdf_raises_with_reason(config, data, reason):
    with pytest.raises(Unreadable, match=reason):
        extract_file(RawFile("x.pdf", data), config)


def test_encrypted_pdf_is_refused_with_reason(config):
    data = _pdf([["Confidentiel"]], encrypt="secret")
    with pytest.raises(Unreadable, match="encrypted PDF"):
        extract_file(RawFile("secret.pdf", data), config)


def test_truncated_sample_is_refused(config):
    with pytest.raises(Unreadable, match="corrupt PDF"):
        extract_path(RAW / "broken" / "export-tronque.pdf", config)


def _shifted(text: str) -> str:
    """What a font with a wrong glyph map gives: every letter one further in the alphabet."""
    return "".join(chr((ord(c) - 97 + 1) % 26 + 97) if "a" <= c <= "z" else
                   chr((ord(c) - 65 + 1) % 26 + 65) if "A" <= c <= "Z" else c for c in text)


def _scan_with_layer(scan, layer: list[str]) -> bytes:
    """A scanned page with an invisible text layer over it (render mode 3), as OCR'd PDFs carry."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842), invariant=1)
    pdf.drawImage(ImageReader(scan), 0, 0, 595, 842)
    text = pdf.beginText(72, 760)
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 12)
    for line in layer:
        text.textLine(line)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


LAYER = ["Le comité de pilotage s'est réuni pour faire le point sur les actions de l'année et décider",
         "des priorités du réseau, avec les collectivités adhérentes et les partenaires du territoire."]


@needs_tesseract
def test_a_text_layer_of_letters_that_make_no_words_is_replaced_by_ocr(config, samples):
    """Issue 20: a wrong glyph map gives letters, not words; the page is read by OCR and the layer kept in a
    change that says why."""
    scan = samples.render((RAW / "rapports" / "compte-rendu-scanne.pdf").read_bytes(), 150)[0]
    record = extract_file(RawFile("glyphes.pdf", _scan_with_layer(scan, [_shifted(x) for x in LAYER * 2])), config)
    assert record.source.ocr_pages == [1] and record.source.extraction == "ocr"
    assert "Décisions" in record.text or "comité" in record.text
    (change,) = [c for c in record.changes if c.operation == "read_by_ocr"]
    assert change.before.startswith(_shifted("Le comité")) and "text layer unreadable" in change.reason


def test_a_text_layer_in_a_language_wordfreq_lacks_is_kept():
    """Never OCR prose because it is not French: Breton and Basque layers are read as they are."""
    from pipeline.extract.pdf import garbled

    languages = ["fr", "en", "es", "it", "de", "pt", "ca", "nl", "ro", "pl"]
    breton = ("Ar brezhoneg a zo ur yezh keltiek komzet e Breizh. Skol Diwan a gelenn ar yezh d'ar vugale abaoe "
              "pell zo hag a-benn ar fin e vez kavet tud yaouank a gomz brezhoneg bemdez er c'hêrioù bras.")
    basque = ("Euskara Euskal Herriko hizkuntza da. Ikastoletan haurrek euskaraz ikasten dute eta herriko "
              "jaietan kantuak abesten dituzte elkarrekin gau osoan zehar, plazan eta kaleetan.")
    for text in (breton, basque, " ".join(LAYER)):
        assert garbled(text, languages, 0.2, 20) is None, text[:30]
    assert garbled(_shifted(" ".join(LAYER * 2)), languages, 0.2, 20)
    assert garbled(_shifted("Un titre court"), languages, 0.2, 20) is None  # too short to judge
