"""How alike two passages are: sentence keys, word shingles, the similarity of two paragraphs, and whether
their names and numbers agree (what tells two pages of one template apart)."""

from __future__ import annotations

import difflib
import re

from ..text.fold import fold_words

_SENTENCES = re.compile(r"(?<=[.!?…])[\"»)]?\s+")
_TOKEN = re.compile(r"\w+", re.U)
_NAME_OR_NUMBER = re.compile(r"\b(?:[A-ZÀ-Þ][\w'-]+|\d[\d.,/]*)\b")


def sentence_keys(paragraph: str) -> list[str]:
    keys = []
    for line in paragraph.split("\n"):
        keys += [fold_words(s) for s in _SENTENCES.split(line) if fold_words(s)]
    return keys


class Words:
    """A paragraph's words as `near` reads them (lower case, in order, and as a set), made once: a paragraph
    of a long record is compared with dozens of others."""

    __slots__ = ("tokens", "set")

    def __init__(self, text: str):
        self.tokens = _TOKEN.findall(text.casefold())
        self.set = frozenset(self.tokens)


def near(a: str | Words, b: str | Words, threshold: float) -> float:
    """How much two paragraphs are one passage: the higher of the character ratio of
    their folded texts and the share of the shorter's words found, in order, in the
    longer (a copy that drops three words or adds a clause is still the same
    passage).  Cheap bounds first; 0.0 when clearly below `threshold`."""
    wa, wb = (x if isinstance(x, Words) else Words(x) for x in (a, b))
    ta, tb = wa.tokens, wb.tokens
    if not ta or not tb:
        return 0.0
    ws, wl = (wa, wb) if len(ta) <= len(tb) else (wb, wa)
    if len(ws.set & wl.set) < threshold * len(ws.set):
        return 0.0
    short, long_ = ws.tokens, wl.tokens
    words = difflib.SequenceMatcher(None, short, long_, autojunk=False)
    # the shorter's words found in order in the longer, if their lengths are comparable
    comparable = len(short) >= 6 and len(short) >= 0.6 * len(long_)  # a heading inside a paragraph is not a copy
    contained = sum(block.size for block in words.get_matching_blocks()) / len(short) if comparable else 0.0
    if contained >= threshold:
        return contained  # enough said: the character ratio (quadratic) is not needed
    fa, fb = " ".join(ta), " ".join(tb)
    chars = 0.0
    if min(len(fa), len(fb)) / max(len(fa), len(fb)) >= threshold:
        chars = difflib.SequenceMatcher(None, fa, fb, autojunk=False).ratio()
    return max(contained, chars)



def shingles(text: str, size: int) -> set[str]:
    tokens = _TOKEN.findall(text.casefold())
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def names(text: str) -> set[str]:
    """Capitalised words and numbers after the first word of each sentence: what tells two template pages apart."""
    found = set()
    for sentence in _SENTENCES.split(text):
        for m in _NAME_OR_NUMBER.finditer(sentence):
            if m.start() > 0:
                found.add(m.group(0).casefold())
    return found


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def names_agree(a: str, b: str, threshold: float) -> bool:
    """The names and numbers of one text are those of the other, or a part of them."""
    na, nb = names(a), names(b)
    return na <= nb or nb <= na or jaccard(na, nb) >= threshold
