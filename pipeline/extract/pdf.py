"""PDF: the text layer page by page (pdfplumber); pages without one are OCR'd.

A page whose text layer holds fewer than `pdf_min_chars_per_page` letters or
digits, or is garbage (`(cid:N)` placeholders, symbols, or letters that make
no words of any language: `garbled`), is rendered with pypdfium2 at `ocr_dpi`
and read by Tesseract; a layer replaced so is kept in a change.
"""

from __future__ import annotations

import io
import re
import unicodedata
import statistics
from typing import Any

from ..record import Edit
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


def garbled(text: str, languages: list[str], min_known: float, min_tokens: int) -> str | None:
    """Why a text layer made of letters is still unreadable, or None: most of its words (four letters or
    more: shorter ones match some acronym by chance) are words of none of `languages` (wordfreq) — a font
    whose glyph map is wrong gives "Mf dpmméduj eft qspevdufvst".  Measured: such a layer has 0.00 known
    words; Breton 0.35, Basque 0.35, Occitan 0.79, Latin 0.72, French OCR with errors 0.85.  A short layer
    (under `min_tokens` such words) is never judged."""
    from wordfreq import zipf_frequency

    tokens = [t.lower() for t in _WORDS.findall(text)][:400]
    if len(tokens) < min_tokens:
        return None
    unique = set(tokens)
    known = {t for t in unique if any(zipf_frequency(t, lang) > 0 for lang in languages)}
    share = sum(t in known for t in tokens) / len(tokens)
    if share >= min_known:
        return None
    return (f"text layer unreadable: {share:.0%} of its words are words of any of {', '.join(languages)} "
            f"(under {min_known:.0%}); the page was read by OCR")


_WORDS = re.compile(r"[^\W\d_]{4,}")


def _scale(page: Any, dpi: int, max_pixels: int) -> float:
    """Render scale for OCR: `dpi`, lowered when the page would be larger than `max_pixels`."""
    width, height = page.get_size()  # points
    scale = dpi / 72
    pixels = width * scale * height * scale
    return scale if pixels <= max_pixels else scale * (max_pixels / pixels) ** 0.5


def extract_pdf(data: bytes, cfg: dict[str, Any]) -> tuple[list[str], list[int], float | None, list[Edit]]:
    """Return (text of each page, 1-based numbers of the pages that were OCR'd, their mean OCR confidence,
    one edit per page whose unreadable text layer was replaced by OCR: before the layer, after the OCR)."""
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
    replaced: list[Edit] = []
    rendered = None
    try:
        with pdf:
            if not pdf.pages:
                raise Unreadable("PDF has no pages")
            for number, page in enumerate(pdf.pages, start=1):
                text = _page_text(page, cfg["paragraph_gap"])
                usable = _usable(text, cfg["pdf_min_chars_per_page"])
                why = garbled(text, cfg["text_layer_languages"], cfg["text_layer_min_known_words"],
                              cfg["text_layer_min_words"]) if usable else None
                if not usable or why:
                    layer = text
                    if rendered is None:
                        rendered = pypdfium2.PdfDocument(data)
                    pdf_page = rendered[number - 1]
                    image = pdf_page.render(scale=_scale(pdf_page, cfg["ocr_dpi"], cfg["max_pixels"])).to_pil()
                    text, confidence = ocr_image(image, cfg)
                    ocr_pages.append(number)
                    if why:
                        replaced.append(Edit("read_by_ocr", layer, text, reason=f"page {number}: {why}"))
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
    return pages, ocr_pages, round(sum(confidences) / len(confidences), 2) if confidences else None, replaced
