"""French calendar words and the parsing of one explicit date ("24 mars 2022", "1er juin 2021")."""

from __future__ import annotations

import calendar
import re

MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
    "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10,
    "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12, "déc": 12,
}
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")  # Monday first, as weekday()
WEEKDAY_PATTERN = "|".join(WEEKDAYS)
_DAY = re.compile(rf"^(?:\w+\s+)?(1er|[0-3]?\d)\s+({MONTH_PATTERN})\.?\s+((?:19|20)\d\d)$", re.I)


def days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


_NUMERIC = re.compile(r"^(?:\w+\s+)?([0-3]?\d)[./]([01]?\d)[./]((?:19|20)\d\d)$")


def iso_day(text: str) -> str | None:
    """'24 mars 2022', 'jeudi 10 septembre 2020' or '12/01/2023' -> an ISO day; None if not one valid day."""
    text = text.strip().rstrip(".")
    m = _DAY.match(text)
    if m:
        day = 1 if m.group(1).lower() == "1er" else int(m.group(1))
        month, year = MONTHS[m.group(2).lower()], int(m.group(3))
    else:
        m = _NUMERIC.match(text)
        if not m:
            return None
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not 1 <= month <= 12:
            return None
    if not 1 <= day <= days_in(year, month):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
