"""Where a page, or a change made before the file was split, sits in the extracted text."""

from __future__ import annotations

import bisect

from ..record import Change


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
