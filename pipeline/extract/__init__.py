"""Extract: the pipeline's reader, one raw file in, one record holding its whole text out.

`Extract` is the `Reader` of the pipeline (pipeline/stage.py): set up with
the `[extract]` settings, `read(file)` gives the file's record.  It is the one
step that takes files rather than records.  A file that cannot be read raises
`Unreadable` with a one-line reason, which the runner turns into a quarantine
entry in the manifest.

Pages of a paged document are separated by a form feed (`\\f`) on its own
line, so that later stages can tell page furniture from body text.
"""

from __future__ import annotations

import io
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from ..config import Config
from ..record import Change, Record, Source, record_id
from ..stage import RawFile
from .errors import Unreadable
from ..versions import VERSIONS


FORMATS = {
    ".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
    ".docx": "docx",
}
PAGE_BREAK = "\n\f\n"

__all__ = ["Extract", "RawFile", "Unreadable", "detect_format", "extract_file", "read_file"]


def has_visible_text(text: str) -> bool:
    """Anything a reader sees: a character that is neither blank nor invisible (format, control)."""
    import unicodedata

    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Zs", "Zl", "Zp", "Co", "Cn")
               for ch in text)


def detect_format(path: str) -> str | None:
    return FORMATS.get(Path(path).suffix.lower())


def _image_pages(data: bytes, max_pixels: int) -> list[Any]:
    """The frames of an image, each checked against `max_pixels` from its header, before it is decoded."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # our own limit, from config, replaces Pillow's (which raises past 179 Mpx)
    try:
        image = Image.open(io.BytesIO(data))
        frames = []
        for frame in ImageSequence.Iterator(image):
            width, height = frame.size
            if width * height > max_pixels:
                raise Unreadable(f"image of {width}x{height} pixels is larger than max_pixels={max_pixels} "
                                 f"(config [extract])")
            frames.append(frame.copy())
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise Unreadable(f"corrupt or unsupported image ({exc.__class__.__name__})") from None
    return frames


def extract_file(file: RawFile, config: Config) -> Record:
    """Extract one file into one record, with the `[extract]` section of `config`."""
    return read_file(file, config.section("extract"))


def read_file(file: RawFile, cfg: Mapping[str, Any]) -> Record:
    """Extract one file into one record (whole text, span over all of it)."""
    fmt = detect_format(file.path)
    if fmt is None:
        known = " ".join(sorted(FORMATS))
        raise Unreadable(f"unknown extension '{Path(file.path).suffix or '(none)'}' (supported: {known})")
    if len(file.data) > cfg["max_file_mb"] * 1024 * 1024:
        raise Unreadable(f"larger than max_file_mb={cfg['max_file_mb']:g} (config [extract])")
    if not file.data.strip():
        raise Unreadable("empty file")

    changes: list[Change] = []
    title = None
    pages = None
    ocr_pages = None
    confidence = None
    encoding = None
    if fmt in ("txt", "md"):
        from .text import decode, strip_markdown

        text, encoding = decode(file.data, cfg["text_encodings"])
        if fmt == "md" or cfg["strip_markdown_in_txt"]:
            text, edits = strip_markdown(text, full=fmt == "md")
            changes = list(Change.stamp(edits, "extract", file.path))
        extraction = "text"
    elif fmt == "html":
        from .html import extract_html

        text, title, encoding = extract_html(file.data, cfg["text_encodings"])
        extraction = "html"
    elif fmt == "pdf":
        from .pdf import extract_pdf

        page_texts, ocr_pages, confidence, replaced = extract_pdf(file.data, cfg)
        changes = list(Change.stamp(replaced, "extract", file.path))
        text = PAGE_BREAK.join(page_texts)
        pages = list(range(1, len(page_texts) + 1))
        extraction = "ocr" if len(ocr_pages) == len(page_texts) else "pdf-text"
    elif fmt == "image":
        from .ocr import ocr_image

        frames = _image_pages(file.data, cfg["max_pixels"])
        texts, confidences = [], []
        for frame in frames:
            page_text, page_conf = ocr_image(frame, cfg)
            texts.append(page_text)
            if page_conf is not None:
                confidences.append(page_conf)
        if not any(t.strip() for t in texts):
            raise Unreadable("no text found by OCR")
        text = PAGE_BREAK.join(texts)
        pages = list(range(1, len(frames) + 1))
        ocr_pages = pages
        confidence = round(sum(confidences) / len(confidences), 2) if confidences else None
        extraction = "ocr"
    else:  # docx
        from .docx import extract_docx

        text, title = extract_docx(file.data, int(cfg["max_docx_member_mb"] * 1024 * 1024))
        extraction = "text"

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not has_visible_text(text):
        raise Unreadable("no text in file (only blanks or invisible characters)")
    if len(text) > cfg["max_text_chars"]:
        raise Unreadable(f"text of {len(text):,} characters is longer than max_text_chars={cfg['max_text_chars']} "
                         f"(config [extract])")
    span = [0, len(text)]
    source = Source(
        path=file.path, sha256=file.sha256, format=fmt, extraction=extraction, pages=pages,
        span=span, encoding=encoding, ocr_pages=ocr_pages, ocr_confidence=confidence,
    )
    return Record(id=record_id(file.path, text), source=source, text=text, title=title,
                  changes=tuple(changes), extracted=text)


class Extract:
    """The pipeline's `Reader`."""

    name = "extract"
    version = VERSIONS["extract"]

    def setup(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings

    def format_of(self, path: str) -> str | None:
        return detect_format(path)

    def read(self, file: RawFile) -> list[Record]:
        return [read_file(file, self.settings)]
