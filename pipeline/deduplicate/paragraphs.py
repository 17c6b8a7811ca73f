"""Inside one record: a paragraph said twice (a "Résumé" repeating the body) is kept once, the fuller copy."""

from __future__ import annotations

import math
from collections import Counter

from ..record import Edit, Record
from ..text.fold import fold_words
from .compare import _TOKEN, Words, names_agree, near, sentence_keys

NAME = "deduplicate"


class _Candidates:
    """Which kept paragraphs can pass `near`'s first test (the shorter's words, a `threshold` share of them
    found in the other), without comparing every pair: linear where the pairwise loop was quadratic.

    If the shorter paragraph S shares at least ceil(t·|S|) of its words with the other, then any
    |S| - ceil(t·|S|) + 1 of its words include a shared one.  Each paragraph's rarest such words (its
    prefix, rarest in this record first) are indexed, and so are all its words: a paragraph's prefix is looked
    up among all kept words, and all its words among the kept prefixes.  `near` itself decides."""

    def __init__(self, paragraphs: list[str], threshold: float):
        self.threshold = threshold
        df: Counter[str] = Counter()
        for paragraph in paragraphs:
            df.update(set(_TOKEN.findall(paragraph.casefold())))
        self.df = df
        self.all_words: dict[str, set[int]] = {}
        self.prefixes: dict[str, set[int]] = {}

    def _prefix(self, words: set[str]) -> list[str]:
        size = len(words) - math.ceil(self.threshold * len(words)) + 1
        return sorted(words, key=lambda w: (self.df[w], w))[:max(1, size)]

    def find(self, paragraph: str) -> list[int]:
        words = set(_TOKEN.findall(paragraph.casefold()))
        found: set[int] = set()
        for word in self._prefix(words):
            found |= self.all_words.get(word, set())
        for word in words:
            found |= self.prefixes.get(word, set())
        return sorted(found)

    def add(self, i: int, paragraph: str) -> None:
        words = set(_TOKEN.findall(paragraph.casefold()))
        for word in words:
            self.all_words.setdefault(word, set()).add(i)
        for word in self._prefix(words):
            self.prefixes.setdefault(word, set()).add(i)


def dedup_paragraphs(record: Record, threshold: float) -> tuple[list[str], list[Edit], list[int | None]]:
    """The paragraphs kept, an edit for each one dropped or replaced, with where it stood in the text
    (`at`): the copy dropped is the later one, never the one kept; and where each kept paragraph stood
    (for one that took the place of a shorter copy, its own place: the page then shows the shorter copy and
    what stood between struck, the fuller one where it was written)."""
    kept: list[str] = []
    changes: list[Edit] = []
    known: Counter[str] = Counter()  # sentence keys of the kept paragraphs, kept up to date as they change
    paragraphs = record.text.split("\n\n")
    offsets = [0]
    for paragraph in paragraphs:
        offsets.append(offsets[-1] + len(paragraph) + 2)
    slot: list[int] = []  # for each kept paragraph, the index of the paragraph whose place it holds
    kept_words: list[Words | None] = []  # the words of each kept paragraph, read once
    candidates = _Candidates(paragraphs, threshold)
    for j, paragraph in enumerate(paragraphs):
        keys = sentence_keys(paragraph)
        if not keys:
            kept.append(paragraph)
            kept_words.append(None)  # never a candidate: only paragraphs with sentences are indexed
            slot.append(j)
            continue
        if all(known[k] > 0 for k in keys):
            changes.append(Edit("drop_repeated_paragraph", paragraph, "", at=offsets[j],
                                reason="every sentence of it stands already in this record"))
            continue
        match = None
        words = Words(paragraph)
        for i in candidates.find(paragraph):
            other = kept[i]
            score = near(words, kept_words[i], threshold)
            if score >= threshold and names_agree(paragraph, other, 1.0):
                match = (i, score)
                break
        if match is None:
            candidates.add(len(kept), paragraph)
            kept.append(paragraph)
            kept_words.append(words)
            slot.append(j)
            known.update(keys)
            continue
        i, score = match
        if len(fold_words(paragraph)) > len(fold_words(kept[i])):
            why = f"near-identical paragraphs (similarity {score:.2f}): the fuller one is kept"
            changes.append(Edit("keep_fuller_paragraph", paragraph, "", at=offsets[j],
                                reason=why + ", in the place of the first"))
            changes.append(Edit("keep_fuller_paragraph", kept[i], paragraph, at=offsets[slot[i]], reason=why))

            known.subtract(sentence_keys(kept[i]))
            known.update(keys)
            kept[i] = paragraph
            kept_words[i] = words
            slot[i] = j
            candidates.add(i, paragraph)  # the old words stay indexed too: more candidates, never fewer
        else:
            changes.append(Edit("drop_near_paragraph", paragraph, "", at=offsets[j],
                                reason=f"near-identical to a fuller paragraph of this record (similarity {score:.2f})"))
    return kept, changes, _in_order([offsets[j] for j in slot])


def _in_order(places: list[int]) -> list[int | None]:
    """The longest run of places in increasing order kept (patience sorting, O(n log n)), None for the others:
    a fuller copy kept out of order (its own place is after paragraphs kept before it) is left for the diff
    to place where the shorter copy stood."""
    tails: list[int] = []  # index in places of the smallest tail of an increasing run of each length
    parent: list[int] = [-1] * len(places)
    for i, p in enumerate(places):
        k = _bisect_tails(places, tails, p)
        if k:
            parent[i] = tails[k - 1]
        if k == len(tails):
            tails.append(i)
        else:
            tails[k] = i
    keep: set[int] = set()
    i = tails[-1] if tails else -1
    while i != -1:
        keep.add(i)
        i = parent[i]
    return [p if i in keep else None for i, p in enumerate(places)]


def _bisect_tails(places: list[int], tails: list[int], p: int) -> int:
    lo, hi = 0, len(tails)
    while lo < hi:
        mid = (lo + hi) // 2
        if places[tails[mid]] < p:
            lo = mid + 1
        else:
            hi = mid
    return lo
