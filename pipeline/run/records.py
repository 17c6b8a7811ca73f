"""Records through the stages, on the executor's workers, as refs to the store (store.py).

The main process holds one `Ref` per record (its content hash, id, path and
place), never a record's text.  The stages' per-record work is fused into
chains (`run_stages`), each a task per partition of refs: a worker reads the
records from the store, runs the chain's steps one after the other, writes
each step's output back and returns refs and small summaries.

* a record stage is a step of the chain it falls in, mapped over the records its cache does not hold;
* a corpus stage that is a `MapReduce` (pipeline/stage.py) is prepared per record (cached), learned per
  record (cached) at the end of a chain, decided in one place from the summaries, then applied per
  partition (cached per record under its decision; the first step of the next chain), group by group
  (a `Merges` stage: candidate pairs compared and groups merged on the workers; only indexes and
  similarities meet here), or on the whole corpus;
* any other corpus stage runs on the whole corpus in this process (it reads every record).

The stage cache maps a record's content hash (and the stage's version, settings and decision) to the refs
of what the stage made of it; an entry whose records are no longer in the store is a miss.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from typing import Any, Callable

from ..stage import MapReduce, Merges, Stage
from .cache import Cache
from .executor import (Dask, Local, StageRef, Step, cached_result, chain_stored, compare_stored, merge_stored,
                       partitions)
from .store import Ref, Store


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
    """One stage on the corpus (its record work a chain of its own); `advance(n)`: n more records done."""
    return run_stages([stage], [sref], refs, work, {stage.name: stats}, lambda names, total: advance)


def run_stages(stages: list[Stage], srefs: list[StageRef], refs: list[Ref], work: Work,
               stats: dict[str, StageStats], progress: Callable[[list[str], int], Callable[[int], None]]
               ) -> list[Ref]:
    """The stages on the corpus, their work on the executor's workers, consecutive per-record work fused:
    record stages, a map-reduce stage's `apply` and the `prepare` and `learn` of the next one run as one
    chain, one task per partition (datatrove's shape: a pipeline over a shard), the cache still per record
    and per stage.  What needs the whole corpus (a decision, merging groups) ends a chain.
    `progress(names, total)` gives the `advance(n)` of a chain's bar."""
    chain: list[tuple[Stage, Step]] = []
    learned: list[Any] | None = None

    def flush() -> None:
        nonlocal refs, learned, chain
        if chain:
            refs, learned = _run_chain(chain, refs, work, stats, progress)
        chain = []

    for stage, sref in zip(stages, srefs):
        st = stats[stage.name]
        if stage.scope == "record":
            chain.append((stage, Step(sref, "run", stage.name, stage.version, "")))
            continue
        if not isinstance(stage, MapReduce):
            flush()
            refs = _whole(st, refs, lambda: work.store.put_all(stage.run(work.store.get_all(refs))))
            continue
        if hasattr(stage, "prepare"):
            chain.append((stage, Step(sref, "prepare", f"{stage.name}-prepare", stage.version, "")))
        chain.append((stage, Step(sref, "learn", f"{stage.name}-learn", stage.version, "")))
        flush()
        decision = stage.decide(learned or [])
        learned = None
        if stage.apply_scope == "groups" and isinstance(stage, Merges):
            started = time.perf_counter()
            refs = _merged(stage, sref, refs, decision, work, st, progress([stage.name], len(refs)))
            st.records_out = len(refs)
            _timed(st, started)
        elif stage.apply_scope == "corpus":
            refs = _whole(st, refs, lambda: work.store.put_all(stage.apply(work.store.get_all(refs), decision)))
        else:
            salt = stage.decision_key(decision)
            salt = hashlib.sha256(salt.encode()).hexdigest() if salt is not None else None
            chain.append((stage, Step(sref, "apply", stage.name, stage.version, salt, (decision,))))
    flush()
    return refs


def _whole(st: StageStats, refs: list[Ref], work: Callable[[], list[Ref]]) -> list[Ref]:
    """A stage's work on the whole corpus, in this process."""
    started = time.perf_counter()
    st.records_in = st.records_in or len(refs)
    out = work()
    st.computed, st.records_out = len(refs), len(out)
    _timed(st, started)
    return out


def _timed(st: StageStats, started: float) -> None:
    st.started = st.started or started
    st.ended = time.perf_counter()
    st.seconds += st.ended - started


def _run_chain(chain: list[tuple[Stage, Step]], refs: list[Ref], work: Work, stats: dict[str, StageStats],
               progress: Callable[[list[str], int], Callable[[int], None]]) -> tuple[list[Ref], list[Any] | None]:
    """A chain of steps over every record: what the cache holds is followed here, record by record, as far
    as it goes; each record is sent to the workers from the first step the cache lacks (chain_stored)."""
    started = time.perf_counter()
    steps = [step for _, step in chain]
    names = list(dict.fromkeys(stage.name for stage, _ in chain))
    counts = [[0, 0, 0, 0, 0.0] for _ in steps]
    finals: list[tuple[list[Ref], list[Any] | None] | None] = []
    todo: list[tuple[int, int, list[Ref]]] = []
    for i, ref in enumerate(refs):
        current, values, entry = [ref], None, None
        for j, step in enumerate(steps):
            hits = []
            for r in current:
                hit = cached_result(step, work.cache, r, work.store)
                if hit is None:
                    break
                hits.append(hit)
            if len(hits) < len(current):
                entry = j
                break
            counts[j][1] += len(current)
            counts[j][2] += len(current)
            if step.gives_records:
                current = [r for group in hits for r in group]
                counts[j][3] += len(current)
            else:
                values = hits
                counts[j][3] += len(hits)
        finals.append((current, values) if entry is None else None)
        if entry is not None:
            todo.append((i, entry, current))
    advance = progress(names, len(refs))
    advance(len(refs) - len(todo))
    if todo:
        first = min(entry for _, entry, _ in todo)
        parts = work.partitions(todo)
        for step in steps[first:]:  # a model the work needs, loaded once before the workers fork
            work.executor.warm(step.sref, forks=len(parts) > 1)
        cache_root = str(work.cache.root) if work.cache.root else None
        results = work.executor.map(chain_stored, [(steps, work.store.root, cache_root,
                                                    [(entry, current) for _, entry, current in part])
                                                   for part in parts],
                                    lambda n: advance(len(parts[n])))
        for part, (items, task_counts) in zip(parts, results):
            if len(items) != len(part):
                raise RuntimeError(f"a chain gave {len(items)} results for {len(part)} records")
            for (i, _, _), item in zip(part, items):
                finals[i] = item
            for j, c in enumerate(task_counts):
                counts[j] = [a + b for a, b in zip(counts[j], c)]
    out = [r for final in finals for r in final[0]]  # type: ignore[index]
    learned = [v for final in finals for v in (final[1] or [])] if not steps[-1].gives_records else None
    _chain_stats(chain, counts, stats, started)
    return out, learned


def _chain_stats(chain: list[tuple[Stage, Step]], counts: list[list[float]], stats: dict[str, StageStats],
                 started: float) -> None:
    """Each stage's share of a chain: its records in and out, computed and cached (its `run` or `apply`),
    and the chain's wall time split by the time its steps took on the workers (one after the other)."""
    wall = time.perf_counter() - started
    work_seconds = sum(c[4] for c in counts)
    at = started
    for (stage, step), (computed, cached, n_in, n_out, seconds) in zip(chain, counts):
        st = stats[stage.name]
        if step.method in ("run", "prepare") or (step.method == "learn" and not st.records_in):
            st.records_in = st.records_in or int(n_in)
        if step.method in ("run", "apply"):
            st.computed += int(computed)
            st.cached += int(cached)
            st.records_out = int(n_out)
            st.records_in = st.records_in or int(n_in)
        share = wall * (seconds / work_seconds if work_seconds else 1 / len(chain))
        st.started = st.started or at
        at += share
        st.ended = at
        st.seconds += share
