"""Plain text and Markdown: decoding and emphasis markers."""

from __future__ import annotations

import codecs
import re

from ..record import Edit
from .errors import Unreadable

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: about half the bytes are NUL, on one side."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nul = data[0::2].count(0) / (len(data) / 2)
    odd_nul = data[1::2].count(0) / (len(data) / 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _text_only(text: str) -> str:
    """Refuse decoded 'text' that is mostly control characters: it was binary."""
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7f <= ord(ch) < 0xa0)
    if controls > max(2, len(text) // 200):
        raise Unreadable("binary content under a text extension (control characters)")
    return text


def decode(data: bytes, encodings: list[str]) -> tuple[str, str]:
    """Decode bytes of a text file; return (text, encoding used).

    Order: a BOM decides; then UTF-16 recognised by its NUL pattern; then each
    configured encoding in turn, strictly.  Binary content (NUL bytes outside
    UTF-16, or control characters a text never holds) is refused.
    """
    if not data.strip():
        raise Unreadable("empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise Unreadable(f"has a {name} byte-order mark but does not decode: {exc.reason}") from None
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return _text_only(data.decode(utf16)), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise Unreadable("binary content under a text extension (NUL bytes)")
    for name in encodings:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return _text_only(text), name
    raise Unreadable(f"does not decode as any of {', '.join(encodings)}")


# No pattern here can backtrack over a long run: the marked span excludes its own marker character and
# is at most 300 characters, so a line of 30,000 '*' or '_' costs a linear scan, not a quadratic one.
_EMPHASIS = [
    (re.compile(r"\*\*(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*])\*\*"), "markdown_bold"),
    (re.compile(r"(?<![\w*])__(?=[^\s_])([^_\n]{1,300}?)(?<=[^\s_])__(?![\w*])"), "markdown_bold"),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*])\*(?![\w*])"), "markdown_italic"),
    (re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,300}?)(?<=[^\s_])_(?![\w_])"), "markdown_italic"),
]
_MD_ONLY = [
    (re.compile(r"^#{1,6}[ \t]+([^\n]{0,500}?)(?:[ \t]+#+)?[ \t]*$", re.M), "markdown_heading"),
    (re.compile(r"(?<!!)\[([^\[\]\n]{1,300})\]\((?:[^()\s]{1,2000})(?:[ \t]+\"[^\"\n]{0,300}\")?\)"), "markdown_link"),
    (re.compile(r"!\[([^\[\]\n]{0,300})\]\([^()\n]{0,2000}\)"), "markdown_image"),
]


def strip_markdown(text: str, full: bool) -> tuple[str, list[Edit]]:
    """Remove emphasis markers (and, for `.md`, heading marks and link syntax).

    Each removal is a Change; the words themselves are kept.
    """
    changes: list[Edit] = []
    patterns = (_MD_ONLY if full else []) + _EMPHASIS

    for pattern, operation in patterns:
        def keep(match: re.Match[str], operation: str = operation) -> str:
            changes.append(Edit(operation, match.group(0), match.group(1), reason="markup, not text"))
            return match.group(1)
        text = pattern.sub(keep, text)
    return text, changes
