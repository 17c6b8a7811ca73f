"""Run the pipeline over a RAW_DIR and write CLEAN_DIR: the I/O edge of glaneur.

The package: discover.py (which files, read safely), executor.py (where the
work runs: worker processes or Dask), files.py (files under the per-file
limit), records.py (stages over partitions of records, with their cache),
cache.py, summary.py; this module ties them together.

* Files are found recursively and sorted; names matching `[extract] skip`
  are listed as `skipped`.
* File-scoped stages (extract) run per file, each result cached under a key from
  the file's bytes and path, the stage version and its config; a file that
  cannot be read is `quarantined` with its reason and the run goes on.
* Every stage's work runs on the executor (executor.py: local worker
  processes, or Dask), in partitions of records: record stages (segment,
  classify) per record, cached; corpus stages (repair, deduplicate, resolve)
  learn per record (cached), decide in one place, apply per partition or on
  the corpus (records.py).
* Outputs are written to a temporary folder beside CLEAN_DIR and swapped in at
  the end, so an interrupted run leaves the previous CLEAN_DIR whole.  When the
  inputs, config and code are those of the existing CLEAN_DIR, nothing is
  rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..config import Config
from ..errors import FatalError
from ..messages import say, say_n, stage_name
from ..outputs import OUTPUT_FILES, Pages, write_outputs
from ..outputs.folder import STORE, check_out_dir, discard_tmp, make_tmp, recover, swap
from ..stage import Reader, Stage, Unreadable
from ..validate import check_runtime
from ..versions import OUTPUTS, VERSIONS
from .cache import CACHE_FORMAT, Cache
from .cache import cache_root as cache_location
from .discover import Found, discover, read_regular
from .files import progress_bar, run_files, shows_progress
from .executor import executor_for, register
from .records import StageStats, Work, run_stages, unique_ids
from .store import Store

from .summary import print_summary

__all__ = ["FatalError", "RunResult", "run"]


@dataclass
class RunResult:
    out_dir: Path
    up_to_date: bool
    manifest: dict[str, Any]
    stats: list[StageStats] = field(default_factory=list)



def config_fingerprint(config: Config) -> str:
    """The fingerprint of what the config says comes out: [run] says how to run (executor, cache, workers),
    not what comes out, so it never makes outputs stale."""
    return config.fingerprint(*(name for name in config.sections if name != "run"))


def _manifest(out_dir: Path) -> Any:
    """The manifest of the output at `out_dir` as JSON gives it; {} when it is not JSON."""
    try:
        return json.loads((out_dir / "manifest.json").read_text("utf-8"))
    except ValueError:
        return {}


def _previous_fingerprint(out_dir: Path) -> str | None:
    """The fingerprint in the manifest of the output at `out_dir` (a cache key: 64 hex digits); None without
    a readable one."""
    try:
        found = _manifest(out_dir).get("fingerprint")
    except (OSError, AttributeError):
        return None
    return found if isinstance(found, str) and re.fullmatch(r"[0-9a-f]{64}", found) else None


def fingerprint(files: list[tuple[str, str | None]], skipped: list[tuple[str, str]], config: Config,
                steps: list[tuple[str, str]]) -> str:
    payload = {
        "version": __version__,
        "cache_format": CACHE_FORMAT,
        "outputs": OUTPUTS,
        "stages": steps,
        "config": config_fingerprint(config),
        "files": files,
        "skipped": skipped,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _check_raw_dir(raw_dir: Path) -> None:
    if not raw_dir.is_dir():
        raise FatalError(f"RAW_DIR {raw_dir} is not a readable folder")
    if not os.access(raw_dir, os.R_OK | os.X_OK):
        raise FatalError(f"RAW_DIR {raw_dir} is not readable")


def _source_bytes(found: Found | None, max_bytes: int) -> bytes | None:
    """A file's bytes for the report's thumbnails, read as safely as for extraction; None when it cannot be."""
    try:
        return read_regular(found.fs_path, max_bytes) if found else None
    except Unreadable:
        return None


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
    cache_root = str(cache_location(config.section("run")["cache_dir"], out_dir)) if use_cache else None
    extract_cfg = config.section("extract")
    found, skipped = discover(raw_dir, extract_cfg["skip"],
                              exclude=(out_dir,) + ((Path(cache_root),) if cache_root else ()))
    max_bytes = int(extract_cfg["max_file_mb"] * 1024 * 1024)
    if not found and log:  # not an error (an empty corpus gives empty outputs), but rarely what was meant
        print(say("glaneur: %(raw)s holds no file to read (%(skipped)s)", raw=raw_dir,
                  skipped=say_n("%(n)s skipped", "%(n)s skipped", len(skipped))),
              file=log)
    hashes = [(f.rel, _quick_hash(f, max_bytes)) for f in found]
    run_id = fingerprint(hashes, skipped, config, list(VERSIONS.items()))  # no stage imported: see versions.py
    manifest_path = out_dir / "manifest.json"
    if not force and manifest_path.exists() and all((out_dir / name).exists() for name in OUTPUT_FILES):
        previous = _manifest(out_dir)
        if previous.get("fingerprint") == run_id:
            if log:
                print(say("glaneur: %(out)s is up to date (%(files)s)", out=out_dir,
                          files=say_n("%(n)s file unchanged", "%(n)s files unchanged", len(found))),
                      file=log)
            return RunResult(out_dir, True, previous)

    # What an up-to-date output does not need (the machine checked, rules and word lists read, the order
    # of the stages checked), done before any work.
    from ..stages import build

    check_runtime(config)
    reader, stages = build(config)
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
    # Records travel through the store: the cache folder, or without a cache a folder of the temporary
    # output folder (glaneur's own, removed before it is swapped in).
    store_root = cache_root or str(tmp / STORE)
    store = Store(store_root)
    started = time.perf_counter()
    show = shows_progress(config, len(found), progress)
    run_cfg = config.section("run")
    # registered before the workers fork: they inherit the stages, set up.  Dask workers may run anywhere
    # (another folder, another machine): the data files the settings name travel with them, by content.
    travel = run_cfg["executor"] == "dask"
    refs = [register(stage, (config.settings(stage.name).shipped() if travel else config.settings(stage.name)))
            for stage in stages]
    executor = executor_for(run_cfg)
    try:
        files_started = time.perf_counter()
        results = run_files(found, reader, config.settings(reader.name), cache_root, store_root, show,
                            executor)
        stats = {s.name: StageStats(s.name) for s in [reader, *stages]}
        stats[reader.name].started, stats[reader.name].ended = files_started, time.perf_counter()
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
        if not cache_root or any(not info["cached"] for res in results for info in res["stages"].values()):
            for ref in refs:  # new records: the models later stages need start loading beside the workers
                executor.prewarm(ref)
        records = unique_ids([r for res in results for r in res["records"]], store)
        for res in results:
            res["records"] = []  # the manifest lists ids from the final records; refs are not kept twice
        work = Work(executor, cache, run_cfg["partition_records"], run_cfg["min_partition_records"], store)
        bars: list[Any] = []

        def progress(names: list[str], total: int) -> Any:
            """A bar for a chain of stages (their names), the last one's closed."""
            for bar in bars:
                bar.close()
            bars[:] = [progress_bar(None, "+".join(map(stage_name, names)), say("record"), total, show, leave=False)]
            return bars[0].update

        try:
            records = run_stages(stages, refs, records, work, stats, progress)
        finally:
            for bar in bars:
                bar.close()
    except OSError as exc:  # the store (the cache folder) cannot be written: its disk is full, or it is not ours
        raise FatalError(f"cannot write the record store {store_root}: {exc.strerror or exc}") from None
    finally:
        executor.close()
    records.sort(key=lambda r: r.id)

    try:
        by_rel = {f.rel: f for f in found}
        max_bytes = int(config.section("extract")["max_file_mb"] * 1024 * 1024)
        # With the cache on, the pages of records that did not change are copied from the output this run
        # replaces (the same bytes: see outputs.Pages); without it, every output is made anew.
        pages = Pages(config_fingerprint(config)) if cache_root else None
        previous = _previous_fingerprint(out_dir) if pages is not None else None
        known = cache.get("pages", previous) if previous else None
        if pages is not None and isinstance(known, dict):
            from ..outputs.report import PAGES

            pages.known, pages.old = known, out_dir / PAGES
        manifest = write_outputs(tmp, lambda: (store.get(r) for r in records), results, skipped, run_id,
                                 reader.format_of, source=lambda rel: _source_bytes(by_rel.get(rel), max_bytes),
                                 pages_from=pages)
        if pages is not None:
            cache.put("pages", run_id, pages.made)
        from ..outputs.report import run_js

        # The one file that differs between two runs of the same input: this run's timings.
        # The run's time as the report and the summary both say it: up to its outputs written (putting them in
        # place, and removing the previous ones, is not the run's work and can take seconds for many pages)
        seconds = time.perf_counter() - started
        (tmp / "run.js").write_text(run_js(list(stats.values()), seconds), "utf-8")
        if not cache_root:
            shutil.rmtree(tmp / STORE, ignore_errors=True)
        swap(tmp, out_dir)
    except OSError as exc:
        raise FatalError(f"cannot write CLEAN_DIR {out_dir}: {exc.strerror or exc}") from None
    result = RunResult(out_dir, False, manifest, list(stats.values()))
    if log:
        print_summary(result, seconds, log)
    return result
