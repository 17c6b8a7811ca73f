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
   ("Publié le …") always starts a page.  But a dump's first line alone
   before its first page, shaped as a name ("Réseau des territoires
   solidaires": no sentence's punctuation, few words), is the site's header:
   it goes to every page's metadata as `site`, with a change on the first.
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
from ..record import Change, Edit, Record, record_id
from ..text.replay import anchors, place, project, replay
from ..stage import Settings, run_with
from ..text.fold import fold_blanks
from .locate import _normalised_with_map, file_changes, locate
from .pages import Page, choose_title, site_header, split_pages
from .rules import Rules, is_date_line, is_title_like, load_rules
from .blocks import structure
from ..versions import VERSIONS

NAME = "segment"

__all__ = ["Segment", "Rules", "flag", "is_date_line", "is_title_like", "rules_for", "run", "segment", "structure"]


_LAYOUT = Edit("segment_layout", "", "", reason="blank lines and line ends between the page's paragraphs")
_BOUNDS = Edit("page_bounds", "", "", reason="text of the page that stands outside its place in the extracted text, "
                                              "or text there that the page does not hold: its bounds are uncertain")


def page_record(parent: Record, page: Page, rules: Rules, span: list[int] | None, index: int,
                inherited: tuple[Change, ...], occurrence: int) -> Record:
    """The record of one page.  `inherited`: the changes made to the file before it was split, those of
    this page (placed on its slice of the extracted text, when it was located there)."""
    path = parent.source.path
    changes: list[Edit] = []
    if page.header:
        changes.append(Edit("move_to_field", page.header, "",
                            reason="the dump's header, before its first page: the site's name (metadata site)"))
    if page.title:
        changes.append(Edit("move_to_title", page.title, "", reason="the page's title: the record's title, not its text"))
    published, updated = parent.published, parent.updated
    metadata = dict(parent.metadata)
    if page.site:
        metadata["site"] = page.site
    for key, value in page.fields.items():
        if key != "summary":
            metadata[key] = value
    kept: list[str] = []
    for para in page.body + page.summary:
        dates = is_date_line(para, rules)
        if dates:
            published = published or dates.get("published")
            updated = updated or dates.get("updated")
            changes.append(Edit("move_to_field", para, "", reason="page date: published/updated"))
            continue
        for line in para.split("\n"):
            label, sep, value = line.partition(":")
            if sep and fold_blanks(label) in rules.inline and value.strip():
                metadata.setdefault(rules.inline[fold_blanks(label)], re.sub(r"\s+", " ", value).strip())
        kept.append(para)
    if page.block_text:
        moved = ", ".join(f"{k}={v!r}" for k, v in page.fields.items() if k != "summary")
        changes.append(Edit("move_to_field", page.block_text, "",
                            reason=f"metadata block: record fields, not text ({moved})"))
    text, blocks, sentences = structure(kept, rules)
    record_span = span  # None: a page of a dump not found in its extracted text
    if span is not None and parent.extracted is not None:
        given = replay(parent.extracted[span[0]:span[1]], inherited)
        own = Change.stamp(place(given, text, _page_order(given, changes), _LAYOUT, anchors(given, kept), _BOUNDS),
                           NAME, path)
    else:  # a page not found in the extracted text: its changes say what happened, not where
        own = Change.stamp(changes, NAME, path)
        inherited = tuple(replace(c, span=None) for c in inherited)
    source = replace(parent.source, span=record_span)
    return replace(parent, id=page_id(parent, page, span, occurrence), source=source, title=page.title, text=text,
                   published=published, updated=updated, metadata=metadata, blocks=blocks, sentences=sentences,
                   changes=inherited + own)


def _page_order(text: str, edits: list[Edit]) -> list[Edit]:
    """The page's edits in the order their text stands in the page (the title first, then the date lines
    and the block where they are), so that each is looked for from the previous one's place."""
    def where(e: Edit) -> int:
        found = text.find(e.before)
        return found if found != -1 else len(text)

    return sorted(edits, key=where)


def page_content(parent: Record, page: Page, span: list[int] | None) -> str:
    """What a page's id is made of: its slice of the extracted text, or its title and paragraphs when it
    could not be located there."""
    if span is not None and parent.extracted is not None:
        return parent.extracted[span[0]:span[1]]
    return "\n\n".join([page.title or ""] + page.body + page.summary)


def page_id(parent: Record, page: Page, span: list[int] | None, occurrence: int) -> str:
    return record_id(parent.source.path, page_content(parent, page, span), occurrence)




def segment(record: Record, rules: Rules) -> list[Record]:
    pages = site_header(split_pages(record.text, rules), rules)
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
        probes = [x for x in (page.header, page.title) if x] + page.body[:2] + page.summary[:1]
        found = locate(index, probes, cursor)
        if page.header and found is not None and not starts:
            found = 0  # the dump's header stands first, whatever repair made of its words (mojibake mended)
        starts.append(found)
        if found is not None:
            cursor = found + 1
    inherited = _inherited(record, index, starts, pages)
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


def _inherited(record: Record, index: tuple[str, list[int]] | None, starts: list[int | None],
               pages: list[Page]) -> list[tuple[Change, ...]]:
    """Each page's share of the changes made to the whole file: those placed inside its slice of the
    extracted text, carried onto it (`project`); the others (extract's, made before the text was
    extracted, and those of a page not found) go where their text is found, as before."""
    if len(pages) == 1:
        return [record.changes]
    extracted = record.extracted or ""
    unplaced = tuple(c for c in record.changes if c.span is None)
    shared = file_changes(unplaced, index, starts) if unplaced else [()] * len(pages)
    found = file_changes(record.changes, index, starts) if None in starts else None
    first = next((i for i, s in enumerate(starts) if s is not None), None)
    if first is not None and starts[first] > 0:  # before the first page (a dump's site header): in no page's
        lead = tuple(replace(c, span=None) for c in project(record.changes, 0, starts[first]))  # slice, told there
        shared = [x + lead if i == first else x for i, x in enumerate(shared)]
    out = []
    for i, start in enumerate(starts):
        if start is None:
            out.append(shared[i] + tuple(c for c in found[i] if c.span is not None))
            continue
        end = next((s for s in starts[i + 1:] if s is not None), len(extracted))
        out.append(shared[i] + tuple(project(record.changes, start, end, last=end == len(extracted))))
    return out


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
    version = VERSIONS[NAME]
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
