"""Classify stage: language, entities, places, people, dates and themes, each resolved once.

The stage is `Classify` (record by record, cached per record; spaCy gets
the records in batches through `nlp.pipe`).
`annotate(text, config)` is the same analysis on a bare text, for
`glaneur annotate`: offsets are into the text as given.

* language: lingua (or langdetect with a fixed seed, `language_detector`), per record and per
  paragraph block (an English passage in a French page gets `language: "en"` on its block); null
  below `language_min_chars` letters or when lingua is not sure (`language_min_distance`);
* entities: see entities.py (spaCy + gazetteer + rules); `organisations`,
  `places` (with the department of a postcode), `people`: canonical names,
  each once, sorted;
* dates: see dates.py; a day without a year is resolved against the page's
  date (`published`, else `updated`, else a dated header); the page's own
  dates are listed too (they were in its text before segment moved them);
* themes: config/themes.toml, with the triggering words in `themes_evidence`;
* doc_type: from the title's wording (`doc_type_by_title`), the page's
  resource fields, OCR (read by Tesseract, or a text file whose repair needed OCR fixes: a poster or
  a scan), then the source format.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

from ..config import Config, data_lines
from ..record import Record
from ..stage import Settings, run_with
from ..text.language import FrenchTest, detect_language, detect_with_lingua
from ..text.spans import Spans
from . import dates as dates_mod
from . import entities as entities_mod
from . import gazetteer as gazetteer_mod
from . import themes as themes_mod
from ..versions import VERSIONS

NAME = "classify"


class Context:
    """Classify's gazetteer, taxonomy and rules, loaded once; the spaCy model loads when first needed."""

    def __init__(self, config: Config | Settings):
        settings = config.settings(NAME) if isinstance(config, Config) else config
        self.cfg = settings
        self.rules = settings["rules"]
        self.gazetteer = gazetteer_mod.of(settings)
        self.taxonomy = themes_mod.load(settings.data_file(settings["themes_file"]))
        self.french = FrenchTest(
            frozenset(w.strip().casefold() for w in data_lines(settings.data_file(settings["french_words_file"]))),
            frozenset(w.strip().casefold() for w in data_lines(settings.data_file(settings["not_french_words_file"]))),
            settings["french_min_words"], settings["french_min_share"], settings["french_min_distinct"],
            settings["french_known_zipf"], settings["french_min_known_share"])
        self.title_types = tuple((re.compile(pattern, re.I), kind)
                                 for pattern, kind in settings["doc_type_by_title"].items())

    @property
    def nlp(self) -> Any:
        return entities_mod.load_model(self.cfg["spacy_model"], self.rules, self.gazetteer if self.rules else None)

    def language(self, text: str) -> str | None:
        """The language of a record or a paragraph: French when the cheap test settles it, else the detector's."""
        if self.french(text):
            return "fr"
        return self._detect(text)

    def _detect(self, text: str) -> str | None:
        """The configured detector's answer, without the cheap test."""
        if self.cfg["language_detector"] == "lingua":
            return detect_with_lingua(text, tuple(self.cfg["languages"]), self.cfg["language_min_distance"],
                                      self.cfg["language_min_chars"])
        return detect_language(text, self.cfg["language_seed"], self.cfg["language_min_chars"])

    def load_detector(self) -> None:
        """Read the detector's models now, past the cheap test.  lingua reads a language's models the first
        time a text could be in it; a short text in plain ASCII letters could be in any language written in
        Latin letters, so it reads them all at once (about 2.5 s): in the main process before the workers
        fork, they share them instead of each reading them at its first paragraph."""
        self._detect("Les ateliers du mardi sont ouverts a toutes les familles du quartier")


def _entity_dates(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"text": d["text"], "label": "DATE", "start": d["offset"], "end": d["stop"],
             "canonical": d["start"] if d["start"] == d["end"] else f"{d['start']}/{d['end']}" if d["start"] else None}
            for d in found]


def analyse(text: str, doc: Any, ctx: Context, published: str | None = None,
            updated: str | None = None, title: str | None = None, title_doc: Any = None) -> dict[str, Any]:
    """Language, entities (offsets into `text`) and the record's lists of names and dates; the title's
    names and dates join the lists ("… en Centre-Val de Loire", "… du 12 janvier 2023"), not `entities`,
    whose offsets are into the text."""
    reference = dates_mod.reference_date(published, updated, text)
    found_dates = dates_mod.find_dates(text, reference)
    ents = _entities(text, doc, found_dates, ctx)
    public_ents = [{k: e[k] for k in ("text", "label", "start", "end", "canonical")} for e in ents]
    listed, listed_dates = list(ents), list(found_dates)
    if title and title_doc is not None:
        title_dates = dates_mod.find_dates(title, reference)
        # a name in the title means what the body says it means: "la MEL" in the title, "Métropole européenne
        # de Lille (MEL)" in the body
        meaning = {e["text"]: (e["label"], e["canonical"]) for e in ents if e["label"] in ("ORG", "PER")}
        listed += [{**e, "label": meaning[e["text"]][0], "canonical": meaning[e["text"]][1]} if e["text"] in meaning
                   else e for e in _entities(title, title_doc, title_dates, ctx)]
        listed_dates = title_dates + [d for d in found_dates if d["start"] is None or
                                      all(d["start"] != t["start"] or d["end"] != t["end"] for t in title_dates)]
    # the page's own dates ("Publié le 12/01/2023", moved to `published` by segment) are dates it names
    page_dates = [{"text": value, "start": value, "end": value, "precision": "day"}
                  for value in dict.fromkeys(v for v in (published, updated) if v)
                  if all(d["start"] != value or d["end"] != value for d in listed_dates)]
    listed_dates = page_dates + listed_dates
    places = {e["canonical"] for e in listed if e["label"] == "LOC" and e["canonical"]}
    places |= {e["department"] for e in listed if e.get("department")}
    return {
        "language": ctx.language(text),
        "entities": public_ents,
        "dates": dates_mod.public(listed_dates),
        "organisations": sorted({e["canonical"] for e in listed if e["label"] == "ORG" and e["canonical"]}),
        "places": sorted(places),
        # a surname alone ("M. Zberg") is an entity, but listed as a person only with a first name
        "people": sorted({e["canonical"] for e in listed if e["label"] == "PER" and " " in (e["canonical"] or "")}),
    }


def _entities(text: str, doc: Any, found_dates: list[dict[str, Any]], ctx: Context) -> list[dict[str, Any]]:
    found = entities_mod.entities(doc, ctx.gazetteer, ctx.rules,
                                  {k: ctx.cfg[k] for k in ("common_word_zipf", "common_phrase_zipf", "unknown_place_zipf",
                                                           "demonym_zipf")})
    taken = Spans()
    for e in found:
        taken.add(e["start"], e["end"])
    date_entities = [d for d in _entity_dates(found_dates) if not taken.overlaps(d["start"], d["end"])]
    return sorted(found + date_entities, key=lambda e: (e["start"], e["end"]))


def annotator(config: Config) -> Callable[[str], dict[str, Any]]:
    """`glaneur annotate`: a function giving language, entities and dates of a text (offsets into it as
    given), with the gazetteer and the model loaded once for every text it is given."""
    ctx = Context(config)

    def annotate_one(text: str) -> dict[str, Any]:
        doc = next(entities_mod.pipe(ctx.nlp, [text], 1, ctx.cfg["spacy_chunk_chars"]))
        result = analyse(text, doc, ctx)
        return {key: result[key] for key in ("language", "entities", "dates")}

    return annotate_one


def annotate(text: str, config: Config) -> dict[str, Any]:
    """Language, entities and dates of one text, offsets into it as given."""
    return annotator(config)(text)


_OCR_FIXES = ("ocr_elision", "ocr_word", "drop_debris_token", "drop_debris_line")


def _doc_type(record: Record, ctx: Context) -> str:
    """From the title's wording (`doc_type_by_title`), the page's resource fields, what the text went
    through (OCR: a poster or a scan, whatever its file format), then the format."""
    for pattern, kind in ctx.title_types:
        if pattern.search(record.title or ""):
            return kind
    if record.metadata.get("resource_type") is not None or record.metadata.get("private") is not None:
        return "web_page"
    if record.source.extraction == "ocr":
        return "poster" if record.source.format == "image" else "scan"
    if _reads_like_ocr(record, ctx):  # OCR output saved as text: "I'objet", "quelgues", logo debris
        return "poster" if len(record.text.split()) <= ctx.cfg["poster_max_words"] else "scan"
    return ctx.cfg["doc_type_by_format"].get(record.source.format, "document")


def _reads_like_ocr(record: Record, ctx: Context) -> bool:
    fixes = sum(c.operation in _OCR_FIXES for c in record.changes)
    words = len(record.text.split()) or 1
    return fixes >= 3 and 1000 * fixes / words >= ctx.cfg["ocr_fixes_per_1000_words"]


def _block_languages(record: Record, ctx: Context) -> list[dict[str, Any]]:
    """Each paragraph's language; a heading or a list item, too short to tell, has null: every block has the
    key, so that records.jsonl reads as records.parquet does (where a missing key is null)."""
    blocks = []
    for block in record.blocks:
        block = dict(block)
        block["language"] = ctx.language(record.text[block["start"]:block["end"]]) \
            if block["kind"] == "paragraph" else None
        blocks.append(block)
    return blocks


class Classify:
    """The classify stage: record scope, cached per record; spaCy reads the records in batches."""

    name = NAME
    version = VERSIONS[NAME]
    scope = "record"
    splits = False

    def setup(self, settings: Settings) -> None:
        self.settings = settings
        themes_mod.load(settings.data_file(settings["themes_file"]))  # checked now, before any work
        self._context: Context | None = None
        self._warm = False
        self._shared = False

    @property
    def context(self) -> Context:
        if self._context is None:  # only when some record needs classifying: a cached run loads nothing
            self._context = Context(self.settings)
        return self._context

    def warm(self, shared: bool = False) -> bool:
        """Load the gazetteer, the spaCy model and the language detector now (the runner calls this in the
        main process before its workers fork, when some record needs classifying, so that they share one
        copy); with `shared`, all the detector's models for languages in Latin letters, which it would
        otherwise read as texts ask for them, in each worker.  True when something was loaded."""
        fresh = False
        if not self._warm:
            ctx = self.context
            ctx.nlp  # noqa: B018 - loaded and kept by load_model
            ctx.language("Le réseau des épiceries solidaires réunit les bénévoles chaque année.")
            self._warm = fresh = True
        if shared and not self._shared:
            self.context.load_detector()
            self._shared = fresh = True
        return fresh

    def run(self, records: list[Record]) -> list[Record]:
        if not records:
            return []
        ctx = self.context
        docs = entities_mod.pipe(ctx.nlp, (t for r in records for t in (r.text, r.title or "")),
                                 ctx.cfg["spacy_batch_size"], ctx.cfg["spacy_chunk_chars"])
        out = []
        for record in records:
            doc, title_doc = next(docs), next(docs)
            result = analyse(record.text, doc, ctx, record.published, record.updated, record.title, title_doc)
            evidence = themes_mod.themes_of(f"{record.title or ''}\n{record.text}", ctx.taxonomy)
            out.append(replace(
                record,
                language=result["language"],
                doc_type=_doc_type(record, ctx),
                entities=result["entities"],
                organisations=result["organisations"],
                places=result["places"],
                people=result["people"],
                dates=result["dates"],
                themes=sorted(evidence),
                themes_evidence=evidence,
                blocks=_block_languages(record, ctx),
            ))
        return out


def run(records: list[Record], config: Config) -> list[Record]:
    """The stage on `records` with `config`'s [classify] section (for tests and one-off use)."""
    return run_with(Classify(), records, config)
