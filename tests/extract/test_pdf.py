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
