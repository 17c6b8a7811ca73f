"""Classify stage: language, document type, named entities and dates.

Entry point: `run(records, config) -> records` (record by record, so results
are cached per record).  `annotate(text, config)` is the same analysis on a
bare text, for `glaneur annotate`.

This first pass: language with langdetect (seeded, null on short text);
`doc_type` from the source format; entities from spaCy's `fr_core_news_sm`
with labels kept as the model gives them (PER, LOC, ORG, MISC) and a
canonical form that only folds blanks; explicit French day dates
("24 mars 2022") and month dates ("septembre 2020").  Gazetteers, canonical
names and the full date grammar come with the classify issue.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .config import Config
from .record import Record

NAME = "classify"
VERSION = "1"
SCOPE = "record"
SECTIONS = ("classify",)

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_DATE = re.compile(rf"\b(1er|[0-3]?\d)\s+({_MONTH})\s+((?:19|20)\d\d)\b", re.I)
_MONTH_DATE = re.compile(rf"\b({_MONTH})\s+((?:19|20)\d\d)\b", re.I)
_LABELS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}


def detect_language(text: str, seed: int, min_chars: int) -> str | None:
    from langdetect import DetectorFactory, LangDetectException, detect

    letters = sum(ch.isalpha() for ch in text)
    if letters < min_chars:
        return None
    DetectorFactory.seed = seed
    try:
        return detect(text)
    except LangDetectException:
        return None


@lru_cache(maxsize=2)
def load_model(name: str) -> Any:
    import spacy

    return spacy.load(name, exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"])


def _days_in(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def find_dates(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for m in _DAY_DATE.finditer(text):
        day = 1 if m.group(1).lower() == "1er" else int(m.group(1))
        month, year = MONTHS[m.group(2).lower()], int(m.group(3))
        if not 1 <= day <= _days_in(year, month):
            continue
        iso = f"{year:04d}-{month:02d}-{day:02d}"
        found.append({"text": m.group(0), "start": iso, "end": iso, "precision": "day",
                      "offset": m.start()})
        taken.append(m.span())
    for m in _MONTH_DATE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        month, year = MONTHS[m.group(1).lower()], int(m.group(2))
        found.append({"text": m.group(0), "start": f"{year:04d}-{month:02d}-01",
                      "end": f"{year:04d}-{month:02d}-{_days_in(year, month):02d}", "precision": "month",
                      "offset": m.start()})
    found.sort(key=lambda d: d.pop("offset"))
    return found


def canonical(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" \"'«»’")


def entities_of(doc: Any) -> list[dict[str, Any]]:
    out = []
    for ent in doc.ents:
        label = _LABELS.get(ent.label_)
        if label is None or not canonical(ent.text):
            continue
        out.append({"text": ent.text, "label": label, "start": ent.start_char, "end": ent.end_char,
                    "canonical": canonical(ent.text)})
    return out


def annotate(text: str, config: Config) -> dict[str, Any]:
    cfg = config.section(NAME)
    doc = load_model(cfg["spacy_model"])(text)
    return {
        "language": detect_language(text, cfg["language_seed"], cfg["language_min_chars"]),
        "entities": entities_of(doc),
        "dates": find_dates(text),
    }


def _names(entities: list[dict[str, Any]], label: str) -> list[str]:
    return sorted({e["canonical"] for e in entities if e["label"] == label})


def run(records: list[Record], config: Config) -> list[Record]:
    cfg = config.section(NAME)
    if not records:
        return []
    nlp = load_model(cfg["spacy_model"])
    out = []
    docs = nlp.pipe((r.text for r in records), batch_size=cfg["spacy_batch_size"])
    for record, doc in zip(records, docs):
        entities = entities_of(doc)
        out.append(record.with_changes(
            language=detect_language(record.text, cfg["language_seed"], cfg["language_min_chars"]),
            doc_type=cfg["doc_type_by_format"].get(record.source.format, "document"),
            entities=entities,
            organisations=_names(entities, "ORG"),
            places=_names(entities, "LOC"),
            people=_names(entities, "PER"),
            dates=find_dates(record.text),
        ))
    return out
