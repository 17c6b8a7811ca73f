"""Reading the files of RAW_DIR in worker processes, each under the per-file time limit.

With the local executor each file is read in a pebble worker process that
can be stopped; on Dask (executor.py) each worker reads its files in a child
it can kill.  A reader that hangs past `[extract] file_seconds`, dies, or
raises anything is turned into a quarantine entry: the run goes on.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from ..config import Config
from ..messages import say
from ..record import Record
from ..stage import RawFile, Reader, Settings, Unreadable
from .cache import CACHE_FORMAT, Cache, key
from .discover import Found, read_regular
from .executor import Dask, Local, partitions
from .store import Store, refs_from


class StoreError(OSError):
    """The record store or the cache cannot be written (a full disk): the run stops, no file is to blame."""


def process_file(found: Found, reader: Reader, settings: Settings, cache_root: str | None,
                 store_root: str) -> dict[str, Any]:
    """All file-scoped stages on one file, its records written to the store (`result["records"]`: their
    refs).  Top-level so that worker processes can run it.

    Never raises: a file that cannot be read, or whose reader fails in a way
    nobody foresaw, is quarantined with a one-line reason."""
    result = _result(found, reader.format_of(found.rel))
    try:
        return _process_file(found, reader, settings, cache_root, Store(store_root), result)
    except StoreError:
        raise  # not the file's fault: the run stops (one line), the previous CLEAN_DIR stays
    except Exception as exc:  # a reader's bug must not end the run: the file is quarantined, the run goes on
        result.update(status="quarantined", records=[], reason=f"unexpected error while reading: "
                      f"{exc.__class__.__name__}: {' '.join(str(exc).split())[:200]}")
        return result


def _process_file(found: Found, reader: Reader, settings: Settings, cache_root: str | None, store: Store,
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
    hit = hit if isinstance(hit, dict) else None  # an entry we cannot read is a miss
    if hit is not None and "reason" in hit:
        result.update(status="quarantined", reason=hit["reason"])
        result["stages"][reader.name] = {"cached": True, "seconds": time.perf_counter() - started}
        return result
    refs = None if hit is None else refs_from(hit.get("records"), store)
    reading = None if hit is None else hit.get("reading")
    cached = refs is not None
    if refs is None:  # not cached, or an entry we cannot use: read the file
        try:
            records = reader.read(raw)
        except Unreadable as exc:
            cache.put(reader.name, entry, {"reason": str(exc)})
            result.update(status="quarantined", reason=str(exc))
            result["stages"][reader.name] = {"cached": False, "seconds": time.perf_counter() - started}
            return result
        try:
            refs = store.put_all(records)
            reading = _reading(records)
            cache.put(reader.name, entry, {"records": [list(r) for r in refs], "reading": reading})
        except OSError as exc:  # the disk under the store is full, or the folder is not writable
            raise StoreError(exc.errno, exc.strerror or str(exc)) from None
    result["reading"] = reading
    result["stages"][reader.name] = {"cached": cached,
                                     "seconds": time.perf_counter() - started, "records": len(refs)}
    result["records"] = refs
    return result


def _reading(records: list[Record]) -> dict[str, Any] | None:
    """How the file was read, for the manifest."""
    if not records:
        return None
    source = records[0].source
    return {"extraction": source.extraction, "encoding": source.encoding, "pages": source.pages,
            "ocr_pages": source.ocr_pages, "ocr_confidence": source.ocr_confidence}


def _result(found: Found, fmt: str | None, reason: str | None = None) -> dict[str, Any]:
    """A file's entry as the runner collects it: ok until a reason quarantines it."""
    return {"path": found.rel, "sha256": None, "format": fmt, "status": "quarantined" if reason else "ok",
            "reason": reason, "records": [], "stages": {}, "reading": None}


def _guarded_result(future: Any, found: Found, fmt: str | None, seconds: float) -> dict[str, Any]:
    """The result of a file's work in a worker process, or its quarantine when it ran out of time or died."""
    from concurrent.futures import TimeoutError as FutureTimeout

    try:
        return future.result()
    except StoreError:
        raise
    except FutureTimeout:
        return _result(found, fmt, f"reading took longer than file_seconds={seconds:g} (config [extract]): stopped")
    except Exception as exc:  # pebble.ProcessExpired: a segfault or an out-of-memory kill in a reader
        return _result(found, fmt, f"the reader process died ({exc.__class__.__name__}: "
                                   f"{' '.join(str(exc).split())[:120]})")


_WORKER_POOL: Any = None


def process_file_guarded(found: Found, reader: Reader, settings: Settings, cache_root: str | None,
                         store_root: str) -> dict[str, Any]:
    """`process_file` under the per-file time limit, in a child of this process (for Dask workers)."""
    global _WORKER_POOL
    seconds = settings["file_seconds"]
    if _WORKER_POOL is None:
        _WORKER_POOL = Local(1).pool()
    return _guarded_result(_WORKER_POOL.schedule(process_file, args=(found, reader, settings, cache_root, store_root),
                                                 timeout=seconds), found, reader.format_of(found.rel), seconds)


def close_worker_pool() -> None:
    """The child a Dask worker read its files in, let go once the files are read: its pool's threads would
    keep the worker alive when its cluster closes (Dask's nanny waits 4 s, warns, then kills it)."""
    global _WORKER_POOL
    if _WORKER_POOL is not None:
        _WORKER_POOL.close()
        _WORKER_POOL.join()
        _WORKER_POOL = None


def process_files_guarded(files: list[Found], reader: Reader, settings: Settings, cache_root: str | None,
                          store_root: str) -> list[dict[str, Any]]:
    """A batch of files for a Dask worker, each under its own time limit (`process_file_guarded`)."""
    return [process_file_guarded(f, reader, settings, cache_root, store_root) for f in files]


def shows_progress(config: Config, files: int, progress: bool) -> bool:
    """Progress bars for this run: asked for, and enough files to be worth it (`progress_min_files`)."""
    return progress and files >= config.section("run")["progress_min_files"]


def progress_bar(iterable: Any, desc: str, unit: str, total: int, show: bool, leave: bool = True) -> Any:
    """A tqdm bar on stderr, drawn only when `show` and on a terminal (tqdm's `disable=None`); `desc` and
    `unit` are said in the user's language by the caller."""
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr, disable=None if show else True,
                leave=leave)


DASK_FILES_PER_TASK = 32  # files a Dask task reads, one after another: a 10,000-file run is 313 tasks, not 10,000


def run_files(found: list[Found], reader: Reader, settings: Settings, cache_root: str | None, store_root: str,
              show: bool, executor: Local | Dask) -> list[dict[str, Any]]:
    """Every file read by `reader` on `executor`'s workers, in path order; `show`: a progress bar (see
    `shows_progress`).  Each file is read in a process that can be stopped at `file_seconds`."""
    seconds = settings["file_seconds"]
    if not found:
        return []
    with progress_bar(None, say("files"), say("file"), len(found), show) as bar:
        if isinstance(executor, Dask):
            # files in batches, one task each: the scheduler (in this process for a cluster the run starts)
            # holds a task's state and its pickled settings per task, not per file
            parts = partitions(found, executor.workers, DASK_FILES_PER_TASK, 1)
            done = executor.map(process_files_guarded, [(part, reader, settings, cache_root, store_root)
                                                        for part in parts], lambda i: bar.update(len(parts[i])))
            executor.client.run(close_worker_pool)
            return [result for batch in done for result in batch]
        pool = executor.pool()
        futures = [pool.schedule(process_file, args=(f, reader, settings, cache_root, store_root), timeout=seconds)
                   for f in found]
        results = []
        for future, f in zip(futures, found):
            results.append(_guarded_result(future, f, reader.format_of(f.rel), seconds))
            bar.update(1)
        return results
