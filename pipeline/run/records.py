"""Records through the stages, on the executor's workers, as refs to the store (store.py).

The main process holds one `Ref` per record (its content hash, id, path and
place), never a record's text.  Each stage's work is a task per partition
of refs: a worker reads the records from the store, runs the stage, writes
its output back and returns refs and small summaries.

* a record stage is mapped over partitions of the records its cache does not hold;
* a corpus stage that is a `MapReduce` (pipeline/stage.py) is prepared per record (cached), learned per
  record (cached), decided in one place from the summaries, then applied per partition (cached per
  record under its decision), group by group (a `Merges` stage: candidate pairs compared and groups
  merged on the workers; only indexes and similarities meet here), or on the whole corpus;
* any other corpus stage runs on the whole corpus in this process (it reads every record).

The stage cache maps a record's content hash (and the stage's version, settings and decision) to the refs
of what the stage made of it; an entry whose records are no longer in the store is a miss.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any, Callable

from ..stage import MapReduce, Merges, Stage
from .cache import CACHE_FORMAT, Cache, key
from .executor import Dask, Local, StageRef, call_stored, compare_stored, merge_stored, partitions
from .store import Ref, Store, refs_from


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


def unique_ids(refs: list[Ref], store: Store) -> list[Ref]:
    """Identical files at two paths give identical ids; keep ids unique (source order decides).  The few
    records renamed are read, renamed and written back to the store here."""
    seen: set[str] = set()
    out = []
    for ref in sorted(refs, key=lambda r: r.order):
        if ref.id in seen:
            suffix = hashlib.sha256(ref.path.encode()).hexdigest()[:6]
            record = store.get(ref)
            ref = store.put(replace(record, id=f"{record.id}-{suffix}"))
        seen.add(ref.id)
        out.append(ref)
    return out


@dataclass
class Work:
    """What every stage's work needs: where it runs, how records are cut into partitions, the stage cache
    and the record store."""

    executor: Local | Dask
    cache: Cache
    partition_records: int
    min_partition_records: int
    store: Store

    def partitions(self, items: list[Any]) -> list[list[Any]]:
        return partitions(items, self.executor.workers, self.partition_records, self.min_partition_records)

    def map(self, fn: Callable[..., Any], items: list[Any], make_task: Callable[[list[Any]], tuple[Any, ...]],
            advance: Callable[[int], None] = lambda n: None) -> list[Any]:
        """`fn` over `items` in partitions (each task made by `make_task(partition)`), results flattened in
        the items' order; `advance(n)` as each partition is in."""
        parts = self.partitions(items)
        results = self.executor.map(fn, [make_task(part) for part in parts], lambda p: advance(len(parts[p])))
        out: list[Any] = []
        for part, values in zip(parts, results):
            if len(values) != len(part):
                raise RuntimeError(f"{fn.__name__} gave {len(values)} results for {len(part)} items")
            out.extend(values)
        return out


def _cached(work: Work, sref: StageRef, method: str, refs: list[Ref], cache_name: str, salt: str | None,
            advance: Callable[[int], None], *args: Any) -> tuple[list[Any], int]:
    """`method` of the stage on every record, on the workers, one result per record, each cached under
    `cache_name` and a key made of the record's content hash and `salt` (what else the result depends on,
    e.g. a corpus decision; None: not cached).  `learn` gives JSON values; the other methods give the refs
    of each record's output records.  Returns the results and how many were computed."""
    stage = sref[0]
    cache = work.cache if salt is not None else Cache(None)
    gives_records = method != "learn"
    keys = [key(CACHE_FORMAT, r.digest, cache_name, stage.version, sref[2], salt) if cache.root else ""
            for r in refs]
    out: list[Any] = []
    todo: list[int] = []
    for i, k in enumerate(keys):
        hit = cache.get(cache_name, k)
        value = refs_from(hit, work.store) if hit is not None and gives_records else hit
        out.append(value)
        if value is None:
            todo.append(i)
    advance(len(refs) - len(todo))
    if todo and gives_records:
        work.executor.warm(sref)  # a model the work needs, loaded once before the workers fork
    results = work.map(call_stored, todo, lambda part: (sref, method, work.store.root, [refs[i] for i in part],
                                                        *args), advance)
    for i, value in zip(todo, results):
        cache.put(cache_name, keys[i], [list(r) for r in value] if gives_records else value)
        out[i] = value
    return out, len(todo)


def _cached_refs(work: Work, sref: StageRef, method: str, refs: list[Ref], cache_name: str, salt: str | None,
                 stats: StageStats, advance: Callable[[int], None], *args: Any) -> list[Ref]:
    groups, computed = _cached(work, sref, method, refs, cache_name, salt, advance, *args)
    stats.computed += computed
    stats.cached += len(refs) - computed
    return [r for group in groups for r in group]


def _merged(stage: Merges, sref: StageRef, refs: list[Ref], decision: Any, work: Work, stats: StageStats,
            advance: Callable[[int], None]) -> list[Ref]:
    """A `Merges` stage after its decision: candidate pairs compared and groups merged on the workers."""
    pairs = decision[1] if decision else []
    values = work.map(compare_stored, pairs, lambda part: (sref, work.store.root,
                                                           [(refs[i], refs[j]) for i, j in part]))
    groups = stage.group(len(refs), decision, values)
    merged = work.map(merge_stored, groups, lambda part: (sref, work.store.root,
                                                          [([refs[i] for i in g[0]], g) for g in part]))
    out: list[Ref | None] = list(refs)
    for group, ref in zip(groups, merged):
        indexes = group[0]
        out[indexes[0]] = ref
        for i in indexes[1:]:
            out[i] = None
    stats.computed = len(refs)
    advance(len(refs))
    return sorted((r for r in out if r is not None), key=lambda r: r.id)


def run_stage(stage: Stage, sref: StageRef, refs: list[Ref], work: Work, stats: StageStats,
              advance: Callable[[int], None] = lambda n: None) -> list[Ref]:
    """One stage on the corpus, its work on the executor's workers; `advance(n)`: n more records done."""
    if stage.scope == "record":
        return _cached_refs(work, sref, "run", refs, stage.name, "", stats, advance)
    if not isinstance(stage, MapReduce):
        out = work.store.put_all(stage.run(work.store.get_all(refs)))  # the whole corpus, in this process
        stats.computed = len(refs)
        advance(len(refs))
        return out
    if hasattr(stage, "prepare"):
        refs = _cached_refs(work, sref, "prepare", refs, f"{stage.name}-prepare", "", StageStats(stage.name),
                            lambda n: None)
    learned, _ = _cached(work, sref, "learn", refs, f"{stage.name}-learn", "", lambda n: None)
    decision = stage.decide(learned)
    del learned
    if stage.apply_scope == "groups" and isinstance(stage, Merges):
        return _merged(stage, sref, refs, decision, work, stats, advance)
    if stage.apply_scope == "corpus":
        out = work.store.put_all(stage.apply(work.store.get_all(refs), decision))
        stats.computed = len(refs)
        advance(len(refs))
        return out
    salt = stage.decision_key(decision)
    if salt is not None:
        salt = hashlib.sha256(salt.encode()).hexdigest()
    return _cached_refs(work, sref, "apply", refs, stage.name, salt, stats, advance, decision)
