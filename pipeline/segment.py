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

import bisect
import re
import statistics
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .config import Config, data_lines
from .text.fold import fold_blanks
from .text.calendar import iso_day
from .record import Change, Record, record_id

NAME = "segment"
VERSION = "4"
SCOPE = "record"
SPLITS = True
SECTIONS = ("segment",)

_WORDS = re.compile(r"[\w']+")
_ITEM = re.compile(r"^\s*(?:[-•*] |\d{1,2}[.)] )")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»)]?\s+(?=[\"«(]?[A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATIONS = re.compile(r"\b(?:M|Mme|Mlle|Dr|Pr|St|Ste|cf|etc|p|n°|art|av|bd|ex|éd|vol|fig|env)\.$")


# --- configuration -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Rules:
    labels: dict[str, dict[str, Any]]  # folded label -> field spec
    date_lines: tuple[re.Pattern[str], ...]
    inline: dict[str, str]  # folded label -> key
    generic_titles: frozenset[str]
    prefer: tuple[re.Pattern[str], ...]
    skip_titles: frozenset[str]
    title_max_chars: int
    title_max_words: int
    doc_title_max_words: int
    similarity: float
    long_ratio: float


@lru_cache(maxsize=8)
def _load_rules(fields_path: Path, skip_path: Path, stamp: tuple[float, float], max_chars: int, max_words: int,
                doc_max_words: int, similarity: float, long_ratio: float) -> Rules:
    data = tomllib.loads(fields_path.read_text("utf-8"))
    labels = {fold_blanks(f["label"]): f for f in data.get("block_field", [])}
    skip = {fold_blanks(x) for x in data_lines(skip_path)}
    titles = data.get("titles", {})
    return Rules(
        labels=labels,
        date_lines=tuple(re.compile(d["pattern"], re.I) for d in data.get("date_line", [])),
        inline={fold_blanks(f["label"]): f["key"] for f in data.get("inline_field", [])},
        generic_titles=frozenset(fold_blanks(t) for t in titles.get("generic", [])),
        prefer=tuple(re.compile(p, re.I) for p in titles.get("prefer", [])),
        skip_titles=frozenset(skip),
        title_max_chars=max_chars, title_max_words=max_words, doc_title_max_words=doc_max_words,
        similarity=similarity, long_ratio=long_ratio,
    )


def rules_for(config: Config) -> Rules:
    cfg = config.section(NAME)
    fields_path, skip_path = config.data_file(cfg["fields_file"]), config.data_file(cfg["title_skip_file"])
    stamp = (fields_path.stat().st_mtime, skip_path.stat().st_mtime if skip_path.exists() else 0.0)
    return _load_rules(fields_path, skip_path, stamp, cfg["title_max_chars"], cfg["title_max_words"],
                       cfg["doc_title_max_words"], cfg["similarity"], cfg["long_record_ratio"])


# --- small pure helpers -------------------------------------------------------------------------

def words(text: str) -> set[str]:
    return set(_WORDS.findall(text.casefold()))


def similar(a: str, b: str, threshold: float) -> bool:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= threshold


def is_date_line(line: str, rules: Rules) -> dict[str, str] | None:
    key = fold_blanks(line)
    for pattern in rules.date_lines:
        m = pattern.match(key)
        if m:
            found = {k: iso_day(v) for k, v in m.groupdict().items() if v}
            return {k: v for k, v in found.items() if v} or None
    return None


def is_title_like(line: str, rules: Rules, any_case: bool = False) -> bool:
    """A line that can be a title; `any_case` also accepts a lower-case start (when a date line follows)."""
    text = line.strip()
    if not text or "\n" in text or len(text) > rules.title_max_chars or is_date_line(text, rules):
        return False
    if fold_blanks(text) in rules.generic_titles or fold_blanks(text) in rules.skip_titles or fold_blanks(text) in rules.labels:
        return False
    if _ITEM.match(text) or text.endswith((".", ",", ";", ":")) or text.startswith(("(", ">>", "➡")):
        return False
    if len(text.split()) > rules.title_max_words or sum(ch.isalpha() for ch in text) < 4:
        return False
    if re.match(r"^[\d\s]+[A-ZÀ-Þ-]+$", text):  # "52160 VAILLANT": an address line
        return False
    return any_case or text[0].isupper() or text[0] in "\"«“'" or text[0].isdigit()


def clean_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    if len(title) > 2 and title[0] in "\"«“" and title[-1] in "\"»”" and title.count('"') <= 2:
        title = title[1:-1].strip()
    return title


# --- blocks of metadata ---------------------------------------------------------------------------

@dataclass
class Block:
    start: int  # line index of the first label
    end: int  # line index after the block
    fields: dict[str, Any] = field(default_factory=dict)
    labels: int = 0
    text: str = ""  # the block's lines as the source wrote them


def find_blocks(lines: list[str], rules: Rules) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if fold_blanks(lines[i]) not in rules.labels:
            i += 1
            continue
        block = Block(i, i)
        j = i
        while j < len(lines):
            key = fold_blanks(lines[j])
            if key not in rules.labels:
                break
            spec = rules.labels[key]
            block.labels += 1
            j += 1
            value = None
            if spec.get("has_value", True) and j < len(lines) and lines[j].strip() and fold_blanks(lines[j]) not in rules.labels:
                value = lines[j].strip()
                j += 1
            if spec.get("has_value", True):
                if value is not None and "values" in spec:
                    value = spec["values"].get(value, value)
                block.fields[spec["key"]] = value
            while j < len(lines) and not lines[j].strip() and j + 1 < len(lines) and fold_blanks(lines[j + 1]) in rules.labels \
                    and not spec.get("ends_block"):
                j += 1  # a blank line between a label with no value and the next label
            if spec.get("ends_block"):
                break
        block.end = j
        block.text = "\n".join(lines[i:j]).strip("\n")
        if block.labels >= 2:
            blocks.append(block)
            i = j
        else:
            i += 1
    return blocks


# --- paragraphs and pages -----------------------------------------------------------------------------

def paragraphs(lines: list[str], rules: Rules) -> list[str]:
    """Blank-line separated paragraphs; a date line always stands alone."""
    out, current = [], []
    for line in lines:
        if line.strip() and is_date_line(line, rules):
            if current:
                out.append("\n".join(current))
                current = []
            out.append(line)
        elif line.strip():
            current.append(line)
        elif current:
            out.append("\n".join(current))
            current = []
    if current:
        out.append("\n".join(current))
    return out


@dataclass
class Page:
    title: str | None
    body: list[str]
    fields: dict[str, Any] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    block_text: str = ""


def _strong_title_at(paras: list[str], i: int, rules: Rules) -> bool:
    """A title-like line followed by a date line ("Publié le …")."""
    return is_title_like(paras[i], rules, any_case=True) and i + 1 < len(paras) \
        and is_date_line(paras[i + 1], rules) is not None


def _split_leading(paras: list[str], rules: Rules) -> list[Page]:
    """Text before the first block's page.

    A title-like line starts a page when no page is open, when the open page
    is a title with nothing under it yet (two titles in a row: the first had
    no body), when a date line follows it, or when it is the last line before
    the next page (a heading always has something under it).  Elsewhere it is
    a heading inside the open page.
    """
    pages: list[Page] = []
    for i, para in enumerate(paras):
        open_page = pages[-1] if pages else None
        starts = is_title_like(para, rules) and (
            open_page is None or (open_page.title is not None and not open_page.body)
            or _strong_title_at(paras, i, rules) or i == len(paras) - 1)
        if starts:
            pages.append(Page(clean_title(para), []))
        elif open_page is None:
            pages.append(Page(None, [para]))
        else:
            open_page.body.append(para)
    return pages


def _title_index(region: list[str], summary: list[str], rules: Rules) -> int | None:
    """Where the page of a block starts in the text before it (see the module docstring)."""
    anchor = None
    for probe in summary[:3]:
        for i in range(len(region) - 1, -1, -1):
            if similar(region[i], probe, rules.similarity):
                anchor = i
                break
        if anchor is not None:
            break
    if anchor is not None:
        for i in range(anchor - 1, -1, -1):
            if is_title_like(region[i], rules):
                return i
        return None
    i = len(region) - 1
    while i >= 0 and is_date_line(region[i], rules):
        i -= 1
    if i >= 0 and is_title_like(region[i], rules):
        return i
    return None


def split_pages(text: str, rules: Rules) -> list[Page]:
    lines = text.split("\n")
    blocks = find_blocks(lines, rules)
    if not blocks:
        return [Page(None, paragraphs(lines, rules))]
    regions = [paragraphs(lines[: blocks[0].start], rules)]
    for a, b in zip(blocks, blocks[1:]):
        regions.append(paragraphs(lines[a.end: b.start], rules))
    regions.append(paragraphs(lines[blocks[-1].end:], rules))

    pages: list[Page] = []
    carry: list[str] = regions[0]  # text before the current block not yet given to a page
    for k, block in enumerate(blocks):
        after = regions[k + 1]
        t = _title_index(carry, after, rules)
        if t is None:
            before, mine = ([], carry) if not pages else (carry, [])
            title = None
        else:
            before, mine, title = carry[:t], carry[t + 1:], clean_title(carry[t])
        if pages:
            pages[-1].summary.extend(before)
        elif before:
            pages.extend(_split_leading(before, rules))
        pages.append(Page(title, mine, dict(block.fields), block_text=block.text))
        carry = after
    # after the last block: its summary, then any page a title with a date line starts
    tail = carry
    for i in range(len(tail)):
        if _strong_title_at(tail, i, rules):
            pages[-1].summary.extend(tail[:i])
            pages.append(Page(clean_title(tail[i]), tail[i + 1:]))
            break
    else:
        pages[-1].summary.extend(tail)
    return pages


# --- one page to one record ------------------------------------------------------------------------

def structure(paras: list[str], rules: Rules) -> tuple[str, list[dict[str, Any]], list[list[int]]]:
    """Join paragraphs into the record's text; blocks (heading, paragraph, list_item) and sentences."""
    text_parts: list[str] = []
    blocks: list[dict[str, Any]] = []
    sentences: list[list[int]] = []
    offset = 0
    for para in paras:
        if text_parts:
            offset += 2
        text_parts.append(para)
        line_start = offset
        for line in para.split("\n"):
            end = line_start + len(line)
            if _ITEM.match(line):
                kind = "list_item"
            elif len(para.split("\n")) == 1 and (is_title_like(line, rules) or line.rstrip().endswith(":")
                                                 and len(line) <= 80) or fold_blanks(line) in rules.generic_titles:
                kind = "heading"
            else:
                kind = "paragraph"
            if kind == "paragraph" and blocks and blocks[-1]["kind"] == "paragraph" and blocks[-1]["end"] == line_start - 1:
                blocks[-1]["end"] = end
            else:
                blocks.append({"kind": kind, "start": line_start, "end": end})
            start = line_start
            for m in _SENTENCE_END.finditer(line):
                # the few characters before the stop, not the whole line: linear on a 200k-character line
                if _ABBREVIATIONS.search(line, max(0, m.start() - 8), m.start()):
                    continue
                sentences.append([start, line_start + m.start()])
                start = line_start + m.end()
            if start < end:
                sentences.append([start, end])
            line_start = end + 1
        offset += len(para)
    return "\n\n".join(text_parts), blocks, sentences


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    out, where = [], []
    space = True
    for i, ch in enumerate(text):
        c = "'" if ch in "’‘`´" else ch.casefold()
        if c.isspace():
            if space:
                continue
            c, space = " ", True
        else:
            space = False
        for x in c:
            out.append(x)
            where.append(i)
    return "".join(out), where


def locate(index: tuple[str, list[int]] | None, probes: list[str], cursor: int) -> int | None:
    """Offset in the extracted text where the first findable probe starts, at or after `cursor`.

    `index` is `_normalised_with_map(extracted)`, made once per record, not once per page."""
    if index is None:
        return None
    norm, where = index
    start = bisect.bisect_left(where, cursor)
    for probe in probes:
        key, _ = _normalised_with_map(probe)
        key = key.strip()[:60]
        if len(key) < 4:
            continue
        found = norm.find(key, start)
        if found != -1:
            return where[found]
    return None


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


def file_changes(changes: tuple[Change, ...], index: tuple[str, list[int]] | None,
                 starts: list[int | None]) -> list[tuple[Change, ...]]:
    """Share the changes made to a whole file (extract, repair) among its pages: each goes to the page
    whose span holds the text it touched, found in the extracted text (changes of one operation come in
    text order, so each is looked for after the previous one).  One not found goes to the first page."""
    owned: list[list[Change]] = [[] for _ in starts]
    located = [(s, i) for i, s in enumerate(starts) if s is not None]
    cursors: dict[str, int] = {}
    for change in changes:
        owner = 0
        if index is not None and located:
            probes = [x for x in (change.before, change.after) if x.strip()]
            probes = [next(line for line in p.split("\n") if line.strip()) for p in probes]
            cursor = cursors.get(change.operation, 0)
            found = locate(index, probes, cursor)
            if found is None and cursor:
                found = locate(index, probes, 0)
            if found is not None:
                cursors[change.operation] = found + 1
                position = bisect.bisect_right([s for s, _ in located], found) - 1
                owner = located[max(0, position)][1]
        owned[owner].append(change)
    return [tuple(c) for c in owned]


def choose_title(paras: list[str], declared: str | None, rules: Rules) -> tuple[str | None, int | None]:
    """Title of a one-record document and the index of the paragraph it came from (None if declared)."""
    first = next((i for i, p in enumerate(paras) if p.strip()), None)
    if declared and declared.strip():
        declared = clean_title(declared)
        if first is not None and fold_blanks(paras[first]) and fold_blanks(declared).startswith(fold_blanks(paras[first])):
            return clean_title(paras[first]), first  # <title>Page - Site</title> and <h1>Page</h1>
        return declared, None
    for i, para in enumerate(paras):
        if any(p.search(para.strip()) for p in rules.prefer) and is_title_like(para, rules):
            return clean_title(para), i
    for i in range(min(6, len(paras))):
        if _strong_title_at(paras, i, rules):
            return clean_title(paras[i]), i
    for i, para in enumerate(paras[:6]):
        if is_title_like(para, rules) and len(para.split()) <= rules.doc_title_max_words:
            return clean_title(para), i
    return None, None


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
        notes = list(r.notes)
        if not r.text.strip():
            notes.append(f"record {r.id} has a title but no text" if r.title else f"record {r.id} is empty")
        elif not r.title:
            notes.append(f"record {r.id} has no title")
        if len(records) >= 3 and median and len(r.text) > rules.long_ratio * median:
            notes.append(f"record {r.id} is {len(r.text) / median:.1f} times the median length of this file's records")
        out.append(replace(r, notes=tuple(notes)))
    return out


def run(records: list[Record], config: Config) -> list[Record]:
    rules = rules_for(config)
    return [out for record in records for out in segment(record, rules)]
