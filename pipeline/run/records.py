"""Records through the stages: corpus stages on everything, record stages per record with their cache."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Callable

from ..record import Record, dump, load
from ..stage import Stage
from .cache import CACHE_FORMAT, Cache, key


@dataclass
class StageStats:
    name: str
    files: int = 0
    records_in: int = 0
    records_out: int = 0
    computed: int = 0
    cached: int = 0
    seconds: float = 0.0



def unique_ids(records: list[Record]) -> list[Record]:
    """Identical files at two paths give identical ids; keep ids unique (path order decides)."""
    seen: set[str] = set()
    out = []
    for record in sorted(records, key=lambda r: (r.source.path, (r.source.span or [0])[0])):
        if record.id in seen:
            suffix = hashlib.sha256(record.source.path.encode()).hexdigest()[:6]
            record = replace(record, id=f"{record.id}-{suffix}")
        seen.add(record.id)
        out.append(record)
    return out


BATCH = 512  # records per call of a non-splitting stage: spaCy gets its batches, the bar moves


def run_records(stage: Stage, records: list[Record], fingerprint: str, cache: Cache, stats: StageStats,
                advance: Callable[[int], None] = lambda n: None) -> list[Record]:
    """A record-scoped stage, cached per input record; `advance(n)` is told of every n records done.

    A stage that `splits` (one record in, several out) is called record by
    record; the others get the cache misses in batches of `BATCH` (spaCy wants batches).
    """
    keys = [key(CACHE_FORMAT, json.dumps(dump(r), sort_keys=True, ensure_ascii=False), stage.name, stage.version,
                fingerprint) for r in records]
    out: list[list[Record] | None] = []
    todo: list[int] = []
    for i, k in enumerate(keys):
        hit = cache.get(stage.name, k)
        try:
            out.append([load(r) for r in hit] if hit is not None else None)
        except (TypeError, ValueError, KeyError):
            out.append(None)  # an entry we cannot read is a miss, never an error
        if out[-1] is None:
            todo.append(i)
    advance(len(records) - len(todo))
    size = 1 if stage.splits else BATCH
    for start in range(0, len(todo), size):
        chunk = todo[start:start + size]
        if stage.splits:
            fresh = [stage.run([records[i]]) for i in chunk]
        else:
            batch = stage.run([records[i] for i in chunk])
            if len(batch) != len(chunk):
                raise RuntimeError(f"stage {stage.name} gave {len(batch)} records for {len(chunk)}: a stage that does "
                                   f"not split gives one record per record")
            fresh = [[r] for r in batch]
        for i, produced in zip(chunk, fresh):
            cache.put(stage.name, keys[i], [dump(r) for r in produced])
            out[i] = produced
        advance(len(chunk))
    stats.computed, stats.cached = len(todo), len(records) - len(todo)
    return [r for group in out if group is not None for r in group]
