"""Columns read apart: lines that an OCR read straight across two to four columns.

A poster or leaflet OCR'd without its layout gives lines that hold the end of one
column's line, then the next column's, side by side:

    Le projet vise à contribuer à la réduction d'accès à une Des systèmes alimentaires
    alimentation choisie et se décline en 4 expériences. solidaires et durables

This module finds such runs of lines and reads each column down, from the text
alone.  It chooses, for every line, where the line splits and which column each
piece belongs to, so that the whole run reads best (a Viterbi search over the
lines).  A reading is scored by

- a continuation model: how well a word reads on into the next one, as a bigram
  of word classes (the most frequent French words of wordfreq as themselves,
  every other word by its shape: capital, lower case, number, the punctuation it
  ends with or starts with).  Its counts are in config/columns/ (built by
  `python -m pipeline.repair.columns build`, see config/columns/README.md);
- the layout of set text: a column's lines have about the same length, and a
  line is not shorter than its next line by more than that line's first word
  (the word would have fitted: text is wrapped greedily);
- the cues an OCR leaves: two spaces between the pieces, a quote or a bullet
  that opens a piece.

A run is only read apart when the best column reading beats reading the lines as
they stand by a margin per split (config: [repair] columns_*), and only runs
with at least two lines that show a break cue are considered, so single-column
text stays as it is.  Each reordering is one Edit ("columns_read_apart") holding
the lines before and the columns after.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from ..record import Edit

_TOKEN = re.compile(r"\S+")
_OPEN = "\"«“‘'("
_CLOSE = "\"»”’')"
_END = re.compile(r"[.!?…]$")
_STOP = re.compile(r"(?<!\.)\.$")  # a full stop (not "…" nor "..."): "!" and "?" are often followed by
# lower case in French ("papa ! s'écria"), so they are a class of their own
_PAUSE = re.compile(r"[,;:]$")
_ELISION = re.compile(r"^([cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.I)
_ITEM = re.compile(r"^(?:\d{1,2}|[a-z])[.)]$")  # "1." "2)" "a)": a numbered list item starts
_BULLETS = frozenset("•●▪◦■□➢►‣∙·*")  # an OCR's "e" before a capital is read as one (see _Line.of)
_DASHES = frozenset("-–—")
_LETTER = re.compile(r"[^\W\d_]")
_WORDLIKE = re.compile(r"[^\W_]")
BREAK = "¶"  # the class of a paragraph's edge in the counts: what ends and starts paragraphs


# --- word classes -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _frequent(size: int) -> frozenset[str]:
    from wordfreq import top_n_list

    return frozenset(w for w in top_n_list("fr", size) if _LETTER.search(w))


def _core(word: str) -> str:
    return word.strip(_OPEN + _CLOSE + ".,;:!?…")


def _shape(core: str, vocabulary: frozenset[str]) -> str:
    if not core:
        return "P"
    lower = core.lower()
    capital = core[0].isupper()
    if lower in vocabulary:
        return ("C:" if capital else "") + lower
    if any(c.isdigit() for c in core) and not _LETTER.search(core):
        return "N"
    if len(core) > 1 and core.isupper():
        return "U"
    return "C" if capital else "L"


def left_class(word: str, vocabulary: frozenset[str]) -> str:
    """What a word offers to the word after it: its end (punctuation, hyphen) and its shape."""
    if word in _BULLETS:
        return "BUL"
    if word in _DASHES:
        return "DASH"
    bare = word.rstrip(_CLOSE)
    if _STOP.search(bare):
        return "END"
    if _END.search(bare):
        return "EXC"
    end = ""
    if _PAUSE.search(bare):
        end = bare[-1] if bare[-1] == ":" else ","
    elif bare.endswith("-") and len(bare) > 1:
        return "HYPH"
    elif word[-1:] in "'’" and _ELISION.match(word):
        return "ELI:" + word[:-1].lower()
    return _shape(_core(word), vocabulary) + end


def right_class(word: str, vocabulary: frozenset[str]) -> str:
    """What a word asks of the word before it: an opening quote or bullet, an elision, its shape."""
    if word in _BULLETS:
        return "BUL"
    if word in _DASHES:
        return "DASH"
    if word[0] in _OPEN and len(word) > 1:
        return "Q"
    elided = _ELISION.match(word)
    if elided:
        head = elided.group(1)
        return ("C:" if head[0].isupper() else "") + head.lower() + "'"
    return _shape(_core(word), vocabulary)


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
    vocabulary: frozenset[str]
    smoothing: float = 5.0

    @classmethod
    def load(cls, path: Path, vocabulary_size: int) -> "Continuations":
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
                   total=sum(counts["rights"].values()),
                   vocabulary=_frequent(vocabulary_size))

    def score(self, a: str, b: str) -> float:
        return self._pmi(left_class(a, self.vocabulary), right_class(b, self.vocabulary))

    def ends(self, a: str) -> float:
        """How much better a paragraph ends on word a than on any word."""
        return self._pmi(left_class(a, self.vocabulary), BREAK)

    def starts(self, b: str) -> float:
        """How much better a paragraph starts with word b than any word comes next."""
        return self._pmi(BREAK, right_class(b, self.vocabulary))

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


def count_pairs(texts: list[str], vocabulary: frozenset[str]) -> Counter[tuple[str, str]]:
    """Class bigrams of running text; a blank line ends a paragraph (no pair across it)."""
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for paragraph in re.split(r"\n\s*\n", text):
            words = _TOKEN.findall(paragraph)
            if not words:
                continue
            pairs[(BREAK, right_class(words[0], vocabulary))] += 1
            for a, b in zip(words, words[1:]):
                pairs[(left_class(a, vocabulary), right_class(b, vocabulary))] += 1
            pairs[(left_class(words[-1], vocabulary), BREAK)] += 1
    return pairs


# --- reading a run of lines -------------------------------------------------------------------------

@dataclass(frozen=True)
class Weights:
    """How a column reading is scored against the lines as they stand: [repair] columns_* of the config,
    where each is explained (pipeline/config.py holds their defaults)."""

    max_columns: int
    cut_join_weight: float
    column_join_weight: float
    split_cost: float
    gap_bonus: float
    length_tolerance: float
    length_weight: float
    fit_cost: float
    pause_weight: float
    start_cost: float
    cue_below: float
    min_cue_lines: int
    min_cue_share: float
    min_lines: int
    min_split_share: float
    min_gain: float
    beam: int
    cut_candidates: int
    width_rounds: int
    width_weight: float
    max_words: int
    max_lines: int


@dataclass(frozen=True)
class _Line:
    text: str
    spans: tuple[tuple[int, int], ...]
    words: tuple[str, ...]
    gaps: tuple[bool, ...]  # gaps[j]: two blanks or more before word j, or word j is a bullet
    lengths: tuple[float, ...]  # cumulative: lengths[j] = advance of words[:j], one space between

    @classmethod
    def of(cls, text: str) -> "_Line":
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        words = [text[a:b] for a, b in spans]
        for j in range(len(words) - 1):  # Tesseract reads a round bullet as "e": one before a capital is one
            if words[j] == "e" and words[j + 1][:1].isupper():
                words[j] = "•"
        words = tuple(words)
        gaps = (False,) + tuple(spans[j][0] - spans[j - 1][1] >= 2 or words[j] in _BULLETS
                                for j in range(1, len(spans)))
        lengths = [0.0]
        for w in words:
            lengths.append(lengths[-1] + advance(w) + (_SPACE if lengths[-1] else 0.0))
        return cls(text, tuple(spans), words, gaps, tuple(lengths))

    def piece(self, a: int, b: int) -> str:
        """The words a..b as written (the author's spaces between them kept)."""
        return self.text[self.spans[a][0]:self.spans[b - 1][1]]

    def width(self, a: int, b: int) -> float:
        return self.lengths[b] - self.lengths[a] - (_SPACE if a else 0.0)

    def inner_gaps(self, a: int, b: int) -> int:
        return sum(self.gaps[a + 1:b])


# How wide a letter is set, in average letters: lines of a proportional font differ in letters more
# than in width ("illicite" is narrower than "MAMMOUTH").  A coarse model of any text face.
_ADVANCE = dict.fromkeys("ijlftr.,;:'’!|() ", 0.5) | dict.fromkeys("mwMW", 1.5)


def advance(text: str) -> float:
    return sum(_ADVANCE.get(c, 1.25 if c.isupper() else 1.0) for c in text)


_SPACE = advance(" ")


Piece = tuple[int, int] | None
State = tuple[Piece, ...]


def _is_cut(state: State) -> bool:
    """A reading that cuts its line into several pieces."""
    return sum(1 for p in state if p) > 1


def _states(line: _Line, k: int, cuts: tuple[int, ...]) -> list[State]:
    """Every reading of a line as pieces in k columns, cut at some of `cuts` (each piece holds letters)."""
    n = len(line.words)
    lettered = [bool(_WORDLIKE.search(w)) and w not in _BULLETS for w in line.words]
    out: list[State] = []
    for m in range(1, min(k, n) + 1):
        for chosen in combinations(cuts, m - 1):
            bounds = (0,) + chosen + (n,)
            pieces = [(bounds[i], bounds[i + 1]) for i in range(m)]
            if m > 1 and not all(any(lettered[a:b]) for a, b in pieces):
                continue
            for cols in combinations(range(k), m):
                state: list[Piece] = [None] * k
                for col, piece in zip(cols, pieces):
                    state[col] = piece
                out.append(tuple(state))
    return out


class Reader:
    """Reads runs of lines apart into columns, with a continuation model and weights."""

    def __init__(self, model: Continuations, weights: Weights):
        self.model = model
        self.w = weights
        self._join: dict[tuple[str, str], float] = {}
        self._stops: dict[str, float] = {}
        self._starts: dict[str, float] = {}

    def _stop(self, word: str) -> float:
        value = self._stops.get(word)
        if value is None:
            value = self._stops[word] = self.w.pause_weight * min(0.0, self.model.ends(word))
        return value

    def _start(self, word: str) -> float:
        value = self._starts.get(word)
        if value is None:
            value = self._starts[word] = self.w.pause_weight * min(0.0, self.model.starts(word)) - self.w.start_cost
        return value

    def join(self, a: str, b: str) -> float:
        key = (a, b)
        if key not in self._join:
            self._join[key] = self.model.score(a, b)
        return self._join[key]

    # a line's own evidence: the joins a split removes, the cues it follows
    def _unary(self, line: _Line, state: State, widths: tuple[float | None, ...] | None = None) -> float:
        total = self._cut_score(line, state)
        if widths:  # no piece is wider than its column
            for p, width in zip(state, widths):
                if p and width:
                    total -= self.w.width_weight * max(0.0, line.width(*p) / width - 1 - self.w.length_tolerance)
        return total

    def _cut_score(self, line: _Line, state: State) -> float:
        pieces = [p for p in state if p]
        total = -self.w.gap_bonus * sum(line.inner_gaps(*p) for p in pieces) if len(pieces) > 1 else 0.0
        for left, right in zip(pieces, pieces[1:]):
            j = right[0]
            total += -self.w.cut_join_weight * self.join(line.words[j - 1], line.words[j]) - self.w.split_cost
            if line.gaps[j]:
                total += self.w.gap_bonus
        return total

    def _length(self, upper: _Line, p: tuple[int, int], lower: _Line, q: tuple[int, int]) -> float:
        x, y = upper.width(*p), lower.width(*q)
        closed = bool(_END.search(upper.words[p[1] - 1].rstrip(_CLOSE)))
        cost = 0.0
        if y > x and not closed:
            if x + _SPACE + lower.width(q[0], q[0] + 1) <= y * (1 - self.w.length_tolerance):
                cost += self.w.fit_cost
            cost += self.w.length_weight * max(0.0, (y - x) / y - self.w.length_tolerance)
        elif x > y and not _END.search(lower.words[q[1] - 1].rstrip(_CLOSE)):
            cost += self.w.length_weight * max(0.0, (x - y) / x - self.w.length_tolerance)
        return -cost

    def _transition(self, upper: _Line, s: State, lower: _Line, t: State,
                    cache: dict[tuple[Piece, Piece], float] | None = None) -> float:
        """How the readings of two lines follow each other: per column, the join and the lengths of
        its two pieces, or what it costs a column to stop or resume."""
        total = 0.0
        for p, q in zip(s, t):
            if p and q:
                value = cache.get((p, q)) if cache is not None else None
                if value is None:
                    value = (self.w.column_join_weight * self.join(upper.words[p[1] - 1], lower.words[q[0]])
                             + self._length(upper, p, lower, q))
                    if cache is not None:
                        cache[(p, q)] = value
                total += value
            elif p:  # the column stops (for now): as well as its last word ends a paragraph
                total += self._stop(upper.words[p[1] - 1])
            elif q:  # a column starts below the run's first line, or resumes after a pause
                total += self._start(lower.words[q[0]])
        return total

    def cue_lines(self, lines: list[_Line]) -> int:
        """Lines with a join inside them that reads badly, or two blanks between words."""
        count = 0
        for line in lines:
            if any(line.gaps[j] or self.join(line.words[j - 1], line.words[j]) < self.w.cue_below
                   for j in range(1, len(line.words))):
                count += 1
        return count

    def read(self, texts: list[str]) -> list[list[str]] | None:
        """The columns of a run of lines (each a list of lines, "" where the column paused), or None
        when the lines read best as they stand."""
        return self.judge(texts)[0]

    def judge(self, texts: list[str]) -> tuple[list[list[str]] | None, str]:
        """The columns of a run of lines, or None and why the lines stay as they stand."""
        lines = [_Line.of(t) for t in texts]
        if len(lines) < self.w.min_lines:
            return None, "too few lines"
        if len(lines) > self.w.max_lines:
            return None, "a run too long for a poster's columns"
        if any(len(x.words) > self.w.max_words for x in lines):
            return None, "a line too long for columns"
        if sum(1 for x in lines if x.words[0] in _BULLETS | _DASHES or _ITEM.match(x.words[0])) * 2 >= len(lines):
            return None, "a list: each line is an item"
        cues = self.cue_lines(lines)
        if cues < self.w.min_cue_lines or cues < self.w.min_cue_share * len(lines):
            return None, "no bad joins"
        single = self._single_score(lines)
        cuts = [self._cuts(line) for line in lines]
        readings = []
        for k in range(2, self.w.max_columns + 1):
            states = [_states(line, k, c) for line, c in zip(lines, cuts)]
            score, path = self._viterbi(lines, states)
            for _ in range(self.w.width_rounds):  # read again, each column held to the width it showed
                widths = _widths(lines, path)
                if not any(widths):
                    break
                score, path = self._viterbi(lines, states, widths)
            readings.append((score, k, path))
        why = "reads best as it stands"
        for score, _, path in sorted(readings, key=lambda r: (-r[0], r[1])):
            if score <= single:
                break
            why = self._refuse(path)
            cut = sum(map(_is_cut, path))
            if not why and score - single < self.w.min_gain * cut:
                why = "columns read hardly better than the lines"
            if not why:
                return _columns(lines, path), "columns"
        return None, why

    def _refuse(self, path: list[State]) -> str:
        """Why a column reading is not taken (empty when it is)."""
        split = [i for i, s in enumerate(path) if _is_cut(s)]
        if len(split) < self.w.min_cue_lines:
            return "too few cut lines"
        first, last = split[0], split[-1]
        if any(s[0] is None for s in path[: first + 1]):
            return "the first column does not start the run"
        if any(sum(1 for s in path if s[k]) < 2 for k in range(len(path[0])) if any(s[k] for s in path)):
            return "a column of one line"
        if len(split) < self.w.min_split_share * (last - first + 1):
            return "cuts scattered through prose"
        return ""

    def _single_score(self, lines: list[_Line]) -> float:
        total = 0.0
        for upper, lower in zip(lines, lines[1:]):
            total += self._transition(upper, ((0, len(upper.words)),), lower, ((0, len(lower.words)),))
        return total

    def _cuts(self, line: _Line) -> tuple[int, ...]:
        """The places a line may split, the best by their own evidence (a bad join, two blanks)."""
        allowed = [j for j in range(1, len(line.words)) if line.words[j - 1] not in _BULLETS]
        ranked = sorted(allowed, key=lambda j: (self.join(line.words[j - 1], line.words[j])
                                                 - self.w.gap_bonus * line.gaps[j], j))
        return tuple(sorted(ranked[: self.w.cut_candidates]))

    def _viterbi(self, lines: list[_Line], readings: list[list[State]],
                 widths: tuple[float | None, ...] | None = None) -> tuple[float, list[State]]:
        """The best reading of the run among each line's `readings` (all in k columns): a beam search
        over lines, each line's readings kept by their score so far."""
        scores: dict[State, float] = {}
        back: list[dict[State, State | None]] = []
        for i, (line, states) in enumerate(zip(lines, readings)):
            whole: State = ((0, len(line.words)),) + (None,) * (len(states[0]) - 1)
            if i == 0:  # the first column starts the run
                own = {t: self._unary(line, t, widths) for t in states if t[0]}
                scores = {t: own[t] for t in sorted(own, key=lambda t: -own[t])[: 2 * self.w.beam]}
                scores.setdefault(whole, 0.0)
                back.append({t: None for t in scores})
                continue
            new_scores: dict[State, float] = {}
            pointers: dict[State, State | None] = {}
            cache: dict[tuple[Piece, Piece], float] = {}
            for t in states:
                top, arg = -math.inf, None
                for s, v in scores.items():
                    value = v + self._transition(lines[i - 1], s, line, t, cache)
                    if value > top:
                        top, arg = value, s
                new_scores[t] = top + self._unary(line, t, widths)
                pointers[t] = arg
            kept = sorted(new_scores, key=lambda t: -new_scores[t])[: self.w.beam]
            if whole not in kept:
                kept.append(whole)
            scores = {t: new_scores[t] for t in kept}
            back.append(pointers)
        end = max(scores, key=lambda t: scores[t])
        path = [end]
        for i in range(len(lines) - 1, 0, -1):
            path.append(back[i][path[-1]])
        path.reverse()
        return scores[end], path


def _widths(lines: list[_Line], path: list[State]) -> tuple[float | None, ...]:
    """Each column's width as a reading shows it: the median of its pieces on lines cut into several (a
    line left whole says nothing of the columns), a paragraph's short last line left out."""
    out: list[float | None] = []
    for k in range(len(path[0])):
        seen = sorted(line.width(*s[k]) for line, s in zip(lines, path)
                      if s[k] and _is_cut(s) and not _END.search(line.words[s[k][1] - 1]))
        out.append(seen[len(seen) // 2] if seen else None)
    return tuple(out)


def _columns(lines: list[_Line], path: list[State]) -> list[list[str]]:
    k = len(path[0])
    columns: list[list[str]] = [[] for _ in range(k)]
    for line, state in zip(lines, path):
        for col, piece in enumerate(state):
            if piece:
                columns[col].append(line.piece(*piece))
            elif columns[col] and columns[col][-1] != "":
                columns[col].append("")
    return [[x for x in _trim(c)] for c in columns if any(c)]


def _trim(lines: list[str]) -> list[str]:
    while lines and lines[-1] == "":
        lines = lines[:-1]
    return lines


def reader_from(settings) -> Reader:
    """The Reader a repair section configures (its model file under config/, its weights)."""
    cfg = settings
    weights = Weights(
        max_columns=cfg["columns_max"], cut_join_weight=cfg["columns_cut_join_weight"],
        column_join_weight=cfg["columns_column_join_weight"], split_cost=cfg["columns_split_cost"], gap_bonus=cfg["columns_gap_bonus"],
        length_tolerance=cfg["columns_length_tolerance"], length_weight=cfg["columns_length_weight"],
        fit_cost=cfg["columns_fit_cost"], pause_weight=cfg["columns_pause_weight"],
        start_cost=cfg["columns_start_cost"], cue_below=cfg["columns_cue_below"],
        min_cue_lines=cfg["columns_min_cue_lines"], min_cue_share=cfg["columns_min_cue_share"],
        min_lines=cfg["columns_min_lines"],
        min_split_share=cfg["columns_min_split_share"], min_gain=cfg["columns_min_gain"], beam=cfg["columns_beam"],
        cut_candidates=cfg["columns_cut_candidates"], width_rounds=cfg["columns_width_rounds"],
        width_weight=cfg["columns_width_weight"], max_words=cfg["columns_max_words"],
        max_lines=cfg["columns_max_lines"],
    )
    return Reader(_load(settings.data_file(cfg["columns_file"]), cfg["columns_vocabulary"]), weights)


@lru_cache(maxsize=4)
def _load(path: Path, vocabulary: int) -> Continuations:
    return Continuations.load(path, vocabulary)


def read_columns(text: str, reader: Reader) -> tuple[str, list[Edit]]:
    """Each run of lines (between blank lines) that reads best as columns is written one column after
    the other, a blank line between them; one change per run, with the lines it moved."""
    lines = text.split("\n")
    out: list[str] = []
    changes: list[Edit] = []
    run: list[str] = []
    for line in lines + [""]:
        if line.strip():
            run.append(line)
            continue
        if run:
            columns = reader.read(run)
            if columns:
                before = "\n".join(run)
                after = "\n\n".join("\n".join(c) for c in columns)
                changes.append(Edit("columns_read_apart", before, after,
                                    reason=f"{len(columns)} columns read straight across: read one after another"))
                out += after.split("\n")
            else:
                out += run
            run = []
        out.append(line)
    return "\n".join(out[:-1]), changes
