"""The stage cache: entries a run uses are marked used; `glaneur cache prune` removes the unused ones and
nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import ROOT, write_config
from pipeline.run.cache import Cache, key, prune


def test_prune_removes_old_unused_entries_and_keeps_used_ones_and_foreign_files(tmp_path):
    cache = Cache(tmp_path)
    old, fresh = key("old"), key("fresh")
    cache.put("classify", old, {"a": 1})
    cache.put("classify", fresh, {"b": 2})
    month_ago = time.time() - 40 * 86400
    for digest in (old, fresh):
        path = tmp_path / "classify" / digest[:2] / f"{digest}.json"
        os.utime(path, (month_ago, month_ago))
    assert cache.get("classify", fresh) == {"b": 2}  # used by a run: marked used now
    foreign = tmp_path / "classify" / old[:2] / "mes-notes.txt"
    foreign.write_text("à garder", "utf-8")
    os.utime(foreign, (month_ago, month_ago))
    removed, freed = prune(tmp_path, 30)
    assert removed == 1 and freed > 0
    assert cache.get("classify", old) is None and cache.get("classify", fresh) == {"b": 2}
    assert foreign.exists()


def test_cli_cache_prune_with_zero_days_empties_the_cache(tmp_path):
    cache_dir = tmp_path / "cache"
    Cache(cache_dir).put("extract", key("x"), {"records": []})
    config = write_config(tmp_path, f"[run]\ncache_dir = '{cache_dir}'\n")
    time.sleep(0.01)
    done = subprocess.run([sys.executable, "-m", "pipeline", "cache", "prune", "--days", "0", "--config", str(config)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "1 cache entries removed" in done.stderr
    assert not list(cache_dir.rglob("*.json"))


def test_a_record_stage_reports_progress_in_batches_and_gives_the_same_records(tmp_path):
    """The bar of a record stage moves for cached records at once, then per partition; partitioning changes
    nothing."""
    from pipeline.record import Record, Source
    from pipeline.run.executor import Local, register
    from pipeline.run.records import StageStats, Work, run_stage
    from pipeline.run.store import Store
    from pipeline.stage import Settings

    class Upper:
        name, version, scope, splits = "upper", "1", "record", False

        def setup(self, settings):
            pass

        def run(self, records):
            return [r.__class__(**{**r.__dict__, "text": r.text.upper()}) for r in records]

    stage = Upper()
    ref = register(stage, Settings("upper", {}, tmp_path))
    recs = [Record(f"r{i}", Source(f"{i}.txt", "0" * 64, "txt", "text"), f"texte {i}") for i in range(10)]
    store = Store(str(tmp_path / "cache"))
    work = Work(Local(1), Cache(tmp_path / "cache"), partition_records=4, min_partition_records=1, store=store)
    refs = store.put_all(recs)
    steps: list[int] = []
    first = run_stage(stage, ref, refs[:3], work, StageStats("upper"), steps.append)
    assert steps == [0, 3]
    steps.clear()
    stats = StageStats("upper")
    out = run_stage(stage, ref, refs, work, stats, steps.append)
    assert steps == [3, 4, 3] and sum(steps) == len(recs)
    assert (stats.cached, stats.computed) == (3, 7)
    assert [store.get(r).text for r in out] == [f"TEXTE {i}" for i in range(10)] and out[:3] == first
