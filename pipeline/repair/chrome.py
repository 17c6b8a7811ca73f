"""Lines that are not the document: site chrome, page furniture.

* `chrome.txt` patterns in config (site names, cookie banners, button labels);
* lines found automatically at the top or bottom of many documents of one
  folder (a site header scraped with every page); a breadcrumb trail is
  compared without its last item and its numbers ("Accueil › Ressources ›
  Fiche 664" is the same chrome on every page, whatever the page's own item);
* running headers, footers and page numbers of paged documents: lines at the
  top or bottom of at least half the pages, digits aside.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..config import data_lines
from ..text.fold import fold_blanks
from ..record import Edit

_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d{1,4}(\s*(/|sur|of)\s*\d{1,4})?\s*$", re.I)


@dataclass(frozen=True)
class ChromePatterns:
    exact: frozenset[str]
    regexes: tuple[re.Pattern[str], ...]

    @classmethod
    def load(cls, path: Path) -> "ChromePatterns":
        exact, regexes = set(), []
        for line in data_lines(path):
            if line.startswith("re:"):
                regexes.append(re.compile(line[3:].strip(), re.I))
            else:
                exact.add(fold_blanks(line))
        return cls(frozenset(exact), tuple(regexes))

    def matches(self, line: str, learned: frozenset[str] = frozenset()) -> str | None:
        key = fold_blanks(line)
        if not key:
            return None
        if key in self.exact:
            return "listed in config/chrome.txt"
        if key in learned or (_TRAIL.search(key) and trail_shape(key) in learned):
            return "repeats at the edge of many documents of this folder"
        for regex in self.regexes:
            if regex.fullmatch(key):
                return f"matches /{regex.pattern}/ in config/chrome.txt"
        return None


# a breadcrumb separator between two items: "Accueil › Ressources", "Agir > ESS", "Accueil | Actualités"
_TRAIL = re.compile(r"\S\s+[›»>|]\s+\S")


def trail_shape(key: str) -> str:
    """A breadcrumb trail without its last item, digits aside: what stays the same on every page of a site
    ("accueil › ressources › fiche 664" and "… › fiche 12" are both "accueil › ressources ›…")."""
    head = re.split(r"\s[›»>|]\s(?=[^›»>|]*$)", key)[0]
    return re.sub(r"\d+", "#", head) + " ›…"


def edge_lines(text: str, count: int) -> set[str]:
    """The first and last `count` lines, folded; a breadcrumb trail counts by its shape (`trail_shape`), so
    that trails whose last item changes on every page add up."""
    lines = [fold_blanks(x) for x in text.split("\n") if x.strip()]
    return {trail_shape(x) if _TRAIL.search(x) else x for x in lines[:count] + lines[-count:]}


EdgeCounts = dict[str, tuple[int, dict[str, int]]]  # folder -> (documents, edge line -> documents it is in)


def count_edges(texts_by_folder: dict[str, list[str]], edge: int) -> EdgeCounts:
    """For each folder, its number of documents and in how many of them each edge line stands (the map step:
    counts of any partition of a folder's documents add up)."""
    counts: EdgeCounts = {}
    for folder, texts in sorted(texts_by_folder.items()):
        lines = Counter(line for text in texts for line in edge_lines(text, edge))
        counts[folder] = (len(texts), dict(lines))
    return counts


def add_edges(parts: list[EdgeCounts]) -> EdgeCounts:
    total: dict[str, tuple[int, Counter[str]]] = {}
    for part in parts:
        for folder, (docs, lines) in part.items():
            known_docs, known = total.get(folder, (0, Counter()))
            known.update(lines)
            total[folder] = (known_docs + docs, known)
    return {folder: (docs, dict(lines)) for folder, (docs, lines) in sorted(total.items())}


def chrome_lines(counts: EdgeCounts, min_docs: int, min_share: float) -> frozenset[str]:
    """Lines at the edges of at least `min_docs` documents and `min_share` of one folder's documents (the
    reduce step)."""
    learned: set[str] = set()
    for docs, lines in counts.values():
        if docs < min_docs:
            continue
        for line, n in lines.items():
            if n >= min_docs and n / docs >= min_share and len(line) <= 120:
                learned.add(line)
    return frozenset(learned)


def drop_chrome(text: str, patterns: ChromePatterns, learned: frozenset[str]) -> tuple[str, list[Edit]]:
    """Chrome lines dropped; a text made of nothing else is kept whole (it is the document: several short
    documents of one folder may say the same sentence)."""
    out, changes = [], []
    for line in text.split("\n"):
        why = patterns.matches(line, learned)
        if why:
            changes.append(Edit("drop_chrome", line, "", reason=why))
        else:
            out.append(line)
    if changes and not any(line.strip() for line in out):
        return text, []
    return "\n".join(out), changes


def drop_page_furniture(text: str, min_share: float) -> tuple[str, list[Edit]]:
    """Running headers/footers and page numbers of a text whose pages are separated by form feeds."""
    pages = text.split("\f")
    if len(pages) < 2:
        return text, []

    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", fold_blanks(line))

    def edges(page: str) -> list[int]:
        idx = [i for i, line in enumerate(page.split("\n")) if line.strip()]
        return idx[:2] + idx[-2:]

    counts: Counter[str] = Counter()
    for page in pages:
        lines = page.split("\n")
        counts.update({shape(lines[i]) for i in edges(page)})
    needed = max(2, int(min_share * len(pages) + 0.999))
    furniture = {s for s, n in counts.items() if n >= needed}
    changes: list[Edit] = []
    new_pages = []
    for page in pages:
        lines = page.split("\n")
        drop = {i for i in edges(page) if shape(lines[i]) in furniture or _PAGE_NUMBER.match(lines[i])}
        if all(i in drop for i, line in enumerate(lines) if line.strip()):
            drop = set()  # a header or footer goes with text: a line alone on its page is the page
        for i in sorted(drop):
            reason = "page number" if _PAGE_NUMBER.match(lines[i]) else "running header or footer (repeats on the pages)"
            changes.append(Edit("drop_page_furniture", lines[i], "", reason=reason))
        new_pages.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return "\f".join(new_pages), changes
