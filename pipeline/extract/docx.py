"""Word documents: paragraphs, headings, list items and tables, in document order."""

from __future__ import annotations

import io

from .errors import Unreadable


def _check_members(data: bytes, max_member: int) -> None:
    """A .docx is a zip: refuse one whose members would expand past `max_member` bytes (a zip bomb)
    before anything is unzipped.  zipfile never reads past a member's declared size."""
    import zipfile

    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable(f"corrupt .docx (not a zip: {exc.__class__.__name__})") from None
    for member in members:
        if member.file_size > max_member:
            raise Unreadable(f".docx member {member.filename[:60]} expands to {member.file_size:,} bytes, more than "
                             f"max_docx_member_mb={max_member / 1024 / 1024:g} (config [extract])")


def extract_docx(data: bytes, max_member: int) -> tuple[str, str | None]:
    """Return (text with one blank line between paragraphs, title if the document has one)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_members(data, max_member)
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
