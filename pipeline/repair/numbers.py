"""Digits that OCR read as letters, inside numbers: "05 61 00 00 O0", "2O21", "1l0".

Only where the shape leaves no doubt: a letter O, o, I or l between two digits of
one token, or in a French phone number (five groups of two, the first starting
with 0) whose other groups are digits.  A letter at a number's edge is a unit
or a word ("10l", "O2", "3D") and stays.
"""

from __future__ import annotations

import re

from ..record import Edit

_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})
_INSIDE = re.compile(r"(?<=\d)[OoIl]+(?=\d)")
_PHONE = re.compile(r"(?<![\w])(0[1-9OoIl]|[Oo][1-9])((?:[ .][0-9OoIl]{2}){4})(?![\w])")


def _is_phone(match: re.Match[str]) -> bool:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return digits >= 7  # at most three characters of ten read as letters


def fix_digits(line: str) -> tuple[str, list[Edit]]:
    """`line` with the letters read for digits inside numbers put back, and an edit for each number."""
    edits: list[Edit] = []

    def phone(m: re.Match[str]) -> str:
        if not _is_phone(m):
            return m.group(0)
        fixed = m.group(0).translate(_AS_DIGIT)
        if fixed != m.group(0):
            edits.append(Edit("ocr_digits", m.group(0), fixed, reason="a phone number's digits read as letters"))
        return fixed

    line = _PHONE.sub(phone, line)

    def inside(token: re.Match[str]) -> str:
        fixed = _INSIDE.sub(lambda m: m.group(0).translate(_AS_DIGIT), token.group(0))
        if fixed != token.group(0):
            edits.append(Edit("ocr_digits", token.group(0), fixed, reason="digits read as letters inside a number"))
        return fixed

    if any(ch in line for ch in "OoIl"):
        line = re.sub(r"(?<![A-Za-z])\d[\dOoIl]*\d(?![A-Za-z])", inside, line)
    return line, edits
