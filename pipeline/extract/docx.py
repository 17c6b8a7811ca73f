"""Word documents: paragraphs, headings, list items and tables, in document order."""

from __future__ import annotations

import io

from .errors import Unreadable


def extract_docx(data: bytes) -> tuple[str, str | None]:
    """Return (text with one blank line between paragraphs, title if the document has one)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile, KeyError, lxml errors…
        raise Unreadable(f"corrupt .docx ({exc.__class__.__name__}: {str(exc)[:120]})") from None
    blocks: list[str] = []
    title = (document.core_properties.title or "").strip() or None
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            is_list = "List" in style or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
            if style in ("Title", "Titre") and title is None:
                title = text
            if is_list and blocks and blocks[-1].startswith("- "):
                blocks[-1] += "\n- " + text
            else:
                blocks.append(("- " if is_list else "") + text)
        elif tag == "tbl":
            table = Table(child, document)
            rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
            if rows:
                blocks.append("\n".join(rows))
    if not blocks:
        raise Unreadable(".docx has no text")
    return "\n\n".join(blocks), title
