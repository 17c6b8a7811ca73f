"""The reading model of columns read apart: how well one word reads on into the next.

Words are put in classes: the most frequent French words of wordfreq as themselves,
every other word by its shape (capital, lower case, number, the punctuation it ends
or starts with).  `Continuations` holds bigram counts of these classes (config/columns/,
counted by `python bench/columns.py build`) and scores a join as how much better the
second word reads after the first than anywhere.  `Line` is a line as the search reads it:
its words, the blanks between them and how wide each stretch is set.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .words import ENDS_SENTENCE

TOKEN = re.compile(r"\S+")
_OPEN = "\"«“‘'("
CLOSE = "\"»”’')"
_STOP = re.compile(r"(?<!\.)\.$")  # a full stop (not "…" nor "..."): "!" and "?" are often followed by
# lower case in French ("papa ! s'écria"), so they are a class of their own
_PAUSE = re.compile(r"[,;:]$")
_ELISION = re.compile(r"^([cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.I)
BULLETS = frozenset("•●▪◦■□➢►‣∙·*")  # an OCR's "e" before a capital is read as one (see search.Line.of)
_DASH = "-–—"
DASHES = frozenset(_DASH)
_LETTER = re.compile(r"[^\W\d_]")
_ITEM = re.compile(r"^(?:\d{1,2}|[a-z])[.)]$")  # "1." "2)" "a)": a numbered list item starts
BREAK = "¶"  # the class of a paragraph's edge in the counts: what ends and starts paragraphs


def is_marker(word: str) -> bool:
    """A list item's marker: a bullet, a dash, "1." "2)" "a)"."""
    return word in BULLETS or word in DASHES or _ITEM.match(word) is not None


def ends_sentence(word: str) -> bool:
    """The one sentence-end test of the step: a word ends in . ! ? or …, a closing mark after it allowed."""
    return ENDS_SENTENCE.search(word) is not None


# --- word classes -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _frequent(size: int) -> frozenset[str]:
    from wordfreq import top_n_list

    return frozenset(w for w in top_n_list("fr", size) if _LETTER.search(w))


def _core(word: str) -> str:
    return word.strip(_OPEN + CLOSE + ".,;:!?…").lstrip(_DASH)  # "-Restez," is a capitalised word


@dataclass(frozen=True)
class Classes:
    """What puts a word in its class: the frequent words that are their own class, and the endings that
    class a lower-case word outside them ("L~ment", "L~s"), the first that fits, in file order."""

    words: frozenset[str]
    endings: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, size: int, endings: Path | None = None) -> "Classes":
        return cls(_frequent(size), read_endings(endings) if endings else ())


def read_endings(path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """config/columns/endings.tsv: a tag, a tab, the endings it stands for (blank-separated)."""
    from ..config import data_lines

    out = []
    for line in data_lines(path):
        tag, _, endings = line.partition("\t")
        if tag.strip() and endings.split():
            out.append((tag.strip(), tuple(endings.split())))
    return tuple(out)


def _shape(core: str, classes: Classes) -> str:
    if not core:
        return "P"
    lower = core.lower()
    capital = core[0].isupper()
    if lower in classes.words:
        return ("C:" if capital else "") + lower
    if any(c.isdigit() for c in core) and not _LETTER.search(core):
        return "N"
    if len(core) > 1 and core.isupper():
        return "U"
    if not capital:
        for tag, endings in classes.endings:
            if lower.endswith(endings):
                return "L~" + tag
    return "C" if capital else "L"


def left_class(word: str, classes: Classes) -> str:
    """What a word offers to the word after it: its end (punctuation, hyphen) and its shape."""
    if word in BULLETS:
        return "BUL"
    if word in DASHES:
        return "DASH"
    bare = word.rstrip(CLOSE)
    if ends_sentence(word):
        return "END" if _STOP.search(bare) else "EXC"
    end = ""
    if _PAUSE.search(bare):
        end = bare[-1] if bare[-1] == ":" else ","
    elif bare.endswith("-") and len(bare) > 1:
        return "HYPH"
    elif word[-1:] in "'’" and _ELISION.match(word):
        return "ELI:" + word[:-1].lower()
    return _shape(_core(word), classes) + end


def right_class(word: str, classes: Classes) -> str:
    """What a word asks of the word before it: an opening quote or bullet, an elision, its shape."""
    if word in BULLETS:
        return "BUL"
    if word in DASHES:
        return "DASH"
    if word[0] in _OPEN and len(word) > 1:
        return "Q"
    if word[0] in DASHES and len(word) > 1 and _LETTER.match(word[1]):
        return "DASH"  # a dialogue's dash glued to its first word ("-Non,", "—Mais"): a turn starts
    elided = _ELISION.match(word)
    if elided:
        head = elided.group(1)
        return ("C:" if head[0].isupper() else "") + head.lower() + "'"
    return _shape(_core(word), classes)


# --- the continuation model -----------------------------------------------------------------------

_SHAPES = frozenset({"C", "L", "U", "N", "P"})


def shape_of(cls: str) -> str:
    """A class's shape, for what the counts of one word are too few to say: "C:des" -> "C", "de," -> "L,"."""
    end = cls[-1] if cls[-1:] in ",:'" and len(cls) > 1 else ""
    body = cls[:-1] if end else cls
    if body in _SHAPES or cls in (BREAK, "END", "EXC", "HYPH", "Q", "BUL", "DASH"):
        return cls
    if body.startswith("ELI:"):
        return "ELI"
    return ("C" if body.startswith("C:") else "L") + end


@dataclass(frozen=True)
class Continuations:
    """Bigram counts of word classes; `score(a, b)` is how much better b reads after a than anywhere.

    A pair seen rarely is backed off to the shapes of its classes (Witten-Bell-like interpolation, one
    weight `smoothing`): P(b | a) = (n(a, b) + s P(shape b | a) P(b | shape b)) / (n(a) + s), and
    P(shape b | a) itself backs off to P(shape b | shape a)."""

    pairs: dict[tuple[str, str], int]
    lefts: dict[str, int]
    rights: dict[str, int]
    to_shape: dict[tuple[str, str], int]  # (left class, right shape)
    shapes: dict[tuple[str, str], int]  # (left shape, right shape)
    left_shapes: dict[str, int]
    right_shapes: dict[str, int]
    kinds: dict[str, int]  # how many classes follow each left class, its own or its shape's
    total: int
    classes: Classes
    smoothing: float = 5.0

    @classmethod
    def load(cls, path: Path, classes: Classes) -> "Continuations":
        counts: dict[str, Counter] = {name: Counter() for name in
                                      ("lefts", "rights", "to_shape", "shapes", "left_shapes", "right_shapes")}
        pairs: dict[tuple[str, str], int] = {}
        for line in path.read_text("utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            a, b, number = line.split("\t")
            n = int(number)
            pairs[(a, b)] = n
            counts["lefts"][a] += n
            counts["rights"][b] += n
            counts["to_shape"][(a, shape_of(b))] += n
            counts["shapes"][(shape_of(a), shape_of(b))] += n
            counts["left_shapes"][shape_of(a)] += n
            counts["right_shapes"][shape_of(b)] += n
        kinds: Counter[str] = Counter(a for a, _ in pairs)
        kinds.update(shape for shape, _ in counts["shapes"])
        return cls(pairs, **{k: dict(v) for k, v in counts.items()}, kinds=dict(kinds),
                   total=sum(counts["rights"].values()), classes=classes)

    def score(self, a: str, b: str) -> float:
        return self._pmi(left_class(a, self.classes), right_class(b, self.classes))

    def ends(self, a: str) -> float:
        """How much better a paragraph ends on word a than on any word."""
        return self._pmi(left_class(a, self.classes), BREAK)

    def starts(self, b: str) -> float:
        """How much better a paragraph starts with word b than any word comes next."""
        return self._pmi(BREAK, right_class(b, self.classes))

    def _pmi(self, a: str, b: str) -> float:
        sa, sb = shape_of(a), shape_of(b)
        s = self.smoothing + self.kinds.get(a, 0)  # Witten-Bell: a context followed by many kinds
        # of words leaves more room for one not seen after it
        classes = len(self.rights) + 1
        prior = (self.rights.get(b, 0) + 1) / (self.total + classes)
        shape_prior = (self.right_shapes.get(sb, 0) + 1) / (self.total + classes)
        in_shape = prior / shape_prior  # P(b | shape b)
        t = self.smoothing + self.kinds.get(sa, 0)
        by_shapes = (self.shapes.get((sa, sb), 0) + t * shape_prior) / (self.left_shapes.get(sa, 0) + t)
        to_shape = (self.to_shape.get((a, sb), 0) + s * by_shapes) / (self.lefts.get(a, 0) + s)
        given = (self.pairs.get((a, b), 0) + s * to_shape * in_shape) / (self.lefts.get(a, 0) + s)
        return math.log(given / prior)


def count_pairs(texts: list[str], classes: Classes) -> Counter[tuple[str, str]]:
    """Class bigrams of running text; a blank line ends a paragraph (no pair across it)."""
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for paragraph in re.split(r"\n\s*\n", text):
            words = TOKEN.findall(paragraph)
            if not words:
                continue
            pairs[(BREAK, right_class(words[0], classes))] += 1
            for a, b in zip(words, words[1:]):
                pairs[(left_class(a, classes), right_class(b, classes))] += 1
            pairs[(left_class(words[-1], classes), BREAK)] += 1
    return pairs


@lru_cache(maxsize=4)
def load(path: Path, vocabulary: int, endings: Path | None = None) -> Continuations:
    return Continuations.load(path, Classes.of(vocabulary, endings))


# --- a line as the search reads it ------------------------------------------------------------------

# How wide a letter is set, in average letters: lines of a proportional font differ in letters more
# than in width ("illicite" is narrower than "MAMMOUTH").  A coarse model of any text face.
_ADVANCE = dict.fromkeys("ijlftr.,;:'’!|() ", 0.5) | dict.fromkeys("mwMW", 1.5)


@lru_cache(maxsize=100_000)
def advance(text: str) -> float:
    return sum(_ADVANCE.get(c, 1.25 if c.isupper() else 1.0) for c in text)


SPACE = advance(" ")


@dataclass(frozen=True)
class Line:
    text: str
    spans: tuple[tuple[int, int], ...]
    words: tuple[str, ...]
    gaps: tuple[bool, ...]  # gaps[j]: two blanks or more before word j, or word j is a bullet
    lengths: tuple[float, ...]  # cumulative: lengths[j] = advance of words[:j], one space between

    @classmethod
    def of(cls, text: str) -> "Line":
        spans = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
        words = [text[a:b] for a, b in spans]
        for j in range(len(words) - 1):  # Tesseract reads a round bullet as "e": one before a capital is one
            if words[j] == "e" and words[j + 1][:1].isupper():
                words[j] = "•"
        words = tuple(words)
        # the blanks after a line's own list marker ("•  Tél.") are its layout, not a gutter between columns
        gaps = (False,) + tuple((spans[j][0] - spans[j - 1][1] >= 2 and not (j == 1 and is_marker(words[0])))
                                or words[j] in BULLETS for j in range(1, len(spans)))
        lengths = [0.0]
        for w in words:
            lengths.append(lengths[-1] + advance(w) + (SPACE if lengths[-1] else 0.0))
        return cls(text, tuple(spans), words, gaps, tuple(lengths))

    def piece(self, a: int, b: int) -> str:
        """The words a..b as written (the author's spaces between them kept)."""
        return self.text[self.spans[a][0]:self.spans[b - 1][1]]

    def width(self, a: int, b: int) -> float:
        return self.lengths[b] - self.lengths[a] - (SPACE if a else 0.0)

    def inner_gaps(self, a: int, b: int) -> int:
        return sum(self.gaps[a + 1:b])
