"""Non-overlapping character spans, asked "does this overlap one of you?" in log time, not by a scan."""

from __future__ import annotations

import bisect


class Spans:
    """Spans `[start, end)` that never overlap one another (only a span that overlaps none is added)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        # sorted and disjoint, so ends grow with starts: only the last span starting before `end` can reach `start`
        i = bisect.bisect_left(self._starts, end)
        return i > 0 and self._ends[i - 1] > start

    def add(self, start: int, end: int) -> bool:
        """Add the span unless it overlaps one already there; True when added."""
        if self.overlaps(start, end):
            return False
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True
