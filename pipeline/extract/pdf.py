"""PDF: the text layer page by page (pdfplumber); pages without one are OCR'd.

A page whose text layer holds fewer than `pdf_min_chars_per_page` letters or
digits is rendered with pypdfium2 at `ocr_dpi` and read by Tesseract.
"""

from __future__ import annotations

import io
import re
import unicodedata
import statistics
from typing import Any

from .errors import Unreadable
from .ocr import ocr_image


def _page_text(page: Any, paragraph_gap: float) -> str:
    """Lines of the text layer, with a blank line where the vertical gap says paragraph."""
    lines = page.extract_text_lines(layout=False, strip=True, return_chars=False)
    if not lines:
        return ""
    heights = [ln["bottom"] - ln["top"] for ln in lines]
    unit = statistics.median(heights) or 1
    out: list[str] = []
    previous_bottom = None
    for ln in lines:
        if previous_bottom is not None and ln["top"] - previous_bottom > paragraph_gap * unit:
            out.append("")
        out.append(ln["text"])
        previous_bottom = ln["bottom"]
    return "\n".join(out)


def _is_password_error(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect in its own exception."""
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    seen: list[object] = [exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())]
    return any(isinstance(e, PDFPasswordIncorrect) for e in seen)


_CID = re.compile(r"\(cid:\d+\)")


_PUNCTUATION = set(".,;:!?'\"…%&*@#/\\·•¿¡§†‡")


def _odd(ch: str) -> bool:
    """A character a text layer holds when glyph codes were read as Latin-1: controls, symbols, rare
    punctuation (¶ ¤ ÷ ×)."""
    category = unicodedata.category(ch)
    return category[0] in "CS" and ch not in "€$£°+=<>" or category == "Po" and ch not in _PUNCTUATION


def _usable(text: str, minimum: int) -> bool:
    """A text layer worth reading: enough letters, and not garbage.

    Garbage is what a font without a Unicode map gives: pdfminer's `(cid:N)` placeholders, or glyph codes
    read as symbols and control characters.  Such a page is OCR'd instead."""
    if sum(ch.isalnum() for ch in text) < minimum:
        return False
    cids = _CID.findall(text)
    if cids and sum(map(len, cids)) > 0.05 * len(text):
        return False
    visible = [ch for ch in _CID.sub("", text) if not ch.isspace()]
    letters = sum(ch.isalpha() for ch in visible)
    odd = sum(_odd(ch) for ch in visible)
    return letters >= 0.5 * len(visible) and odd <= 0.1 * len(visible)


def _scale(page: Any, dpi: int, max_pixels: int) -> float:
    """Render scale for OCR: `dpi`, lowered when the page would be larger than `max_pixels`."""
    width, height = page.get_size()  # points
    scale = dpi / 72
    pixels = width * scale * height * scale
    return scale if pixels <= max_pixels else scale * (max_pixels / pixels) ** 0.5


def extract_pdf(data: bytes, cfg: dict[str, Any]) -> tuple[list[str], list[int], float | None]:
    """Return (text of each page, 1-based numbers of the pages that were OCR'd, their mean OCR confidence)."""
    import pdfplumber
    import pypdfium2
    from pdfminer.pdfparser import PDFSyntaxError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise Unreadable("not a PDF (no %PDF header)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises many types on corrupt input
        if _is_password_error(exc):
            raise Unreadable("encrypted PDF (password required)") from None
        raise Unreadable(f"corrupt PDF ({exc.__class__.__name__}: {str(exc)[:120]})") from None
    pages: list[str] = []
    ocr_pages: list[int] = []
    confidences: list[float] = []
    rendered = None
    try:
        with pdf:
            if not pdf.pages:
                raise Unreadable("PDF has no pages")
            for number, page in enumerate(pdf.pages, start=1):
                text = _page_text(page, cfg["paragraph_gap"])
                if not _usable(text, cfg["pdf_min_chars_per_page"]):
                    if rendered is None:
                        rendered = pypdfium2.PdfDocument(data)
                    pdf_page = rendered[number - 1]
                    image = pdf_page.render(scale=_scale(pdf_page, cfg["ocr_dpi"], cfg["max_pixels"])).to_pil()
                    text, confidence = ocr_image(image, cfg)
                    ocr_pages.append(number)
                    if confidence is not None:
                        confidences.append(confidence)
                pages.append(text)
    except Unreadable:
        raise
    except Exception as exc:
        raise Unreadable(f"corrupt PDF ({exc.__class__.__name__}: {str(exc)[:120]})") from None
    finally:
        if rendered is not None:
            rendered.close()
    if not any(p.strip() for p in pages):
        raise Unreadable("PDF has no text, even after OCR")
    return pages, ocr_pages, round(sum(confidences) / len(confidences), 2) if confidences else None
