"""Inside one record: a paragraph said twice (a "Résumé" repeating the body) is kept once, the fuller copy."""

from __future__ import annotations

import math
from collections import Counter

from ..record import Change, Record
from ..text.fold import fold_words
from .compare import _TOKEN, names_agree, near, sentence_keys

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


def dedup_paragraphs(record: Record, threshold: float) -> tuple[list[str], list[Change]]:
    path = record.source.path
    kept: list[str] = []
    changes: list[Change] = []
    known: Counter[str] = Counter()  # sentence keys of the kept paragraphs, kept up to date as they change
    paragraphs = record.text.split("\n\n")
    candidates = _Candidates(paragraphs, threshold)
    for paragraph in paragraphs:
        keys = sentence_keys(paragraph)
        if not keys:
            kept.append(paragraph)
            continue
        if all(known[k] > 0 for k in keys):
            changes.append(Change(NAME, "drop_repeated_paragraph", paragraph, "", path,
                                  reason="every sentence of it stands already in this record"))
            continue
        match = None
        for i in candidates.find(paragraph):
            other = kept[i]
            score = near(paragraph, other, threshold)
            if score >= threshold and names_agree(paragraph, other, 1.0):
                match = (i, score)
                break
        if match is None:
            candidates.add(len(kept), paragraph)
            kept.append(paragraph)
            known.update(keys)
            continue
        i, score = match
        if len(fold_words(paragraph)) > len(fold_words(kept[i])):
            changes.append(Change(NAME, "keep_fuller_paragraph", kept[i], paragraph, path,
                                  reason=f"near-identical paragraphs (similarity {score:.2f}): the fuller one is kept"))
            known.subtract(sentence_keys(kept[i]))
            known.update(keys)
            kept[i] = paragraph
            candidates.add(i, paragraph)  # the old words stay indexed too: more candidates, never fewer
        else:
            changes.append(Change(NAME, "drop_near_paragraph", paragraph, "", path,
                                  reason=f"near-identical to a fuller paragraph of this record (similarity {score:.2f})"))
    return kept, changes
