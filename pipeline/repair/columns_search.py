"""The search of columns read apart: the best reading of a run of lines as columns.

For every line it chooses where the line splits and which column each piece belongs
to, so that the whole run reads best: a beam search over the lines (Viterbi-like),
for 2 to `max_columns` columns.  A reading is scored by the continuation model
(columns_model) and by the layout of set text: a column's lines have about the same
length, a line is not shorter than its next line by more than that line's first word
(text is wrapped greedily), and an OCR leaves two spaces between the pieces.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from .columns_model import BULLETS, CLOSE, SPACE, Continuations, Line, ends_sentence, left_class, right_class

_WORDLIKE = re.compile(r"[^\W_]")


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
    min_prose: float
    min_lines: int
    min_split_share: float
    min_gain: float
    beam: int
    cut_candidates: int
    width_rounds: int
    width_weight: float
    width_fit_cost: float
    max_words: int
    max_lines: int
    max_search_words: int


Piece = tuple[int, int] | None
State = tuple[Piece, ...]


def is_cut(state: State) -> bool:
    """A reading that cuts its line into several pieces."""
    return sum(1 for p in state if p) > 1


def _states(line: Line, k: int, cuts: tuple[int, ...]) -> list[State]:
    """Every reading of a line as pieces in k columns, cut at some of `cuts` (each piece holds letters)."""
    n = len(line.words)
    lettered = [bool(_WORDLIKE.search(w)) and w not in BULLETS for w in line.words]
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


class Search:
    """The best column reading of a run of lines, with a continuation model and weights."""

    def __init__(self, model: Continuations, weights: Weights):
        self.model = model
        self.w = weights
        self.join = cache(model.score)
        self._stop = cache(lambda word: weights.pause_weight * min(0.0, model.ends(word)))
        self._start = cache(lambda word: weights.pause_weight * min(0.0, model.starts(word)) - weights.start_cost)

    def best(self, lines: list[Line]) -> tuple[list[State] | None, str]:
        """The column reading taken for the run (None when the lines read best as they stand), and why."""
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
            why = self._refuse(path) or self._table(lines, path)
            cut = sum(map(is_cut, path))
            if not why and score - single < self.w.min_gain * cut:
                why = "columns read hardly better than the lines"
            if not why:
                return path, "columns"
        return None, why

    # a line's own evidence: the joins a split removes, the cues it follows
    def _unary(self, line: Line, state: State, widths: tuple[float | None, ...] | None = None) -> float:
        total = self._cut_score(line, state)
        if widths:  # no piece is wider than its column
            for p, width in zip(state, widths):
                if p and width:
                    total -= self.w.width_weight * max(0.0, line.width(*p) / width - 1 - self.w.length_tolerance)
        return total

    def _cut_score(self, line: Line, state: State) -> float:
        pieces = [p for p in state if p]
        total = -self.w.gap_bonus * sum(line.inner_gaps(*p) for p in pieces) if len(pieces) > 1 else 0.0
        for left, right in zip(pieces, pieces[1:]):
            j = right[0]
            total += -self.w.cut_join_weight * self.join(line.words[j - 1], line.words[j]) - self.w.split_cost
            if line.gaps[j]:
                total += self.w.gap_bonus
        return total

    def _length(self, upper: Line, p: tuple[int, int], lower: Line, q: tuple[int, int]) -> float:
        x, y = upper.width(*p), lower.width(*q)
        cost = 0.0
        if y > x and not ends_sentence(upper.words[p[1] - 1]):
            if x + SPACE + lower.width(q[0], q[0] + 1) <= y * (1 - self.w.length_tolerance):
                cost += self.w.fit_cost
            cost += self.w.length_weight * max(0.0, (y - x) / y - self.w.length_tolerance)
        elif x > y and not ends_sentence(lower.words[q[1] - 1]):
            cost += self.w.length_weight * max(0.0, (x - y) / x - self.w.length_tolerance)
        return -cost

    def _follow(self, upper: Line, lower: Line):
        """How a piece of `upper` reads on into a piece of `lower` in one column: the join and the
        lengths of the two pieces (cached for the pair of lines)."""
        def follow(p: tuple[int, int], q: tuple[int, int]) -> float:
            return (self.w.column_join_weight * self.join(upper.words[p[1] - 1], lower.words[q[0]])
                    + self._length(upper, p, lower, q))
        return cache(follow)

    def _unfilled(self, upper: Line, p: tuple[int, int], lower: Line, q: tuple[int, int], width: float) -> float:
        """What it costs that a column's line stops short of the column's width by more than the next line's
        first word (set text is wrapped greedily: the word would have fitted), unless a sentence ends there."""
        if ends_sentence(upper.words[p[1] - 1]):
            return 0.0
        if upper.width(*p) + SPACE + lower.width(q[0], q[0] + 1) <= width * (1 - self.w.length_tolerance):
            return self.w.width_fit_cost
        return 0.0

    def _transition(self, upper: Line, s: State, lower: Line, t: State, follow=None) -> float:
        """How the readings of two lines follow each other: per column, the join and the lengths of
        its two pieces, or what it costs a column to stop or resume."""
        follow = follow or self._follow(upper, lower)
        total = 0.0
        for p, q in zip(s, t):
            if p and q:
                total += follow(p, q)
            elif p:  # the column stops (for now): as well as its last word ends a paragraph
                total += self._stop(upper.words[p[1] - 1])
            elif q:  # a column starts below the run's first line, or resumes after a pause
                total += self._start(lower.words[q[0]])
        return total

    def _best_previous(self, upper: Line, previous: list[State], values: list[float], lower: Line,
                       states: list[State], widths=None) -> list[tuple[float, int]]:
        """For each reading `t` of the lower line, the best value of `values[s] + _transition(s, t)` (less
        `_unfilled` for each column held to a width, when `widths` are given) over
        the upper line's readings and the first `s` that reaches it: what a loop over every pair gives,
        bit for bit (the same sums in the same order), computed per column on the pieces the readings
        share, as tables added together with numpy."""
        import numpy as np

        follow = self._follow(upper, lower)
        total = np.zeros((len(previous), len(states)))
        for k in range(len(states[0])):
            ups = list(dict.fromkeys(s[k] for s in previous))
            downs = list(dict.fromkeys(t[k] for t in states))
            table = np.zeros((len(ups), len(downs)))
            for a, p in enumerate(ups):
                for b, q in enumerate(downs):
                    if p and q:
                        table[a, b] = follow(p, q)
                        if widths and widths[k]:
                            table[a, b] -= self._unfilled(upper, p, lower, q, widths[k])
                    elif p:
                        table[a, b] = self._stop(upper.words[p[1] - 1])
                    elif q:
                        table[a, b] = self._start(lower.words[q[0]])
            up_index = {p: a for a, p in enumerate(ups)}
            down_index = {q: b for b, q in enumerate(downs)}
            total += table[np.ix_([up_index[s[k]] for s in previous], [down_index[t[k]] for t in states])]
        value = np.asarray(values)[:, None] + total
        args = value.argmax(axis=0)
        tops = value[args, np.arange(len(states))]
        return [(float(top), int(arg)) for top, arg in zip(tops, args)]

    def _table(self, lines: list[Line], path: list[State]) -> str:
        """A table read across, not columns: a column whose pieces, on at least `min_lines` cut lines and
        four in five of those where it has one (a heading or a footer may be cut too), start with words of
        one class and end with words of one class ("Lundi 9 h -", "Mardi 14 h -": days and times).  Prose set
        in columns starts and ends its lines with whatever words the wrap gives."""
        c = self.model.classes
        for k in range(len(path[0])):
            kinds = Counter((right_class(x.words[s[k][0]], c), left_class(x.words[s[k][1] - 1], c))
                            for x, s in zip(lines, path) if s[k] and is_cut(s))
            top = max(kinds.values(), default=0)
            if top >= self.w.min_lines and top >= 0.8 * sum(kinds.values()):
                return "a table: its rows read across"
        return ""

    def _refuse(self, path: list[State]) -> str:
        """Why a column reading is not taken (empty when it is)."""
        split = [i for i, s in enumerate(path) if is_cut(s)]
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

    def _single_score(self, lines: list[Line]) -> float:
        total = 0.0
        for upper, lower in zip(lines, lines[1:]):
            total += self._transition(upper, ((0, len(upper.words)),), lower, ((0, len(lower.words)),))
        return total

    def _cuts(self, line: Line) -> tuple[int, ...]:
        """The places a line may split, the best by their own evidence (a bad join, two blanks)."""
        allowed = [j for j in range(1, len(line.words)) if line.words[j - 1] not in BULLETS]
        ranked = sorted(allowed, key=lambda j: (self.join(line.words[j - 1], line.words[j])
                                                 - self.w.gap_bonus * line.gaps[j], j))
        return tuple(sorted(ranked[: self.w.cut_candidates]))

    def _viterbi(self, lines: list[Line], readings: list[list[State]],
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
            previous = list(scores)
            best = self._best_previous(lines[i - 1], previous, [scores[s] for s in previous], line, states, widths)
            new_scores: dict[State, float] = {}
            pointers: dict[State, State | None] = {}
            for t, (top, arg) in zip(states, best):
                new_scores[t] = top + self._unary(line, t, widths)
                pointers[t] = previous[arg]
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


def _widths(lines: list[Line], path: list[State]) -> tuple[float | None, ...]:
    """Each column's width as a reading shows it: the median of its pieces on lines cut into several (a
    line left whole says nothing of the columns), a paragraph's short last line left out."""
    out: list[float | None] = []
    for k in range(len(path[0])):
        seen = sorted(line.width(*s[k]) for line, s in zip(lines, path)
                      if s[k] and is_cut(s) and not _closes(line.words[s[k][1] - 1]))
        out.append(seen[len(seen) // 2] if seen else None)
    return tuple(out)


def _closes(word: str) -> bool:
    """A sentence's end with no closing mark after it: a quote's last line ("...fin.\"") is kept in the
    widths, for it is set to the column's width as often as not (measured on bench/columns.py)."""
    return ends_sentence(word) and word[-1] not in CLOSE
