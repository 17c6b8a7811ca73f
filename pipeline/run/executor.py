"""Where the work runs: worker processes on this machine, or Dask distributed workers.

One executor serves a whole run, files and stages alike:

* `Local` (`[run] executor = "serial"`): a pebble process pool over the
  machine's cores (`[run] workers`, 0 = one per core), started when the files
  are read, forked after the stages are set up so that every worker already
  holds their word lists and rules; when a stage that loads a model lazily
  has records to work on, the model is loaded here and the pool forked
  again (`warm`; the load starts in a thread beside the workers once the
  files are read, `prewarm`), so the workers share one copy; a stage with a single
  partition of work runs in this process;
* `Dask` (`executor = "dask"`): a local cluster of `dask_workers` processes,
  or the existing cluster at `dask_scheduler`.  A worker sets a stage up the
  first time it is given work for it, and keeps it (models load once per
  worker); started with `--preload pipeline.run.preload`, it sets them up
  when it starts (preload.py).

A task is a chain of stage methods on one partition of records
(`chain_stored`), or a `Merges` stage's comparisons or merges; results come
back in the order of the partitions, so outputs never depend on which worker
did what.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Callable

from ..errors import FatalError
from ..record import Record
from ..stage import Settings
from .cache import CACHE_FORMAT, Cache, key
from .store import Ref, Store, refs_from

StageRef = tuple[type, Settings, str]  # the stage's class, its settings and their fingerprint

# Stages set up in this process, by reference: a worker sets each up once and keeps it for every later task.
_STAGES: dict[tuple[str, str, str], Any] = {}


def _ref_key(ref: StageRef) -> tuple[str, str, str]:
    cls, settings, fingerprint = ref
    return f"{cls.__module__}.{cls.__qualname__}", settings.section, fingerprint


def _keep(key: tuple[str, str, str], stage: Any) -> None:
    """One instance per stage and section: set up with other settings, the old one (and its models) goes."""
    for old in [k for k in _STAGES if k[:2] == key[:2] and k != key]:
        del _STAGES[old]
    _STAGES[key] = stage


def register(stage: Any, settings: Settings) -> StageRef:
    """`stage`, already set up with `settings`, as this process's instance for its reference."""
    ref = (type(stage), settings, settings.fingerprint)
    _keep(_ref_key(ref), stage)
    return ref


def stage_of(ref: StageRef) -> Any:
    key = _ref_key(ref)
    if key not in _STAGES:
        stage = ref[0]()
        stage.setup(ref[1].landed())  # settings that travelled with their data files read them from there
        _keep(key, stage)
    return _STAGES[key]


def per_record(stage: Any, method: str, records: list[Record], *args: Any) -> list[list[Record]]:
    """`method` on a partition, its output grouped by input record (for the cache): a stage that `splits` is
    called record by record, any other on the whole partition and must give one record per record."""
    fn = getattr(stage, method)
    if getattr(stage, "splits", False) and method == "run":
        return [fn([record], *args) for record in records]
    out = fn(records, *args)
    if len(out) != len(records):
        raise RuntimeError(f"stage {stage.name}.{method} gave {len(out)} records for {len(records)}: only a stage "
                           f"that splits may give more or fewer")
    return [[record] for record in out]


# The tasks a worker runs (top level, so that worker processes and Dask can call them).  Each reads its
# partition from the store, writes what it makes back, and returns refs and small values only.

@dataclass(frozen=True)
class Step:
    """One stage method in a chain of them that runs as one task per partition (records.py `run_stages`):
    `run` (a record stage), `prepare` or `apply` (a map-reduce stage's work per record) give records;
    `learn` (a map-reduce stage's summaries, last in a chain) gives one value per record.  Each record's
    result is cached under `cache_name` and a key of its content hash, the stage's version and settings,
    and `salt` (None: not cached), as when each stage ran alone."""

    sref: StageRef
    method: str
    cache_name: str
    version: str
    salt: str | None
    args: tuple[Any, ...] = ()

    def key(self, digest: str) -> str:
        return key(CACHE_FORMAT, digest, self.cache_name, self.version, self.sref[2], self.salt or "")

    @property
    def gives_records(self) -> bool:
        return self.method != "learn"


def cached_result(step: Step, cache: Cache, ref: Ref, store: Store) -> Any | None:
    """What the cache holds for `ref` at `step` (refs of its records, or a learned value), None on a miss
    (and for a step that is not cached)."""
    if step.salt is None or cache.root is None:
        return None
    hit = cache.get(step.cache_name, step.key(ref.digest))
    if hit is None or not step.gives_records:
        return hit
    return refs_from(hit, store)


def chain_stored(steps: list[Step], root: str, cache_root: str | None,
                 items: list[tuple[int, list[Ref]]]) -> tuple[list[tuple[list[Ref], list[Any] | None]], list[list[float]]]:
    """A chain of stage methods on a partition, each item (the step it enters at, its records' refs) taken
    from there to the chain's end: the records go from one step to the next in this task (each written to
    the store once, for the cache), each step's result per record looked up in the cache and stored there.
    Returns per item its refs at the end (and the values learned from them, when the chain ends with
    `learn`), and per step [computed, cached, records in, records out, seconds]."""
    store, cache = Store(root), Cache(cache_root)
    made: dict[str, Record] = {}  # the records the last step made, as the store gives them back
    counts = [[0, 0, 0, 0, 0.0] for _ in steps]
    current = [list(refs) for _, refs in items]
    learned: list[list[Any] | None] = [None] * len(items)
    for j, step in enumerate(steps):
        started = time.perf_counter()
        flat = [(n, ref) for n, (entry, _) in enumerate(items) if entry <= j for ref in current[n]]
        results = [cached_result(step, cache, ref, store) for _, ref in flat]
        todo = [x for x, value in enumerate(results) if value is None]
        if todo:
            stage = stage_of(step.sref)
            records = [made.get(flat[x][1].digest) or store.get(flat[x][1]) for x in todo]
            made_now: dict[str, Record] = {}
            if step.gives_records:
                outputs = []
                for group in per_record(stage, step.method, records, *step.args):
                    refs = []
                    for record in group:
                        ref, back = store.keep(record)
                        made_now[ref.digest] = back
                        refs.append(ref)
                    outputs.append(refs)
            else:
                outputs = stage.learn(records)
            if len(outputs) != len(todo):
                raise RuntimeError(f"stage {stage.name}.{step.method} gave {len(outputs)} results for {len(todo)} "
                                   "records")
            for x, value in zip(todo, outputs):
                if step.salt is not None:
                    cache.put(step.cache_name, step.key(flat[x][1].digest),
                              [list(r) for r in value] if step.gives_records else value)
                results[x] = value
            made = made_now  # what the next step reads; older records are in the store
        else:
            made = {}
        for n in (n for n, (entry, _) in enumerate(items) if entry <= j):
            if step.gives_records:
                current[n] = []
            else:
                learned[n] = []
        for (n, _), value in zip(flat, results):
            if step.gives_records:
                current[n].extend(value)
            else:
                learned[n].append(value)
        produced = sum(len(v) for v in results) if step.gives_records else len(results)
        counts[j] = [len(todo), len(flat) - len(todo), len(flat), produced, time.perf_counter() - started]
    return [(refs, values) for refs, values in zip(current, learned)], counts


def compare_stored(ref: StageRef, root: str, pairs: list[tuple[Ref, Ref]]) -> list[Any]:
    """A `Merges` stage's `compare` on a partition of candidate pairs of stored records."""
    store = Store(root)
    loaded: dict[str, Record] = {}

    def get(r: Ref) -> Record:
        if r.digest not in loaded:
            loaded[r.digest] = store.get(r)
        return loaded[r.digest]

    return stage_of(ref).compare([(get(a), get(b)) for a, b in pairs])


def merge_stored(ref: StageRef, root: str, groups: list[tuple[list[Ref], Any]]) -> list[Ref]:
    """A `Merges` stage's `merge` on a partition of groups of stored records: one ref per group."""
    store = Store(root)
    stage = stage_of(ref)
    return [store.put(stage.merge(store.get_all(refs), group)) for refs, group in groups]


def partitions(items: list[Any], workers: int, size: int, min_size: int) -> list[list[Any]]:
    """`items` in consecutive partitions: at most `size` each, at least `min_size` (a partition costs a round
    trip to a worker), enough of them for every worker to have one, and as many as the workers can take in
    whole rounds, of even sizes: 925 records on 2 workers are 4 partitions of 232 or 231, not 256, 256, 256
    and 157 (where one worker waits for the other through the last round)."""
    if not items:
        return []
    workers = max(1, workers)
    per = max(1, min(size, max(min_size, math.ceil(len(items) / workers))))
    count = math.ceil(len(items) / per)
    if count > workers:
        count = workers * math.ceil(count / workers)
    # even sizes: the first len % count partitions have one more item
    base, extra = divmod(len(items), count)
    bounds = [0]
    for n in range(count):
        bounds.append(bounds[-1] + base + (n < extra))
    return [items[a:b] for a, b in pairwise(bounds) if b > a]


def _in_order(futures: list[Any], done: Callable[[int], None]) -> list[Any]:
    """The futures' results in their order, `done(i)` told as each is in (a task's error is raised here)."""
    out = []
    for i, future in enumerate(futures):
        out.append(future.result())
        done(i)
    return out


class _LoadsBeforeFork:
    """What both executors do with a stage's models when their workers are forked from this process: load
    them here, in a thread while the workers run the stages before it, then fork workers that share them
    (copy-on-write) instead of each loading its own."""

    workers: int
    _loading: dict[tuple[str, str, str], Any]

    def prewarm(self, ref: StageRef) -> None:
        """Start loading what the stage loads lazily (a model) in a thread of this process, while the workers
        run the stages before it: the load no longer stands alone between two stages with idle workers.
        Only with several workers (one worker runs its tasks in this process, where the thread would only
        take turns with it) and only once the files are read (no worker is forked while the thread runs:
        the workers are not replaced during the stages' work)."""
        stage = stage_of(ref)
        if self.workers > 1 and hasattr(stage, "warm") and _ref_key(ref) not in self._loading:
            import threading

            loaded: list[bool] = []
            thread = threading.Thread(target=lambda: loaded.append(stage.warm()), name=f"warm-{stage.name}",
                                      daemon=True)
            thread.start()
            self._loading[_ref_key(ref)] = (thread, loaded)

    def _load(self, ref: StageRef, forks: bool) -> bool:
        """Before a stage's work is mapped: what the stage loads lazily (a model) is loaded here (or its
        `prewarm` thread is waited for).  When the work will be forked out (`forks`: more than one task),
        the stage also loads what it would otherwise read bit by bit as texts ask for it
        (`warm(shared=True)`: lingua's models), once here instead of once in each worker; a work of one
        task runs here and reads only what its texts need.  True when something new was loaded: workers
        forked before it should be let go, so that the next ones share it."""
        stage = stage_of(ref)
        if not hasattr(stage, "warm"):
            return False
        started = self._loading.pop(_ref_key(ref), None)
        fresh = False
        if started is not None:
            thread, loaded = started
            thread.join()
            fresh = bool(loaded and loaded[0])
        # what the thread did not load (nothing, when it failed: a failure here stops the run with its
        # reason), and with a fork ahead what the workers would each read bit by bit
        return stage.warm(shared=forks and self.workers > 1) or fresh

    def _join_loads(self) -> None:
        for thread, _ in self._loading.values():  # a load no stage asked for: no thread outlives the run
            thread.join()
        self._loading.clear()


class Local(_LoadsBeforeFork):
    """Worker processes of this machine (pebble, forked), started at the first task that needs them."""

    def __init__(self, workers: int):
        self.workers = workers or os.cpu_count() or 1
        self._pool: Any = None
        self._loading = {}  # stage -> the thread loading its model

    def pool(self) -> Any:
        if self._pool is None:
            import multiprocessing

            from pebble import ProcessPool

            self._pool = ProcessPool(max_workers=self.workers, context=multiprocessing.get_context("fork"))
        return self._pool

    def map(self, fn: Callable[..., Any], tasks: list[tuple[Any, ...]], done: Callable[[int], None]) -> list[Any]:
        """`fn(*task)` for every task, results in the order of the tasks; `done(i)` as task i finishes
        (in order).  One task, or one worker, runs in this process: nothing to share."""
        if len(tasks) <= 1 or self.workers == 1:
            out = []
            for i, task in enumerate(tasks):
                out.append(fn(*task))
                done(i)
            return out
        return _in_order([self.pool().schedule(fn, args=task) for task in tasks], done)

    def warm(self, ref: StageRef, forks: bool = True) -> None:
        """The stage's models loaded here (`_load`); the pool forked before them is let go, so that the
        next map forks workers that share them."""
        if self._load(ref, forks) and self.workers > 1:
            self.close()

    def close(self) -> None:
        self._join_loads()  # no worker is forked while a load runs
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


class Dask(_LoadsBeforeFork):
    """Dask distributed workers: a local cluster the run starts, or an existing one at `scheduler`."""

    def __init__(self, scheduler: str, workers: int):
        from dask.distributed import Client

        self._loading = {}
        self._own = not scheduler
        self._settings: Any = None  # the dask settings of the cluster the run started, undone at its close
        if scheduler:
            self.client = Client(scheduler, timeout="10s")
        else:
            self.client = self._start(workers, "spawn")
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)

    def _start(self, workers: int, method: str) -> Any:
        """A local cluster of `workers` processes, started by `method` ("spawn": each imports what it needs;
        "fork": each shares what this process has loaded).  The settings hold for the cluster's whole life:
        a worker that dies is started again by its nanny, which reads them again then."""
        import dask
        from dask.distributed import Client, LocalCluster

        # Non-daemon workers may start the child process that a file's time limit can kill.
        self._settings = dask.config.set({"distributed.worker.daemon": False,
                                          "distributed.worker.multiprocessing-method": method})
        return Client(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"))

    def prewarm(self, ref: StageRef) -> None:
        """With a cluster the run started, as the local executor does; a cluster already running loads its
        models in its workers (at their first task, or as they start: `dask worker --preload
        pipeline.run.preload`) and keeps them."""
        if self._own:
            super().prewarm(ref)

    def warm(self, ref: StageRef, forks: bool = True) -> None:
        """With a cluster the run started: the stage's models loaded here, then the cluster started again
        with workers forked from this process, which share them, instead of each worker loading its own
        (spaCy, the gazetteer and lingua: seconds of CPU each, at its first task).  Every task runs on a
        worker, a work of one task too (`forks` is the local executor's question), so the load is always
        for workers."""
        if self._own and self._load(ref, forks=True):
            self.close()  # no worker is forked while a load runs
            self.client = self._start(self.workers, "fork")

    def map(self, fn: Callable[..., Any], tasks: list[tuple[Any, ...]], done: Callable[[int], None]) -> list[Any]:
        futures = [self.client.submit(_on_worker, fn, *task, pure=False) for task in tasks]
        out = _in_order(futures, done)
        for result in out:
            if isinstance(result, WorkerFailed):
                for future in futures:
                    future.cancel()
                raise FatalError(str(result))
        return out

    def close(self) -> None:
        self._join_loads()
        cluster = getattr(self.client, "cluster", None)
        self.client.close()
        if cluster is not None:
            cluster.close()
        if self._settings is not None:
            self._settings.__exit__(None, None, None)
            self._settings = None


class WorkerFailed:
    """What a Dask task gives instead of its result when it fails: the worker and the cause, in one line."""

    def __init__(self, worker: str, cause: BaseException):
        self.worker = worker
        self.cause = f"{type(cause).__name__}: {cause}".splitlines()[0][:300]

    def __str__(self) -> str:
        return f"Dask worker {self.worker} failed: {self.cause}"


def _on_worker(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)` on a Dask worker; a failure comes back as a `WorkerFailed` naming the worker (the run then
    stops with that one line, never a traceback from another machine)."""
    try:
        return fn(*args)
    except Exception as exc:  # any failure of a task: the run stops, said in one line
        try:
            from dask.distributed import get_worker

            worker = get_worker().address
        except (ImportError, ValueError):
            worker = "?"
        return WorkerFailed(worker, exc)


def executor_for(run_cfg: dict[str, Any]) -> Local | Dask:
    if run_cfg["executor"] == "dask":
        return Dask(run_cfg["dask_scheduler"], run_cfg["dask_workers"])
    return Local(run_cfg["workers"])
