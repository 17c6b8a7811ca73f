"""Run the pipeline over a RAW_DIR and write CLEAN_DIR: the I/O edge of glaneur.

* Files are found recursively and sorted; names matching `[extract] skip`
  are listed as `skipped`.
* File-scoped stages (extract) run per file, each result cached under a key from
  the file's bytes and path, the stage version and its config; a file that
  cannot be read is `quarantined` with its reason and the run goes on.
  With `[run] executor = "dask"` files are spread over Dask distributed
  workers (a local cluster, or `dask_scheduler` for an existing one).
* Corpus stages (repair, deduplicate) run on everything; record stages
  (segment, classify) per record, cached.
* Outputs are written to a temporary folder beside CLEAN_DIR and swapped in at
  the end, so an interrupted run leaves the previous CLEAN_DIR whole.  When the
  inputs, config and code are those of the existing CLEAN_DIR, nothing is
  rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .cache import Cache, key
from .config import Config
from .discover import Found, discover, read_regular
from .errors import FatalError
from .extract import RawFile, Unreadable, detect_format
from .outdir import check_out_dir, discard_tmp, make_tmp, recover, swap
from .outputs import OUTPUT_FILES, write_outputs
from .validate import check_runtime
from .record import Record, dump, load
from .stage import Reader, Settings, Stage
from .stages import build


# Bumped whenever what the cache stores changes shape, so old entries are never read.
CACHE_FORMAT = "3"


@dataclass
class StageStats:
    name: str
    files: int = 0
    records_in: int = 0
    records_out: int = 0
    computed: int = 0
    cached: int = 0
    seconds: float = 0.0


@dataclass
class RunResult:
    out_dir: Path
    up_to_date: bool
    manifest: dict[str, Any]
    stats: list[StageStats] = field(default_factory=list)


def process_file(found: Found, reader: Reader, settings: Settings, cache_root: str | None) -> dict[str, Any]:
    """All file-scoped stages on one file.  Top-level so that worker processes can run it.

    Never raises: a file that cannot be read, or whose reader fails in a way
    nobody foresaw, is quarantined with a one-line reason."""
    rel = found.rel
    result: dict[str, Any] = {"path": rel, "sha256": None, "format": detect_format(rel), "status": "ok",
                              "reason": None, "records": [], "stages": {}, "extracted": None}
    try:
        return _process_file(found, reader, settings, cache_root, result)
    except Exception as exc:  # a reader's bug must not end the run: the file is quarantined, the run goes on
        result.update(status="quarantined", records=[], reason=f"unexpected error while reading: "
                      f"{exc.__class__.__name__}: {' '.join(str(exc).split())[:200]}")
        return result


def _process_file(found: Found, reader: Reader, settings: Settings, cache_root: str | None,
                  result: dict[str, Any]) -> dict[str, Any]:
    cache = Cache(Path(cache_root) if cache_root else None)
    try:
        data = read_regular(found.fs_path, int(settings["max_file_mb"] * 1024 * 1024))
    except Unreadable as exc:
        result.update(status="quarantined", reason=str(exc))
        return result
    raw = RawFile(found.rel, data)
    result["sha256"] = raw.sha256
    started = time.perf_counter()
    entry = key(CACHE_FORMAT, raw.sha256, found.rel, reader.name, reader.version, settings.fingerprint)
    hit = cache.get(reader.name, entry)
    records: list[Record] | None = None
    if hit is not None and "reason" in hit:
        result.update(status="quarantined", reason=hit["reason"])
        result["stages"][reader.name] = {"cached": True, "seconds": time.perf_counter() - started}
        return result
    if hit is not None:
        try:
            records = [load(r) for r in hit["records"]]
        except (TypeError, ValueError, KeyError):
            hit = None  # unreadable entry: recompute
    if hit is None:
        try:
            records = reader.read(raw)
        except Unreadable as exc:
            cache.put(reader.name, entry, {"reason": str(exc)})
            result.update(status="quarantined", reason=str(exc))
            result["stages"][reader.name] = {"cached": False, "seconds": time.perf_counter() - started}
            return result
        cache.put(reader.name, entry, {"records": [dump(r) for r in records]})
    if records:
        source = records[0].source
        result["extracted"] = {"extraction": source.extraction, "encoding": source.encoding,
                               "pages": source.pages, "ocr_pages": source.ocr_pages,
                               "ocr_confidence": source.ocr_confidence}
    result["stages"][reader.name] = {"cached": hit is not None, "seconds": time.perf_counter() - started,
                                     "records": len(records or [])}
    result["records"] = [dump(r) for r in records or []]
    return result


def _timed_out(found: Found, seconds: float) -> dict[str, Any]:
    return {"path": found.rel, "sha256": None, "format": detect_format(found.rel), "status": "quarantined",
            "reason": f"reading took longer than file_seconds={seconds:g} (config [extract]): stopped",
            "records": [], "stages": {}, "extracted": None}


def _crashed(found: Found, exc: BaseException) -> dict[str, Any]:
    return {"path": found.rel, "sha256": None, "format": detect_format(found.rel), "status": "quarantined",
            "reason": f"the reader process died ({exc.__class__.__name__}: {' '.join(str(exc).split())[:120]})",
            "records": [], "stages": {}, "extracted": None}


def _guarded_result(future: Any, found: Found, seconds: float) -> dict[str, Any]:
    """The result of a file's work in a worker process, or its quarantine when it ran out of time or died."""
    from concurrent.futures import TimeoutError as FutureTimeout

    try:
        return future.result()
    except FutureTimeout:
        return _timed_out(found, seconds)
    except Exception as exc:  # pebble.ProcessExpired: a segfault or an out-of-memory kill in a reader
        return _crashed(found, exc)


def _pool(workers: int) -> Any:
    """Worker processes that a file's work can be stopped in: a hung reader is killed, the pool goes on."""
    import multiprocessing

    from pebble import ProcessPool

    return ProcessPool(max_workers=workers, context=multiprocessing.get_context("fork"))


_WORKER_POOL: Any = None


def process_file_guarded(found: Found, reader: Reader, settings: Settings, cache_root: str | None) -> dict[str, Any]:
    """`process_file` under the per-file time limit, in a child of this process (for Dask workers)."""
    global _WORKER_POOL
    seconds = settings["file_seconds"]
    if _WORKER_POOL is None:
        _WORKER_POOL = _pool(1)
    return _guarded_result(_WORKER_POOL.submit(process_file, seconds, found, reader, settings, cache_root),
                           found, seconds)


def _workers(run_cfg: dict[str, Any]) -> int:
    return run_cfg["workers"] or os.cpu_count() or 1


def _run_files(found: list[Found], reader: Reader, config: Config, cache_root: str | None,
               progress: bool) -> list[dict[str, Any]]:
    run_cfg = config.section("run")
    settings = config.settings(reader.name)
    seconds = settings["file_seconds"]
    show = progress and len(found) >= run_cfg["progress_min_files"]

    def bar(iterable: Any, total: int) -> Any:
        if not show:
            return iterable
        from tqdm import tqdm

        return tqdm(iterable, total=total, desc="files", unit="file", file=sys.stderr, disable=None)

    if not found:
        return []
    if run_cfg["executor"] == "dask":
        import dask
        from dask.distributed import Client, LocalCluster, as_completed

        if run_cfg["dask_scheduler"]:
            client = Client(run_cfg["dask_scheduler"], timeout="10s")
        else:
            # Non-daemon workers may start the child process that a file's time limit can kill.
            with dask.config.set({"distributed.worker.daemon": False}):
                client = Client(LocalCluster(n_workers=run_cfg["dask_workers"], threads_per_worker=1,
                                             processes=True, dashboard_address=":0"))
        with client:
            futures = [client.submit(process_file_guarded, f, reader, settings, cache_root, pure=False)
                       for f in found]
            results = [future.result() for future in bar(as_completed(futures), len(futures))]
        return sorted(results, key=lambda r: r["path"])
    with _pool(min(_workers(run_cfg), len(found))) as pool:
        futures = [pool.submit(process_file, seconds, f, reader, settings, cache_root) for f in found]
        return [_guarded_result(future, f, seconds) for future, f in bar(zip(futures, found), len(found))]


def _unique_ids(records: list[Record]) -> list[Record]:
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


def _run_records(stage: Stage, records: list[Record], fingerprint: str, cache: Cache, stats: StageStats) -> list[Record]:
    """A record-scoped stage, cached per input record.

    A stage that `splits` (one record in, several out) is called record by
    record; the others get all cache misses in one batch (spaCy wants batches).
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
    if todo:
        if stage.splits:
            fresh = [stage.run([records[i]]) for i in todo]
        else:
            batch = stage.run([records[i] for i in todo])
            if len(batch) != len(todo):
                raise RuntimeError(f"stage {stage.name} gave {len(batch)} records for {len(todo)}: a stage that does "
                                   f"not split gives one record per record")
            fresh = [[r] for r in batch]
        for i, produced in zip(todo, fresh):
            cache.put(stage.name, keys[i], [dump(r) for r in produced])
            out[i] = produced
    stats.computed, stats.cached = len(todo), len(records) - len(todo)
    return [r for group in out if group is not None for r in group]


def fingerprint(files: list[tuple[str, str | None]], skipped: list[tuple[str, str]], config: Config,
                steps: list[Any]) -> str:
    payload = {
        "version": __version__,
        "cache_format": CACHE_FORMAT,
        "stages": [(s.name, s.version) for s in steps],
        # [run] says how to run (executor, cache, workers), not what comes out: it never makes outputs stale
        "config": config.fingerprint(*(name for name in config.sections if name != "run")),
        "files": files,
        "skipped": skipped,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _check_raw_dir(raw_dir: Path) -> None:
    if not raw_dir.is_dir():
        raise FatalError(f"RAW_DIR {raw_dir} is not a readable folder")
    if not os.access(raw_dir, os.R_OK | os.X_OK):
        raise FatalError(f"RAW_DIR {raw_dir} is not readable")


def _quick_hash(found: Found, max_bytes: int) -> str | None:
    try:
        return hashlib.sha256(read_regular(found.fs_path, max_bytes)).hexdigest()
    except Unreadable:
        return None


def run(raw_dir: Path, out_dir: Path, config: Config, *, use_cache: bool = True, progress: bool = True,
        log: TextIO | None = sys.stderr, force: bool = False) -> RunResult:
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    _check_raw_dir(raw_dir)
    for line in recover(out_dir):
        if log:
            print(f"glaneur: {line}", file=log)
    check_out_dir(raw_dir, out_dir)
    check_runtime(config)
    reader, stages = build(config)  # rules and word lists read, order checked: before any work
    cache_root = str(Path(config.section("run")["cache_dir"]).resolve()) if use_cache else None
    extract_cfg = config.section("extract")
    found, skipped = discover(raw_dir, extract_cfg["skip"],
                              exclude=(out_dir,) + ((Path(cache_root),) if cache_root else ()))
    max_bytes = int(extract_cfg["max_file_mb"] * 1024 * 1024)
    hashes = [(f.rel, _quick_hash(f, max_bytes)) for f in found]
    run_id = fingerprint(hashes, skipped, config, [reader, *stages])
    manifest_path = out_dir / "manifest.json"
    if not force and manifest_path.exists() and all((out_dir / name).exists() for name in OUTPUT_FILES):
        try:
            previous = json.loads(manifest_path.read_text("utf-8"))
        except ValueError:
            previous = {}
        if previous.get("fingerprint") == run_id:
            if log:
                print(f"glaneur: {out_dir} is up to date ({len(found)} files unchanged)", file=log)
            return RunResult(out_dir, True, previous)

    tmp = make_tmp(out_dir)  # before any work: an unwritable CLEAN_DIR is found now, not at the end
    try:
        return _run_into(tmp, reader, stages, out_dir, found, skipped, run_id, config, cache_root, progress, log)
    finally:
        discard_tmp(tmp)  # gone once swapped in; after a failure, never left behind


def _run_into(tmp: Path, reader: Reader, stages: list[Stage], out_dir: Path, found: list[Found],
              skipped: list[tuple[str, str]],
              run_id: str, config: Config, cache_root: str | None, progress: bool,
              log: TextIO | None) -> RunResult:
    cache = Cache(Path(cache_root) if cache_root else None)
    started = time.perf_counter()
    results = _run_files(found, reader, config, cache_root, progress)
    stats = {s.name: StageStats(s.name) for s in [reader, *stages]}
    for result in results:
        for name, info in result["stages"].items():
            st = stats[name]
            st.files += 1
            st.seconds += info["seconds"]
            st.records_out += info.get("records", 0)
            if info["cached"]:
                st.cached += 1
            else:
                st.computed += 1
    records = _unique_ids([load(r) for res in results for r in res["records"]])

    for stage in stages:
        st = stats[stage.name]
        st.records_in = len(records)
        t0 = time.perf_counter()
        if stage.scope == "record":
            records = _run_records(stage, records, config.settings(stage.name).fingerprint, cache, st)
        else:
            records = stage.run(records)
            st.computed = 1
        st.seconds = time.perf_counter() - t0
        st.records_out = len(records)
    records.sort(key=lambda r: r.id)

    manifest = build_manifest(results, skipped, records, run_id)
    try:
        write_outputs(tmp, records, manifest)
        from .report import run_js

        # The one file that differs between two runs of the same input: this run's timings.
        (tmp / "run.js").write_text(run_js(list(stats.values()), time.perf_counter() - started), "utf-8")
        swap(tmp, out_dir)
    except OSError as exc:
        raise FatalError(f"cannot write CLEAN_DIR {out_dir}: {exc.strerror or exc}") from None
    result = RunResult(out_dir, False, manifest, list(stats.values()))
    if log:
        print_summary(result, time.perf_counter() - started, log)
    return result


def build_manifest(results: list[dict[str, Any]], skipped: list[tuple[str, str]], records: list[Record],
                   run_id: str) -> dict[str, Any]:
    ids_by_path: dict[str, set[str]] = defaultdict(set)
    flags: dict[str, list[str]] = defaultdict(list)
    for record in records:
        ids_by_path[record.source.path].add(record.id)
        flags[record.source.path].extend(record.notes)
        for dup in record.duplicates:
            ids_by_path[dup["path"]].add(record.id)
    files = []
    for res in results:
        entry = {"path": res["path"], "sha256": res["sha256"], "format": res["format"], "status": res["status"],
                 "reason": res["reason"], "records": sorted(ids_by_path.get(res["path"], ())),
                 "flags": sorted(flags.get(res["path"], []))}
        entry.update(res["extracted"] or {"extraction": None, "encoding": None, "pages": None,
                                          "ocr_pages": None, "ocr_confidence": None})
        files.append(entry)
    for rel, reason in skipped:
        files.append({"path": rel, "sha256": None, "format": detect_format(rel), "status": "skipped",
                      "reason": reason, "records": [], "flags": [], "extraction": None, "encoding": None, "pages": None,
                      "ocr_pages": None, "ocr_confidence": None})
    files.sort(key=lambda f: f["path"])
    counts = {status: sum(f["status"] == status for f in files) for status in ("ok", "quarantined", "skipped")}
    return {"glaneur": __version__, "fingerprint": run_id, "summary": {"files": len(files), **counts,
            "flagged": sum(bool(f["flags"]) for f in files), "records": len(records)}, "files": files}


def print_summary(result: RunResult, seconds: float, log: TextIO) -> None:
    summary = result.manifest["summary"]
    print(f"{'stage':<12} {'files':>6} {'in':>6} {'out':>6} {'computed':>9} {'cached':>7} {'seconds':>8}", file=log)
    for st in result.stats:
        print(f"{st.name:<12} {st.files or '-':>6} {st.records_in or '-':>6} {st.records_out:>6} "
              f"{st.computed:>9} {st.cached:>7} {st.seconds:>8.2f}", file=log)
    print(f"glaneur: {summary['files']} files ({summary['ok']} ok, {summary['quarantined']} quarantined, "
          f"{summary['skipped']} skipped), {summary['records']} records -> {result.out_dir} in {seconds:.1f}s",
          file=log)
    for f in result.manifest["files"]:
        if f["status"] == "quarantined":
            print(f"  quarantined {f['path']}: {f['reason']}", file=log)
        for note in f["flags"]:
            print(f"  flagged {f['path']}: {note}", file=log)
