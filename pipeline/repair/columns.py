"""Columns read apart: lines that an OCR read straight across two to four columns.

A poster or leaflet OCR'd without its layout gives lines that hold the end of one
column's line, then the next column's, side by side:

    Le chantier cherche à renforcer la place des jardins dans une Des filières maraîchères
    alimentation de saison et se déploie sur 3 sites. partagées et sobres

This step finds the runs of lines (between blank lines) that could be such columns,
has the search (columns_search) read them down with the reading model
(columns_model), and writes each run it reads apart one column after the other:
one Edit ("columns_read_apart") per run, with the lines before and the columns after.

A run goes to the search only when a first test that costs almost nothing says it
could be columns: enough lines, none too long, not a list, lines with a bad join or
two blanks inside (the cues), and the shape columns give.  A run is read apart only
when the best column reading beats the lines as they stand by a margin per split
(config: [repair] columns_*), so single-column text stays as it is.
"""

from __future__ import annotations

from itertools import pairwise

from ..record import Edit
from .columns_model import (
    Classes,
    Continuations,
    advance,
    _frequent,
    count_pairs,
    is_marker,
    left_class,
    load,
    right_class,
    shape_of,
)
from .columns_search import Line, Search, State, Weights

__all__ = ["Classes", "Continuations", "Reader", "Weights", "_frequent", "advance", "count_pairs", "left_class",
           "read_columns", "reader_from", "right_class", "shape_of"]

_SHAPE = 2.0  # a line this many times wider than its neighbour holds pieces of more columns


class Reader(Search):
    """Reads runs of lines apart into columns: the first test, then the search."""

    def cues(self, line: Line) -> bool:
        """A line with a join inside it that reads badly, or two blanks between words."""
        return any(line.gaps[j] or self.join(line.words[j - 1], line.words[j]) < self.w.cue_below
                   for j in range(1, len(line.words)))

    def prose(self, lines: list[Line]) -> float:
        """How well a run's words read on, the model's mean score of its joins with each line's worst left
        out (where a cut would be): prose set in columns reads on within its pieces (0.4 to 1.0 in our
        posters, 0.26 and more in seed 002's blocks); word salad, codes and debris do not (under 0.05)."""
        total, count = 0.0, 0
        for line in lines:
            joins = sorted(self.join(line.words[j - 1], line.words[j]) for j in range(1, len(line.words)))
            total += sum(joins[1:])
            count += len(joins) - 1 if joins else 0
        return total / count if count else 0.0

    def size_test(self, texts: list[str]) -> str:
        """Why a run cannot be columns from its number of lines alone (empty when it could be)."""
        if len(texts) < self.w.min_lines:
            return "too few lines"
        if len(texts) > self.w.max_lines:
            return "a run too long for a poster's columns"
        return ""

    def first_test(self, lines: list[Line]) -> str:
        """Why a run cannot be columns, from what costs almost nothing to see (empty when it could be)."""
        why = self.size_test([x.text for x in lines])
        if why:
            return why
        if any(len(x.words) > self.w.max_words for x in lines):
            return "a line too long for columns"
        if (sum(1 for x in lines if is_marker(x.words[0])) * 2 >= len(lines)
                and not any(any(x.gaps[1:]) for x in lines)):
            return "a list: each line is an item"
        cued = [self.cues(x) for x in lines]
        if sum(cued) < self.w.min_cue_lines or sum(cued) < self.w.min_cue_share * len(lines):
            return "no bad joins"
        if self.prose(lines) < self.w.min_prose:
            return "does not read as prose, even within a column's pieces"
        # the cues columns leave in pairs: two lines that read badly inside, the gutter of blanks an OCR
        # leaves between the pieces, or a line more than twice as wide as the next or the one before (a
        # column stopped there); a lone bad join in lines of one width is a slip of the prose
        if sum(cued) >= 2 or any(any(x.gaps) for x in lines):
            return ""
        width = [x.lengths[-1] for x in lines]
        if any(max(a, b) > _SHAPE * min(a, b) for a, b in pairwise(width)):
            return ""
        return "one bad join in lines of one width"

    def judge(self, texts: list[str], budget: list[int] | None = None) -> tuple[list[list[str]] | None, str]:
        """The columns of a run of lines (each a list of lines, "" where the column paused), or None and why
        the lines stay as they stand.  `budget`: the words
        the text may still send to the search (spent here), so that no text, however many poster-like runs
        it holds, costs more than that many words of search."""
        why = self.size_test(texts)  # before the lines are measured: most runs of prose end here
        if why:
            return None, why
        lines = [Line.of(t) for t in texts]
        why = self.first_test(lines)
        if why:
            return None, why
        if budget is not None:
            words = sum(len(x.words) for x in lines)
            if words > budget[0]:
                budget[0] = 0  # spent: the runs after this one stay as they stand too
                return None, "the text's search budget is spent"
            budget[0] -= words
        path, why = self.best(lines)
        return (columns_of(lines, path) if path else None), why


def columns_of(lines: list[Line], path: list[State]) -> list[list[str]]:
    """The text of each column a reading makes ("" where the column paused), the empty ones left out."""
    k = len(path[0])
    columns: list[list[str]] = [[] for _ in range(k)]
    for line, state in zip(lines, path):
        for col, piece in enumerate(state):
            if piece:
                columns[col].append(line.piece(*piece))
            elif columns[col] and columns[col][-1] != "":
                columns[col].append("")
    return [_trim(c) for c in columns if any(c)]


def _trim(lines: list[str]) -> list[str]:
    while lines and lines[-1] == "":
        lines = lines[:-1]
    return lines


def reader_from(settings) -> Reader:
    """The Reader a repair section configures (its model file under config/, its weights)."""
    cfg = settings
    weights = Weights(
        max_columns=cfg["columns_max"], cut_join_weight=cfg["columns_cut_join_weight"],
        column_join_weight=cfg["columns_column_join_weight"], split_cost=cfg["columns_split_cost"],
        gap_bonus=cfg["columns_gap_bonus"],
        length_tolerance=cfg["columns_length_tolerance"], length_weight=cfg["columns_length_weight"],
        fit_cost=cfg["columns_fit_cost"], pause_weight=cfg["columns_pause_weight"],
        start_cost=cfg["columns_start_cost"], cue_below=cfg["columns_cue_below"],
        min_cue_lines=cfg["columns_min_cue_lines"], min_cue_share=cfg["columns_min_cue_share"],
        min_prose=cfg["columns_min_prose"],
        min_lines=cfg["columns_min_lines"],
        min_split_share=cfg["columns_min_split_share"], min_gain=cfg["columns_min_gain"], beam=cfg["columns_beam"],
        cut_candidates=cfg["columns_cut_candidates"], width_rounds=cfg["columns_width_rounds"],
        width_weight=cfg["columns_width_weight"],
        width_fit_cost=cfg["columns_width_fit_cost"], max_words=cfg["columns_max_words"],
        max_lines=cfg["columns_max_lines"], max_search_words=cfg["columns_max_search_words"],
    )
    return Reader(load(settings.data_file(cfg["columns_file"]), cfg["columns_vocabulary"],
                       settings.data_file(cfg["columns_endings_file"])), weights)


def read_columns(text: str, reader: Reader, seen: dict[tuple[str, ...], list[list[str]] | None] | None = None
                 ) -> tuple[str, list[Edit]]:
    """Each run of lines (between blank lines) that reads best as columns is written one column after
    the other, a blank line between them; one change per run, with the lines it moved.  `seen`: the
    readings of runs already judged (repair's later rounds give most runs again as they were)."""
    seen = seen if seen is not None else {}
    budget = [reader.w.max_search_words]
    lines = text.split("\n")
    out: list[str] = []
    changes: list[Edit] = []
    run: list[str] = []
    for line in lines + [""]:
        if line.strip():
            run.append(line)
            continue
        if run:
            key = tuple(run)
            if key not in seen:
                seen[key] = reader.judge(run, budget)[0]
            columns = seen[key]
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
