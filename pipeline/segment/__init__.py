"""Segment stage: one record per page, with its title, fields and structure.

Entry point: `run(records, config) -> records` (record by record; a dump of
scraped pages becomes one record per page).

How pages are found in a dump, without relying on the site header:

1. **Metadata blocks** anchor pages: runs of lines that are exactly a label
   of `config/segment.toml` ("Type de ressource", "Ressource privée",
   "Résumé"…), each followed by its value or by nothing.  Each block belongs
   to one page; the text after its closing label ("Résumé") is the page's
   summary, often its body again.
2. **The title** of a block's page is found in the text between the previous
   block and this one: the summary after the block repeats the page's body,
   so the last paragraph there that matches one of the first summary
   paragraphs marks where the body starts, and the title is the last
   title-like line before it.  When nothing matches (a private page, whose
   body comes only after the block), the title is the title-like line just
   before the block.  What lies before is the previous page's summary.
3. Text before the first page that holds a title-like line is a page of its
   own (a title with nothing under it); a title followed by a date line
   ("Publié le …") always starts a page.
4. A file without blocks is one record: a poster, a sheet, a report.

Page fields become record fields (labels and values never stay in `text`),
date lines become `published`/`updated`, "Label : value" lines are copied to
`metadata`.  `blocks` (headings, paragraphs, list items) and `sentences`
give the structure of `text`; `source.span` points back into the extracted
text.  A record with no title, or far longer than the others of its file,
gets a note that the manifest shows.
"""


from __future__ import annotations

import re
import statistics
from dataclasses import replace

from ..config import Config
from ..record import Change, Record, record_id
from ..stage import Settings, run_with
from ..text.fold import fold_blanks
from .locate import _normalised_with_map, file_changes, locate
from .pages import Page, choose_title, split_pages
from .rules import Rules, is_date_line, is_title_like, load_rules
from .blocks import structure

NAME = "segment"

__all__ = ["Segment", "Rules", "flag", "is_date_line", "is_title_like", "rules_for", "run", "segment", "structure"]


def page_record(parent: Record, page: Page, rules: Rules, span: list[int] | None, index: int,
                inherited: tuple[Change, ...], occurrence: int) -> Record:
    path = parent.source.path
    changes: list[Change] = []
    published, updated = parent.published, parent.updated
    metadata = dict(parent.metadata)
    for key, value in page.fields.items():
        if key != "summary":
            metadata[key] = value
    kept: list[str] = []
    for para in page.body + page.summary:
        dates = is_date_line(para, rules)
        if dates:
            published = published or dates.get("published")
            updated = updated or dates.get("updated")
            changes.append(Change(NAME, "move_to_field", para, "", path, reason="page date: published/updated"))
            continue
        for line in para.split("\n"):
            label, sep, value = line.partition(":")
            if sep and fold_blanks(label) in rules.inline and value.strip():
                metadata.setdefault(rules.inline[fold_blanks(label)], re.sub(r"\s+", " ", value).strip())
        kept.append(para)
    if page.block_text:
        moved = ", ".join(f"{k}={v!r}" for k, v in page.fields.items() if k != "summary")
        changes.append(Change(NAME, "move_to_field", page.block_text, "", path,
                              reason=f"metadata block: record fields, not text ({moved})"))
    text, blocks, sentences = structure(kept, rules)
    record_span = span if span is not None else parent.source.span
    source = replace(parent.source, span=record_span)
    return replace(parent, id=page_id(parent, page, span, occurrence), source=source, title=page.title, text=text,
                   published=published, updated=updated, metadata=metadata, blocks=blocks, sentences=sentences,
                   changes=inherited + tuple(changes))


def page_content(parent: Record, page: Page, span: list[int] | None) -> str:
    """What a page's id is made of: its slice of the extracted text, or its title and paragraphs when it
    could not be located there."""
    if span is not None and parent.extracted is not None:
        return parent.extracted[span[0]:span[1]]
    return "\n\n".join([page.title or ""] + page.body + page.summary)


def page_id(parent: Record, page: Page, span: list[int] | None, occurrence: int) -> str:
    return record_id(parent.source.path, page_content(parent, page, span), occurrence)




def segment(record: Record, rules: Rules) -> list[Record]:
    pages = split_pages(record.text, rules)
    if len(pages) == 1 and pages[0].title is None:
        paras = pages[0].body + pages[0].summary
        title, index = choose_title(paras, record.title, rules)
        if index is not None:
            paras = paras[:index] + paras[index + 1:]
        pages = [Page(title, paras, pages[0].fields)]
    extracted = record.extracted
    index = _normalised_with_map(extracted) if extracted and len(pages) > 1 else None
    cursor = 0
    starts: list[int | None] = []
    for page in pages:
        probes = ([page.title] if page.title else []) + page.body[:2] + page.summary[:1]
        found = locate(index, probes, cursor)
        starts.append(found)
        if found is not None:
            cursor = found + 1
    inherited = file_changes(record.changes, index, starts) if len(pages) > 1 else [record.changes]
    out = []
    seen: dict[str, int] = {}
    for i, page in enumerate(pages):
        span = None
        if len(pages) == 1:
            span = record.source.span
        elif starts[i] is not None and extracted is not None:
            end = next((s for s in starts[i + 1:] if s is not None), len(extracted))
            span = [starts[i], end]
        content = page_content(record, page, span)
        occurrence = seen.get(content, 0)
        seen[content] = occurrence + 1
        out.append(page_record(record, page, rules, span, i, inherited[i], occurrence))
    return flag(out, rules)


def flag(records: list[Record], rules: Rules) -> list[Record]:
    lengths = [len(r.text) for r in records]
    median = statistics.median(lengths) if lengths else 0
    out = []
    for r in records:
        flags = list(r.flags)
        if not r.text.strip():
            flags.append(f"record {r.id} has a title but no text" if r.title else f"record {r.id} is empty")
        elif not r.title:
            flags.append(f"record {r.id} has no title")
        if len(records) >= 3 and median and len(r.text) > rules.long_ratio * median:
            flags.append(f"record {r.id} is {len(r.text) / median:.1f} times the median length of this file's records")
        out.append(replace(r, flags=tuple(flags)))
    return out



class Segment:
    """The segment stage: record scope, one record in, one record per page out."""

    name = NAME
    version = "6"
    scope = "record"
    splits = True

    def setup(self, settings: Settings) -> None:
        self.rules = load_rules(settings, settings.base_dir)

    def run(self, records: list[Record]) -> list[Record]:
        return [out for record in records for out in segment(record, self.rules)]


def rules_for(config: Config) -> Rules:
    """Segment's rules from `config` (for tests and one-off use)."""
    return load_rules(config.section(NAME), config.base_dir)


def run(records: list[Record], config: Config) -> list[Record]:
    """The stage on `records` with `config`'s [segment] section (for tests and one-off use)."""
    return run_with(Segment(), records, config)
