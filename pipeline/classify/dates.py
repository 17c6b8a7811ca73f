"""French dates in running text, normalised to {text, start, end, precision} (see the contract).

Forms, tried longest first, never overlapping:
* "du 5 au 7 juin 2024", "du 30 septembre au 2 octobre", "18 et 19 octobre 2023" — a range of days;
* "de juin 2021 à février 2022", "mars-avril 2021", "mars et avril 2021" — a range of months;
* "jeudi 10 septembre 2020", "24 mars 2022", "1er juin" — a day (the year, when missing, from the
  page's date, checked against the weekday when one is given);
* "19.11.2021", "19/11/2021", "21/03/22" — a day (a two-digit year is 2000-2069 or 1970-1999);
  "jeudi 4/11" — a day with its weekday, the year from the page's date;
* "Mai 2020", "septembre 2020" — a month;
* "début 2021", "mi 2018", "fin 2021" — months 1-4, 5-8 or 9-12 of the year; seasons
  ("printemps 2024": March-May), quarters ("premier trimestre 2020") and halves ("second semestre 2021");
  precision month;
* "les années 2010" — the decade, 2010-2019;
* "2021-2022" — a range of years;
* "en 2012", "depuis 2015", "à partir de 2020", "d'ici 2030" — a year, only after a preposition.

The page's date is its stated date, else a dated header (`reference_date`).
A sentence's full stop after a month ("le 4 mars.") is not part of the date.  Without a page date, a day
given without its year takes the year of the closest date before it in the same paragraph ("le 2 mars
2021 … puis le 4 mars"); a day given with its weekday, a year near the record's dates where it falls on
that weekday.

URLs and e-mail addresses are masked first, so "wordpress.com/2016/11/22/" gives no date;
counts and amounts ("32 pages", "15 €") never match these forms.  A date whose year cannot be
resolved keeps its text with `start` and `end` null.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..text.spans import Spans

from ..text.calendar import MONTH_PATTERN, MONTHS, WEEKDAY_PATTERN, WEEKDAYS, days_in

_D = r"(1er|[0-3]?\d)"
_M = rf"({MONTH_PATTERN})(?:\.|\b)"  # "déc." or "déc", not the start of "décidez"
_Y = r"((?:19|20)\d\d)"
_WD = rf"(?:({WEEKDAY_PATTERN})\s+)?"

_MASK = re.compile(r"(https?://\S+|www\.\S+|[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]+|[\w-]{1,63}\.(?:com|fr|org|net|eu)/\S*)", re.I)

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day_range", re.compile(rf"\bdu\s+{_WD}{_D}(?:\s+{_M})?(?:\s+{_Y})?\s+au\s+{_WD}{_D}\s+{_M}(?:\s+{_Y})?", re.I)),
    ("day_pair", re.compile(rf"\b{_WD}{_D}\s+et\s+{_WD}{_D}\s+{_M}(?:\s+{_Y})?", re.I)),
    ("month_range", re.compile(rf"\bd(?:e\s+|')\s*{_M}(?:\s+{_Y})?\s+(?:à|a|au)\s+{_M}\s+{_Y}", re.I)),
    ("month_range", re.compile(rf"(?<!\d\s)\b{_M}(?:\s+{_Y})?\s*(?:[-–]|\bet\b)\s*{_M}\s+{_Y}", re.I)),
    ("day", re.compile(rf"\b{_WD}{_D}\s+{_M}(?:\s+{_Y}|\s+(dernier|prochain)\b)?(?![\d])", re.I)),
    ("numeric", re.compile(r"\b([0-3]?\d)[./]([01]?\d)[./]((?:19|20)\d\d)\b")),
    # "Jeudi 4/11": a day and a month in figures, only with its weekday (else "3/4" is a fraction)
    ("numeric_weekday", re.compile(rf"\b({WEEKDAY_PATTERN})\s+([0-3]?\d)/([01]?\d)\b(?![/\d])", re.I)),
    ("numeric_short", re.compile(r"(?<![\d/.])([0-3]\d)/([01]\d)/(\d\d)(?![\d/])")),
    ("month", re.compile(rf"\b{_M}\s+{_Y}\b", re.I)),
    ("month_relative", re.compile(rf"\b{_M}\s+(dernier|prochain)\b", re.I)),
    ("part_of_year", re.compile(rf"\b(début|mi|fin|printemps|été|automne|hiver)[\s-]+(?:de\s+l'année\s+)?{_Y}\b", re.I)),
    ("quarter", re.compile(rf"\b(premier|1er|deuxième|second|2e|troisième|3e|quatrième|dernier|4e)\s+trimestre\s+{_Y}\b", re.I)),
    ("semester", re.compile(rf"\b(premier|1er|deuxième|second|2e|2nd|dernier)\s+semestre\s+(?:de\s+l['’]année\s+)?{_Y}\b", re.I)),
    ("decade", re.compile(r"\bannées\s+((?:19|20)\d0)\b", re.I)),
    ("year_range", re.compile(r"\b((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)\b")),
    ("year_span", re.compile(r"\b(?:de|entre)\s+((?:19|20)\d\d)\s+(?:à|a|et|jusqu['’]à|jusqu['’]en)\s+((?:19|20)\d\d)\b"
                             r"(?!\s*(?:pages|€|euros|habitants|km))", re.I)),
    ("year", re.compile(r"\b(?:en|depuis|dès|jusqu['’]en|jusqu['’]à|avant|après|année|l['’]an|courant|d['’]ici(?:\s+à)?"
                        r"|à\s+partir\s+de|à\s+compter\s+de|(?:à\s+l['’])?horizon"
                        # a named year of an event or a text: "l'édition 2019", "la loi de 2016", "la rentrée 2024"
                        r"|édition|rentrée|saison|promotion|promo|campagne|exercice|millésime|cuvée|cohorte"
                        # a gathering of a year: "l'assemblée 2021", "le forum 2023", "les rencontres 2019"
                        r"|assemblée(?:\s+générale)?|AG|congrès|forum|festival|salon|rencontres?|journées?|colloque"
                        r"|assises|biennale|université\s+d['’]été|trophées|lauréats?|appel\s+à\s+projets"
                        # "la loi de 2016" is a year; "loi 1901" (an association's status) and "loi n° 2014-856" are not
                        r"|loi\s+de"
                        r"|(?:décret|ordonnance|circulaire|arrêté|rapport|bilan|budget|plan|programme)(?:\s+de)?"
                        r")\s+((?:19|20)\d\d)\b"
                        r"(?!\s*(?:pages|€|euros|habitants|km))", re.I)),
    # a year that closes a title or a heading line, or stands before its colon: "… de l'ESS 2024 : le
    # programme", "Rapport d'activité 2023" (a number there is a year: counts have their noun after them)
    ("year_heading", re.compile(r"(?<![\d/.,°-])(?<!n°\s)(?<!loi\s)((?:19|20)\d\d)(?=[ \t]*(?::|$))", re.M)),
]


def _day(text: str) -> int:
    return 1 if text.lower() == "1er" else int(text)


def _valid(year: int | None, month: int, day: int) -> bool:
    return year is None or (1 <= month <= 12 and 1 <= day <= days_in(year, month))


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def resolve_year(month: int, day: int, weekday: str | None, reference: dt.date | None) -> int | None:
    """The year of a day given without one: near the reference date, matching the weekday if given."""
    if reference is None:
        return None
    for year in (reference.year, reference.year + 1, reference.year - 1):
        if not _valid(year, month, day):
            continue
        if weekday is None or WEEKDAYS[dt.date(year, month, day).weekday()] == weekday.lower():
            return year
    return None


def relative_year(month: int, day: int, relative: str, reference: dt.date | None) -> int | None:
    """The year of "le 8 novembre dernier" (the last such day before the reference date) or "le 12 mars
    prochain" (the next one from it)."""
    if reference is None:
        return None
    if relative.lower() == "dernier":
        year = reference.year if (month, day) < (reference.month, reference.day) else reference.year - 1
    else:
        year = reference.year if (month, day) >= (reference.month, reference.day) else reference.year + 1
    return year if _valid(year, month, day) else None


def _entry(match: re.Match[str], start: str | None, end: str | None, precision: str) -> dict[str, Any]:
    text = match.group(0)
    if text.endswith(".") and not _ABBREVIATED.search(text):
        text = text[:-1]  # "le 4 mars." : the sentence's full stop, not an abbreviation's
    return {"text": text, "start": start, "end": end, "precision": precision,
            "offset": match.start(), "stop": match.start() + len(text), "match": match}


def _parse(kind: str, m: re.Match[str], reference: dt.date | None) -> dict[str, Any] | None:
    g = m.groups()
    if kind == "day_range":
        wd1, d1, m1, y1, wd2, d2, m2, y2 = g
        month2 = MONTHS[m2.lower()]
        month1 = MONTHS[m1.lower()] if m1 else month2
        year2 = int(y2) if y2 else resolve_year(month2, _day(d2), wd2, reference)
        year1 = int(y1) if y1 else (year2 - (1 if month1 > month2 else 0) if year2 else None)
        if year1 is None or year2 is None:
            return _entry(m, None, None, "day") if _valid(None, month1, _day(d1)) else None
        if not (_valid(year1, month1, _day(d1)) and _valid(year2, month2, _day(d2))):
            return None
        return _entry(m, _iso(year1, month1, _day(d1)), _iso(year2, month2, _day(d2)), "day")
    if kind == "day_pair":
        wd1, d1, wd2, d2, mon, y = g
        month = MONTHS[mon.lower()]
        year = int(y) if y else resolve_year(month, _day(d2), wd2 or wd1, reference)
        if year is None:
            return _entry(m, None, None, "day")
        if not (_valid(year, month, _day(d1)) and _valid(year, month, _day(d2))):
            return None
        return _entry(m, _iso(year, month, _day(d1)), _iso(year, month, _day(d2)), "day")
    if kind == "month_range":
        m1, y1, m2, y2 = g
        month1, month2, year2 = MONTHS[m1.lower()], MONTHS[m2.lower()], int(y2)
        year1 = int(y1) if y1 else (year2 - 1 if month1 > month2 else year2)
        return _entry(m, _iso(year1, month1, 1), _iso(year2, month2, days_in(year2, month2)), "month")
    if kind == "day":
        wd, d, mon, y, relative = g
        month, day = MONTHS[mon.lower()], _day(d)
        year = int(y) if y else relative_year(month, day, relative, reference) if relative else \
            resolve_year(month, day, wd, reference)
        if year is None:
            return _entry(m, None, None, "day") if 1 <= day <= 31 else None
        if not _valid(year, month, day):
            return None
        return _entry(m, _iso(year, month, day), _iso(year, month, day), "day")
    if kind == "numeric":
        day, month, year = int(g[0]), int(g[1]), int(g[2])
        if not (1 <= month <= 12 and _valid(year, month, day)):
            return None
        return _entry(m, _iso(year, month, day), _iso(year, month, day), "day")
    if kind == "numeric_weekday":
        wd, day, month = g[0], int(g[1]), int(g[2])
        if not (1 <= month <= 12 and _valid(None, month, day) and day <= days_in(2000, month)):
            return None
        year = resolve_year(month, day, wd, reference)
        if year is None:
            return _entry(m, None, None, "day")
        return _entry(m, _iso(year, month, day), _iso(year, month, day), "day")
    if kind == "numeric_short":  # "21/03/22": a two-digit year is 2000-2069 or 1970-1999
        day, month, short = int(g[0]), int(g[1]), int(g[2])
        year = 2000 + short if short < 70 else 1900 + short
        if not (1 <= month <= 12 and _valid(year, month, day)):
            return None
        return _entry(m, _iso(year, month, day), _iso(year, month, day), "day")
    if kind == "semester":
        year = int(g[1])
        first = 1 if g[0].lower() in ("premier", "1er") else 7
        return _entry(m, _iso(year, first, 1), _iso(year, first + 5, days_in(year, first + 5)), "month")
    if kind == "decade":  # "les années 2010": 2010-2019
        year = int(g[0])
        return _entry(m, _iso(year, 1, 1), _iso(year + 9, 12, 31), "year")
    if kind == "month_relative":  # "en novembre dernier": the last November before the page's date
        month = MONTHS[g[0].lower()]
        year = relative_year(month, 1 if g[1].lower() == "prochain" else days_in(2001, month), g[1], reference)
        if year is None:
            return _entry(m, None, None, "month")
        return _entry(m, _iso(year, month, 1), _iso(year, month, days_in(year, month)), "month")
    if kind == "month":
        month, year = MONTHS[g[0].lower()], int(g[1])
        return _entry(m, _iso(year, month, 1), _iso(year, month, days_in(year, month)), "month")
    if kind == "part_of_year":
        part, year = g[0].lower(), int(g[1])
        first, last = {"début": (1, 4), "mi": (5, 8), "fin": (9, 12), "printemps": (3, 5), "été": (6, 8),
                       "automne": (9, 11), "hiver": (1, 2)}[part]
        return _entry(m, _iso(year, first, 1), _iso(year, last, days_in(year, last)), "month")
    if kind == "quarter":
        index = {"premier": 0, "1er": 0, "deuxième": 1, "second": 1, "2e": 1, "troisième": 2, "3e": 2,
                 "quatrième": 3, "dernier": 3, "4e": 3}[g[0].lower()]
        year = int(g[1])
        return _entry(m, _iso(year, 3 * index + 1, 1), _iso(year, 3 * index + 3, days_in(year, 3 * index + 3)), "month")
    if kind == "year_range":
        a, b = int(g[0]), int(g[1])
        if not a < b <= a + 10:
            return None
        return _entry(m, _iso(a, 1, 1), _iso(b, 12, 31), "year")
    if kind == "year_span":  # "de 2008 à 2012", "entre 2015 et 2020"
        a, b = int(g[0]), int(g[1])
        if not a < b <= a + 50:
            return None
        return _entry(m, _iso(a, 1, 1), _iso(b, 12, 31), "year")
    if kind in ("year", "year_heading"):
        year = int(g[0])
        return {**_entry(m, _iso(year, 1, 1), _iso(year, 12, 31), "year"), "offset": m.start(1)}
    raise AssertionError(kind)


def reference_date(published: str | None, updated: str | None, text: str = "") -> dt.date | None:
    """The date year-less dates are counted from: the page's stated date (published, else updated), else a
    dated header — the first whole day, year written, in the text's first two paragraphs ("Réunion du 12 mars
    2021" under the title)."""
    for value in (published, updated):
        if value:
            return dt.date.fromisoformat(value)
    head = "\n\n".join(text.split("\n\n")[:2])[:600]
    for d in find_dates(head):
        if d["precision"] == "day" and d["start"] and re.search(r"(?:19|20)\d\d", d["text"]):
            return dt.date.fromisoformat(d["start"])
    return None


# a label before a number makes it a number: "Fiche 1902", "page 2014", "réf. 2021", "dossier n° 2019"
_NUMBERED = re.compile(r"\b(?:fiche|page|p\.|pp\.|réf\.?|référence|n°|no|numéro|dossier|article|art\.|lot|salle|"
                       r"bureau|code|ticket|commande|facture)\s*$", re.I)


def find_dates(text: str, reference: dt.date | None = None) -> list[dict[str, Any]]:
    """Dates in text order, each with `offset`/`stop` (character offsets of its text)."""
    masked = _MASK.sub(lambda m: " " * len(m.group(0)), text)
    taken = Spans()
    found: list[dict[str, Any]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(masked):
            if taken.overlaps(m.start(), m.end()):
                continue
            entry = _parse(kind, m, reference)
            if entry is None:
                continue
            if kind in ("year", "year_heading"):
                if _NUMBERED.search(masked, max(0, m.start(1) - 16), m.start(1)):
                    continue  # "Fiche 1902", "page 2014", "n° 2019": a number, not a year
                entry["text"] = m.group(1)
                entry["stop"] = m.end(1)

            taken.add(m.start(), m.end())
            found.append({**entry, "kind": kind})
    if reference is None:
        # No page date: a day given with its weekday takes the year, near the record's other
        # dates, in which that day falls on that weekday.
        years = _likely_years(found)
        for i, d in enumerate(found):
            if d["start"] is None and years and _weekday_given(d["text"]) and not _RELATIVE.search(d["text"]):
                for year in years:
                    redo = _parse(d["kind"], d["match"], dt.date(year, 7, 1))
                    if redo and redo["start"]:
                        found[i] = {**redo, "kind": d["kind"]}
                        break
    found.sort(key=lambda d: d["offset"])
    if reference is None:
        found = _years_from_neighbours(masked, found)
    for d in found:
        d.pop("match", None)
        d.pop("kind", None)
    return found


_ABBREVIATED = re.compile(r"(?:janv|févr|avr|juil|sept|oct|nov|déc)\.$", re.I)


def _years_from_neighbours(text: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No page date: a day or a month given without a year ("le 4 mars") takes the year of the closest date
    before it in the same paragraph ("le 2 mars 2021 … puis le 4 mars"), when that year makes it a real day."""
    out = []
    for i, d in enumerate(found):
        if d["start"] is None and d["kind"] in ("day", "day_range", "day_pair") and not _RELATIVE.search(d["text"]):
            for before in reversed(out):
                if "\n\n" in text[before["stop"]:d["offset"]]:
                    break
                if before["start"]:
                    redo = _parse(d["kind"], d["match"], dt.date(int(before["start"][:4]), 7, 1))
                    if redo and redo["start"] and redo["start"][:4] == before["start"][:4]:
                        d = {**redo, "kind": d["kind"]}
                    break
        out.append(d)
    return out


def _likely_years(found: list[dict[str, Any]]) -> list[int]:
    """The years the record's dates name, most named first (then nearest the most named, then the
    latest): "jeudi 12 mars" on a page about 2020 is 2020, not 2015, though both fit the weekday."""
    counts: dict[int, int] = {}
    for d in found:
        if d["start"]:
            counts[int(d["start"][:4])] = counts.get(int(d["start"][:4]), 0) + 1
    if not counts:
        return []
    top = max(counts, key=lambda y: (counts[y], y))
    return sorted(counts, key=lambda y: (-counts[y], abs(y - top), -y))


_RELATIVE = re.compile(r"(?:dernier|prochain)$", re.I)  # resolved against the page's date only


def _weekday_given(text: str) -> bool:
    return bool(re.match(rf"\s*(?:du\s+)?({WEEKDAY_PATTERN})\b", text, re.I))


def public(dates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract's form: text, start, end, precision."""
    return [{k: d[k] for k in ("text", "start", "end", "precision")} for d in dates]
