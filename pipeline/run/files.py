"""Reading the files of RAW_DIR in worker processes, each under the per-file time limit.

The serial executor is a pebble process pool over the machine's cores; `[run]
executor = "dask"` spreads files over Dask distributed workers (a local
cluster, or `dask_scheduler` for an existing one), each reading its files in a
child it can kill.  A reader that hangs past `[extract] file_seconds`, dies, or
raises anything is turned into a quarantine entry: the run goes on.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from ..config import Config
from ..record import Record, dump, load
from ..stage import RawFile, Reader, Settings, Unreadable
from .cache import CACHE_FORMAT, Cache, key
from .discover import Found, read_regular


def process_file(found: Found, reader: Reader, settings: Settings, cache_root: str | None) -> dict[str, Any]:
    """All file-scoped stages on one file.  Top-level so that worker processes can run it.

    Never raises: a file that cannot be read, or whose reader fails in a way
    nobody foresaw, is quarantined with a one-line reason."""
    result = _result(found, reader.format_of(found.rel))
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
        result["reading"] = {"extraction": source.extraction, "encoding": source.encoding,
                               "pages": source.pages, "ocr_pages": source.ocr_pages,
                               "ocr_confidence": source.ocr_confidence}
    result["stages"][reader.name] = {"cached": hit is not None, "seconds": time.perf_counter() - started,
                                     "records": len(records or [])}
    result["records"] = [dump(r) for r in records or []]
    return result


def _result(found: Found, fmt: str | None, reason: str | None = None) -> dict[str, Any]:
    """A file's entry as the runner collects it: ok until a reason quarantines it."""
    return {"path": found.rel, "sha256": None, "format": fmt, "status": "quarantined" if reason else "ok",
            "reason": reason, "records": [], "stages": {}, "reading": None}


def _guarded_result(future: Any, found: Found, fmt: str | None, seconds: float) -> dict[str, Any]:
    """The result of a file's work in a worker process, or its quarantine when it ran out of time or died."""
    from concurrent.futures import TimeoutError as FutureTimeout

    try:
        return future.result()
    except FutureTimeout:
        return _result(found, fmt, f"reading took longer than file_seconds={seconds:g} (config [extract]): stopped")
    except Exception as exc:  # pebble.ProcessExpired: a segfault or an out-of-memory kill in a reader
        return _result(found, fmt, f"the reader process died ({exc.__class__.__name__}: "
                                   f"{' '.join(str(exc).split())[:120]})")


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
                           found, reader.format_of(found.rel), seconds)


def _workers(run_cfg: dict[str, Any]) -> int:
    return run_cfg["workers"] or os.cpu_count() or 1


def shows_progress(config: Config, files: int, progress: bool) -> bool:
    """Progress bars for this run: asked for, and enough files to be worth it (`progress_min_files`)."""
    return progress and files >= config.section("run")["progress_min_files"]


def progress_bar(iterable: Any, desc: str, unit: str, total: int, show: bool, leave: bool = True) -> Any:
    """A tqdm bar on stderr, drawn only when `show` and on a terminal (tqdm's `disable=None`)."""
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr, disable=None if show else True,
                leave=leave)


def run_files(found: list[Found], reader: Reader, config: Config, cache_root: str | None,
               show: bool) -> list[dict[str, Any]]:
    """Every file read by `reader`, in worker processes; `show`: a progress bar (see `shows_progress`)."""
    run_cfg = config.section("run")
    settings = config.settings(reader.name)
    seconds = settings["file_seconds"]

    def bar(iterable: Any, total: int) -> Any:
        return progress_bar(iterable, "files", "file", total, show)

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
        return [_guarded_result(future, f, reader.format_of(f.rel), seconds)
                for future, f in bar(zip(futures, found), len(found))]
