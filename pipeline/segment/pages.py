"""Pages of a dump: metadata blocks anchor them, titles are found from the summaries that repeat them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..text.fold import fold_blanks
from .rules import Rules, clean_title, is_date_line, is_title_like, similar

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
    header: str = ""  # the dump's header, when this page follows it (site_header)
    site: str | None = None  # the site's name, from the dump's header: metadata `site`


def site_header(pages: list[Page], rules: Rules) -> list[Page]:
    """A dump's first line alone before its first page (a title with nothing under it, or a line of
    title_skip.txt), shaped as a name: no sentence's punctuation, at most `site_header_max_words` words.  It
    is the site's header, not a page: the next page holds it (`header`, for its change) and every page
    names the site (`site`)."""
    if len(pages) < 2 or rules.site_header_max_words <= 0:
        return pages
    head = pages[0]
    if head.summary or head.fields or head.block_text:
        return pages
    if head.title and not head.body:
        line = head.title
    elif head.title is None and len(head.body) == 1 and fold_blanks(head.body[0]) in rules.skip_titles:
        line = head.body[0]
    else:
        return pages
    if "\n" in line.strip() or _SENTENCE_MARK.search(line) or len(line.split()) > rules.site_header_max_words:
        return pages
    site = clean_title(line)
    rest = [replace(page, site=site) for page in pages[1:]]
    rest[0] = replace(rest[0], header=line)
    return rest


_SENTENCE_MARK = re.compile(r"[?!.,;:…]")


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
            pages.extend(_after_block(pages[-1], before, rules))
        elif before:
            pages.extend(_split_leading(before, rules))
        pages.append(Page(title, mine, dict(block.fields), block_text=block.text))
        carry = after
    pages.extend(_after_block(pages[-1], carry, rules))  # after the last block
    return pages


def _after_block(page: Page, paras: list[str], rules: Rules) -> list[Page]:
    """The paragraphs after `page`'s block and before the next page's title: its summary, then the pages
    that have no block of their own (added to the list returned), each starting at a title that a date line
    follows, or at a title once the summary has repeated the page's body and what follows repeats nothing
    of it.  Without this a block-less page was swallowed by the page before, its title lost."""
    out: list[Page] = []
    current = page
    for i, para in enumerate(paras):
        if _starts_page(paras, i, page if current is page else None, rules):
            current = Page(clean_title(para), [])
            out.append(current)
        elif current is page:
            page.summary.append(para)
        else:
            current.body.append(para)
    return out


def _starts_page(paras: list[str], i: int, summarised: Page | None, rules: Rules) -> bool:
    """Whether paragraph i starts a page of its own; `summarised` is the page whose summary is being read
    (None once a block-less page has started)."""

    def repeats(para: str) -> bool:  # a line of the summary, repeating the page's body
        return summarised is not None and any(similar(para, body, rules.similarity) for body in summarised.body)

    if _strong_title_at(paras, i, rules):
        return not repeats(paras[i])
    if summarised is None or not summarised.body or not summarised.summary or i + 1 >= len(paras) \
            or not is_title_like(paras[i], rules) or repeats(paras[i]):
        return False
    return all(repeats(p) for p in summarised.summary) and not repeats(paras[i + 1])




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
