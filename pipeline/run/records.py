"""Records through the stages, on the executor's workers, each result cached per record where it can be.

* a record stage is mapped over partitions of the records its cache does not hold;
* a corpus stage that is a `MapReduce` (pipeline/stage.py) is prepared per record (cached), learned per
  record (cached), decided in one place, then applied per partition (cached per record under its
  decision) or on the whole corpus;
* any other corpus stage runs on the whole corpus in this process.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any, Callable

from ..record import Record, dump, load
from ..stage import MapReduce, Stage
from .cache import CACHE_FORMAT, Cache, key
from .executor import Dask, Local, StageRef, call, call_per_record, partitions


@dataclass
class StageStats:
    name: str
    files: int = 0
    records_in: int = 0
    records_out: int = 0
    computed: int = 0
    cached: int = 0
    seconds: float = 0.0  # for the reader, the sum of its files' times; for a stage, its wall time
    started: float = 0.0  # when the stage's work began and ended (time.perf_counter): for benchmarks
    ended: float = 0.0


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


@dataclass
class Work:
    """What every stage's work needs: where it runs, how records are cut into partitions, the cache."""

    executor: Local | Dask
    cache: Cache
    partition_records: int
    min_partition_records: int

    def partitions(self, items: list[Any]) -> list[list[Any]]:
        return partitions(items, self.executor.workers, self.partition_records, self.min_partition_records)


def digests(records: list[Record]) -> list[str]:
    """Each record's content hash, the part of every cache key that is the record itself (made once per
    stage, shared by its steps)."""
    return [hashlib.sha256(json.dumps(dump(r), sort_keys=True, ensure_ascii=False).encode()).hexdigest()
            for r in records]


def _cached(work: Work, ref: StageRef, method: str, records: list[Record], hashes: list[str], cache_name: str,
            salt: str | None, advance: Callable[[int], None], *args: Any) -> tuple[list[Any], int]:
    """`method` of the stage on every record, on the workers, one result per record, each cached under
    `cache_name` and a key made of the record (`hashes`) and `salt` (what else the result depends on, e.g. a
    corpus decision; None: not cached).  `learn` gives JSON values; the other methods give records
    (grouped per input record).  The cache is read and written here.  Returns the results and how many
    were computed."""
    stage = ref[0]
    cache = work.cache if salt is not None else Cache(None)
    gives_records = method != "learn"
    keys = [key(CACHE_FORMAT, h, cache_name, stage.version, ref[2], salt) if cache.root else "" for h in hashes]
    out: list[Any] = []
    todo: list[int] = []
    for i, k in enumerate(keys):
        hit = cache.get(cache_name, k)
        try:
            out.append(hit if hit is None or not gives_records else [load(r) for r in hit])
        except (TypeError, ValueError, KeyError):
            out.append(None)  # an entry we cannot read is a miss, never an error
        if hit is None or out[-1] is None:
            todo.append(i)
    advance(len(records) - len(todo))
    parts = work.partitions(todo)

    def done(p: int) -> None:
        advance(len(parts[p]))

    results = work.executor.map(call_per_record if gives_records else call,
                                [(ref, method, [records[i] for i in part], *args) for part in parts], done)
    for part, values in zip(parts, results):
        if len(values) != len(part):
            raise RuntimeError(f"stage {stage.name}.{method} gave {len(values)} results for {len(part)} records")
        for i, value in zip(part, values):
            cache.put(cache_name, keys[i], [dump(r) for r in value] if gives_records else value)
            out[i] = value
    return out, len(todo)


def _cached_records(work: Work, ref: StageRef, method: str, records: list[Record], hashes: list[str],
                    cache_name: str, salt: str | None, stats: StageStats, advance: Callable[[int], None],
                    *args: Any) -> list[Record]:
    groups, computed = _cached(work, ref, method, records, hashes, cache_name, salt, advance, *args)
    stats.computed += computed
    stats.cached += len(records) - computed
    return [r for group in groups for r in group]


def run_stage(stage: Stage, ref: StageRef, records: list[Record], work: Work, stats: StageStats,
              advance: Callable[[int], None] = lambda n: None) -> list[Record]:
    """One stage on the corpus, its work on the executor's workers; `advance(n)`: n more records done."""
    hashes = digests(records) if work.cache.root else [""] * len(records)
    if stage.scope == "record":
        return _cached_records(work, ref, "run", records, hashes, stage.name, "", stats, advance)
    if not isinstance(stage, MapReduce):
        out = stage.run(records)  # the whole corpus at once, in this process
        stats.computed = len(records)
        advance(len(records))
        return out
    if hasattr(stage, "prepare"):
        records = _cached_records(work, ref, "prepare", records, hashes, f"{stage.name}-prepare", "",
                                  StageStats(stage.name), lambda n: None)
        hashes = digests(records) if work.cache.root else hashes
    learned, _ = _cached(work, ref, "learn", records, hashes, f"{stage.name}-learn", "", lambda n: None)
    decision = stage.decide(learned)
    if stage.apply_scope == "corpus":
        out = stage.apply(records, decision)
        stats.computed = len(records)
        advance(len(records))
        return out
    return _cached_records(work, ref, "apply", records, hashes, stage.name, stage.decision_key(decision), stats,
                           advance, decision)
