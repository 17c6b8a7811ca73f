"""Saved web pages: the main text, without navigation, footers or cookie banners."""

from __future__ import annotations

from .errors import Unreadable
from .text import decode


def extract_html(data: bytes, encodings: list[str]) -> tuple[str, str | None, str]:
    """Return (main text, page title, encoding)."""
    import trafilatura

    html, encoding = decode(data, encodings)
    if "<" not in html:
        raise Unreadable("not HTML (no markup)")
    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
        with_metadata=False,
    )
    if not text or not text.strip():
        # very short pages fall under trafilatura's thresholds; take the plain text instead
        text = trafilatura.html2txt(html)
    if not text or not text.strip():
        raise Unreadable("HTML page has no text")
    # trafilatura puts one block (paragraph, heading, list item) per line;
    # the record format separates blocks by a blank line.
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata is not None and metadata.title else None
    return text, title, encoding
