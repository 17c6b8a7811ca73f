"""Where the work runs: partitions, worker processes and Dask give the very bytes of a run in this process."""

from __future__ import annotations

import contextlib
import json

import time

import pytest

from conftest import RAW, needs_tesseract
from pipeline.config import Config
from pipeline.outputs import OUTPUT_FILES
from pipeline.run import run
from pipeline.run.executor import partitions
from pipeline.stage import MapReduce
from pipeline.stages import build


def with_run(config: Config, **run_keys) -> Config:
    sections = {name: dict(values) for name, values in config.sections.items()}
    sections["run"].update(run_keys)
    return Config(sections, config.path)


@pytest.mark.parametrize("n, workers, size, least, expected", [
    (0, 2, 256, 64, []),
    (10, 2, 256, 64, [10]),  # too few to be worth a worker: one partition, run in this process
    (200, 2, 256, 64, [100, 100]),  # every worker gets some
    (1000, 2, 256, 64, [250, 250, 250, 250]),  # never more than `size`: the bar moves, memory per task is small
    (925, 2, 256, 64, [232, 231, 231, 231]),  # whole rounds of even partitions: no worker waits through the last
    (600, 3, 256, 64, [200, 200, 200]),
    (1300, 3, 256, 64, [217, 217, 217, 217, 216, 216]),
    (130, 2, 256, 64, [65, 65]),
    (100, 2, 256, 64, [50, 50]),  # every worker gets some, evenly
    (5, 2, 1, 1, [1, 1, 1, 1, 1]),
])
def test_partitions_cover_the_items_in_order(n, workers, size, least, expected):
    parts = partitions(list(range(n)), workers, size, least)
    assert [len(p) for p in parts] == expected
    assert [i for p in parts for i in p] == list(range(n))


def test_a_corpus_decision_does_not_depend_on_the_partitions_or_the_cache(sample_run, config):
    """Every map-reduce stage learns the same per record in any partition, and decides the same from what
    it learned fresh or from what the cache gives back (JSON: tuples come back as lists)."""
    from pipeline.record import load as load_record

    out, _ = sample_run
    records = [load_record(json.loads(line)) for line in (out / "records.jsonl").read_text("utf-8").splitlines()]
    _, stages = build(config)
    staged = [s for s in stages if isinstance(s, MapReduce)]
    assert {s.name for s in staged} == {"repair", "deduplicate", "resolve"}
    for stage in staged:
        learned = stage.learn(records)
        assert len(learned) == len(records), stage.name
        assert [x for part in partitions(records, 3, 2, 1) for x in stage.learn(part)] == learned, stage.name
        from_cache = json.loads(json.dumps(learned, ensure_ascii=False))
        assert stage.decide(from_cache) == stage.decide(learned), stage.name
        assert stage.apply(records, stage.decide(from_cache)) == stage.run(records), stage.name


def assert_same_outputs(a, b) -> None:
    for name in OUTPUT_FILES:  # run.js, the run's timings, is the one file that differs
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@needs_tesseract
def test_worker_processes_give_the_bytes_of_a_run_in_this_process(sample_run, config, tmp_path):
    """Every stage spread over two worker processes, one record per task."""
    spread = with_run(config, workers=2, partition_records=1, min_partition_records=1)
    run(RAW, tmp_path / "clean", spread, use_cache=False, progress=False, log=None)
    assert_same_outputs(sample_run[0], tmp_path / "clean")


@needs_tesseract
def test_dask_gives_the_bytes_of_a_run_in_this_process(sample_run, config, tmp_path):
    """A local Dask cluster of two workers, every stage spread over both, one record per task; its workers
    stop when asked (the child each read its files in is let go: the nanny no longer waits, warns and kills)."""
    import logging

    pytest.importorskip("dask.distributed")
    spread = with_run(config, executor="dask", dask_workers=2, partition_records=1, min_partition_records=1)
    warnings: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: warnings.append(record.getMessage())
    nanny = logging.getLogger("distributed.nanny")
    nanny.addHandler(handler)
    try:
        run(RAW, tmp_path / "clean", spread, use_cache=False, progress=False, log=None)
    finally:
        nanny.removeHandler(handler)
    assert_same_outputs(sample_run[0], tmp_path / "clean")
    assert not [w for w in warnings if "still alive" in w]


class _Counted:
    """A stage that counts its set-ups."""

    name, version, scope, splits = "counted", "1", "record", False
    setups = 0

    def setup(self, settings):
        _Counted.setups += 1
        self.settings = settings

    def run(self, records):
        return records


def test_a_worker_sets_a_stage_up_once_and_keeps_one_per_section(tmp_path):
    """What a Dask worker does with the references it is sent: set up at the first task, kept for the next,
    replaced (not piled up) when the settings change."""
    from pipeline.run import executor
    from pipeline.stage import Settings

    first = (_Counted, Settings("counted", {"a": 1}, tmp_path), "f1")
    before = _Counted.setups
    stage = executor.stage_of(first)
    assert executor.stage_of(first) is stage and _Counted.setups == before + 1
    second = (_Counted, Settings("counted", {"a": 2}, tmp_path), "f2")
    assert executor.stage_of(second) is not stage and _Counted.setups == before + 2
    assert sum(k[1] == "counted" for k in executor._STAGES) == 1


@needs_tesseract
def test_the_main_process_reads_no_record_while_the_stages_run(sample_run, config, tmp_path, monkeypatch):
    """Records travel between stages through the store: with every task on a worker (two workers, one
    record per task), the main process reads a record only to write the outputs, one at a time."""
    import os

    import pipeline.run as runner
    from pipeline.run.store import Store

    main, phase, reads = os.getpid(), ["stages"], []
    original_get, original_write = Store.get, runner.write_outputs

    def get(self, ref):
        if os.getpid() == main:
            reads.append(phase[0])
        return original_get(self, ref)

    def write_outputs(*args, **kwargs):
        phase[0] = "outputs"
        return original_write(*args, **kwargs)

    monkeypatch.setattr(Store, "get", get)
    monkeypatch.setattr(runner, "write_outputs", write_outputs)
    spread = with_run(config, workers=2, partition_records=1, min_partition_records=1)
    run(RAW, tmp_path / "clean", spread, use_cache=False, progress=False, log=None)
    records = (tmp_path / "clean" / "records.jsonl").read_text("utf-8").count("\n")
    assert reads.count("stages") == 0
    assert reads.count("outputs") == records  # each record read once, in id order, while it is written
    assert_same_outputs(sample_run[0], tmp_path / "clean")


def test_a_cached_result_whose_records_left_the_store_is_a_miss(tmp_path):
    """`glaneur cache prune` may remove a stored record that a stage's cache entry still points to: the
    entry then counts as absent (the work is done again), never as an error."""
    from pipeline.record import Record, Source
    from pipeline.run.store import Store, refs_from

    store = Store(str(tmp_path))
    ref = store.put(Record("r1", Source("a.txt", "0" * 64, "txt", "text"), "Texte."))
    entry = [list(ref)]
    assert refs_from(entry, store) == [ref] and store.get(ref).text == "Texte."
    (tmp_path / "records" / ref.digest[:2] / f"{ref.digest}.json").unlink()
    assert refs_from(entry, store) is None
    assert refs_from([["not", "a", "ref"]], store) is None and refs_from(None, store) is None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@needs_tesseract
def test_a_cluster_started_from_the_command_line_gives_the_bytes_of_a_run_in_this_process(sample_run, config,
                                                                                        tmp_path):
    """`dask scheduler` and two `dask worker`s as separate processes, as on several machines, the store on a
    path they share: the same bytes as a run in one process."""
    with _cluster(tmp_path, 2) as address:
        cluster = with_run(config, executor="dask", dask_scheduler=address, partition_records=1,
                           min_partition_records=1, cache_dir=str(tmp_path / "shared-store"))
        run(RAW, tmp_path / "clean", cluster, use_cache=True, progress=False, log=None)
    assert_same_outputs(sample_run[0], tmp_path / "clean")
    assert list((tmp_path / "shared-store" / "records").rglob("*.json"))  # the partitions went through it


class _Listed:
    """A stage that reads a word list its settings name, as glaneur's stages do."""

    name, version, scope, splits = "listed", "1", "record", False

    def setup(self, settings):
        from pipeline.config import data_lines

        self.words = [w.strip() for w in data_lines(settings.data_file(settings["words_file"]))]

    def run(self, records):
        return records


def test_settings_travel_with_their_data_files(tmp_path):
    """A worker started anywhere sets a stage up from the settings alone: the data files they name travel
    by content (`shipped`), are written once where the worker is (`landed`), and give the same fingerprint;
    where they came from need not exist there."""
    from pipeline.run import executor
    from pipeline.stage import Settings

    home = tmp_path / "home"
    (home / "lists").mkdir(parents=True)
    (home / "lists" / "words.txt").write_text("# a comment\nCIVAM\nSCIC\n", "utf-8")
    settings = Settings("listed", {"words_file": "lists/words.txt"}, home)
    shipped = settings.shipped()
    assert shipped.bundle == (("lists/words.txt", "# a comment\nCIVAM\nSCIC\n", None),)
    import shutil

    shutil.rmtree(home)  # the worker's machine has no such folder
    landed = shipped.landed(tmp_path)
    assert landed.base_dir != home and landed.fingerprint == shipped.landed(tmp_path).fingerprint
    stage = executor.stage_of((_Listed, shipped, "travelled"))
    assert stage.words == ["CIVAM", "SCIC"]


def test_real_stages_set_up_from_travelled_settings_clean_alike(config, tmp_path):
    """Repair and classify set up from their shipped settings, on a folder that is not config/, give the
    text and the fingerprint that they give set up from config/."""
    from pipeline.repair import _context, repair_text

    for name in ("repair", "classify", "segment"):
        here = config.settings(name)
        there = here.shipped().landed(tmp_path)
        assert there.base_dir != here.base_dir and there.fingerprint == here.fingerprint, name
    text = "Bonjour à tous. I'objet de la réunion est l'épicerie quelgues fois.\n"
    here = repair_text(text, _context(config.settings("repair")))[0]
    there = repair_text(text, _context(config.settings("repair").shipped().landed(tmp_path)))[0]
    assert here == there and here != text


def test_glaneurs_own_data_files_travel_as_a_reference_checked_where_they_land(config, tmp_path, monkeypatch):
    """A file of glaneur's own config/ travels as its place and hash, not its text (every task carries the
    settings: config/places/ alone is 2.3 MB); it lands from the worker's own glaneur, and a worker whose
    copy differs stops with one line instead of cleaning otherwise."""
    import hashlib

    from pipeline import config as config_mod
    from pipeline.config import ConfigError, defaults_dir

    shipped = config.settings("classify").shipped()
    copied = tmp_path / "copied"
    import shutil

    shutil.copytree(defaults_dir(), copied)  # a user's copy of config/, its word lists untouched but one
    (copied / "gazetteer" / "titles.txt").write_text("Maire\n", "utf-8")
    from pipeline.config import load

    theirs = load(copied / "pipeline.toml").settings("classify").shipped()
    assert [name for name, text, _ in theirs.bundle if text is not None] == ["gazetteer/titles.txt"]
    own = {name: ref for name, text, ref in shipped.bundle if text is None}
    world = defaults_dir() / "places" / "world.txt"
    assert own["places/world.txt"] == f"places/world.txt:{hashlib.sha256(world.read_bytes()).hexdigest()}"
    assert len(repr(shipped.bundle)) < 20_000
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    landed = shipped.landed(tmp_path / "a")
    assert (landed.base_dir / "places" / "world.txt").read_bytes() == world.read_bytes()
    assert landed.fingerprint == config.settings("classify").fingerprint
    other = tmp_path / "other-glaneur"
    shutil.copytree(defaults_dir(), other)
    (other / "places" / "world.txt").write_text("londres\n", "utf-8")
    monkeypatch.setattr(config_mod, "defaults_dir", lambda: other)
    with pytest.raises(ConfigError, match="places/world.txt: this glaneur's copy differs"):
        shipped.landed(tmp_path / "b")
    assert not list((tmp_path / "b").iterdir())  # nothing half-landed is left
    from dataclasses import replace

    outside = replace(shipped, bundle=(("../../etc/glaneur.txt", "x", None),))
    with pytest.raises(ConfigError, match="must be named relative to the config's folder"):
        outside.landed(tmp_path / "b")
    assert not list((tmp_path / "b").iterdir()) and not (tmp_path.parent / "etc").exists()


def test_a_failed_task_is_one_line_naming_the_worker(tmp_path):
    """A task that fails on a Dask worker stops the run with one line naming the worker and the cause."""
    pytest.importorskip("dask.distributed")
    from pipeline.errors import FatalError
    from pipeline.run.executor import Dask, _on_worker

    assert str(_on_worker(_fails, 1)) == "Dask worker ? failed: ValueError: no record 1 here"
    dask = Dask("", 1)
    try:
        with pytest.raises(FatalError) as caught:
            dask.map(_fails, [(1,), (2,)], lambda i: None)
    finally:
        dask.close()
    message = str(caught.value)
    assert "\n" not in message and message.startswith("Dask worker tcp://") and "ValueError: no record" in message


def _fails(n):
    raise ValueError(f"no record {n} here")


class _Warmable:
    """A stage that loads something lazily, as classify loads its model."""

    name, version, scope, splits = "warmable", "1", "record", False
    loads = 0

    def setup(self, settings):
        self.loaded = False
        self.shared = False

    def warm(self, shared=False):
        fresh = not self.loaded or (shared and not self.shared)
        if not self.loaded:
            _Warmable.loads += 1
        self.loaded = True
        self.shared = self.shared or shared
        return fresh

    def run(self, records):
        return records


def _loaded_in_worker(ref):
    from pipeline.run import executor

    return executor.stage_of(ref).loaded


def test_local_workers_fork_after_a_model_is_loaded(tmp_path):
    """Before a stage's work is mapped, its lazy model is loaded in this process and the pool forked again,
    so that every worker starts with it (one copy, shared); a second warm loads nothing and keeps the pool."""
    from pipeline.run import executor
    from pipeline.stage import Settings

    stage = _Warmable()
    settings = Settings("warmable", {}, tmp_path)
    stage.setup(settings)
    ref = executor.register(stage, settings)
    local = executor.Local(2)
    try:
        assert local.map(_loaded_in_worker, [(ref,), (ref,)], lambda i: None) == [False, False]
        local.warm(ref)
        assert local._pool is None and _Warmable.loads == 1
        assert local.map(_loaded_in_worker, [(ref,), (ref,)], lambda i: None) == [True, True]
        pool = local._pool
        local.warm(ref)
        assert local._pool is pool and _Warmable.loads == 1
    finally:
        local.close()


def test_a_dask_cluster_the_run_starts_is_started_again_with_workers_that_share_the_model(tmp_path):
    """As the local pool: the model is loaded here, then the run's own cluster is started again with its
    workers forked from this process, so they have it without loading it, even for a work of one task (it
    runs on a worker, not here); a second warm keeps the cluster."""
    from pipeline.run import executor
    from pipeline.stage import Settings

    stage = _Warmable()
    settings = Settings("warmable", {"dask": True}, tmp_path)
    stage.setup(settings)
    ref = executor.register(stage, settings)
    dask = executor.Dask("", 2)
    try:
        first = dask.client
        loads = _Warmable.loads
        dask.warm(ref, forks=False)
        assert dask.client is not first and _Warmable.loads == loads + 1
        assert dask.map(_loaded_in_worker, [(ref,), (ref,)], lambda i: None) == [True, True]
        second = dask.client
        dask.warm(ref)
        assert dask.client is second and _Warmable.loads == loads + 1
        # a worker that dies comes back as its cluster was started: forked (the model shared), not a daemon
        import os
        import signal

        victim = sorted(dask.client.run(os.getpid).values())[0]
        os.kill(victim, signal.SIGKILL)
        for _ in range(300):
            time.sleep(0.1)
            with contextlib.suppress(Exception):  # the dead worker's connection, until the scheduler knows
                pids = dask.client.run(os.getpid)
                if len(pids) == 2 and victim not in pids.values():
                    break
        assert sorted(dask.client.run(_worker_state, ref).values()) == [(True, False)] * 2
    finally:
        dask.close()


def _worker_state(ref):
    import multiprocessing

    return _loaded_in_worker(ref), multiprocessing.current_process().daemon


def test_what_each_worker_would_read_bit_by_bit_is_read_here_only_before_a_fork(tmp_path):
    """Work of one task runs in this process and reads only what its texts ask for (a one-file refresh
    does not read all of lingua's models); work forked out to several workers gets it all read here first,
    and the pool forked again to share it; one worker never forks."""
    from pipeline.run import executor
    from pipeline.stage import Settings

    stage = _Warmable()
    settings = Settings("warmable", {"shared": "test"}, tmp_path)
    stage.setup(settings)
    ref = executor.register(stage, settings)
    local = executor.Local(2)
    try:
        local.warm(ref, forks=False)
        assert stage.loaded and not stage.shared
        local.map(_loaded_in_worker, [(ref,), (ref,)], lambda i: None)
        pool = local._pool
        local.warm(ref, forks=True)
        assert stage.shared and local._pool is not pool  # forked again after the shared load
    finally:
        local.close()
    single_stage = _Warmable()
    single_settings = Settings("warmable", {"shared": "single"}, tmp_path)
    single_stage.setup(single_settings)
    executor.Local(1).warm(executor.register(single_stage, single_settings), forks=True)
    assert single_stage.loaded and not single_stage.shared


def test_a_model_loads_in_a_thread_while_the_workers_run_earlier_stages(tmp_path):
    """`prewarm` starts the lazy load beside the workers; `warm` waits for it, then lets the pool go so that
    the next map forks workers that share it.  One worker runs its tasks here: nothing is started early."""
    from pipeline.run import executor
    from pipeline.stage import Settings

    stage = _Warmable()
    settings = Settings("warmable", {"early": True}, tmp_path)
    stage.setup(settings)
    ref = executor.register(stage, settings)
    loads = _Warmable.loads
    single = executor.Local(1)
    single.prewarm(ref)
    assert not single._loading and not stage.loaded
    local = executor.Local(2)
    try:
        assert local.map(_loaded_in_worker, [(ref,), (ref,)], lambda i: None) == [False, False]
        local.prewarm(ref)
        local.prewarm(ref)  # once
        assert len(local._loading) == 1
        local.warm(ref)
        assert stage.loaded and _Warmable.loads == loads + 1 and local._pool is None and not local._loading
        assert local.map(_loaded_in_worker, [(ref,), (ref,)], lambda i: None) == [True, True]
    finally:
        local.close()
    # a load no stage asked for ends with the run: no thread outlives it
    other = _Warmable()
    other_settings = Settings("warmable", {"early": "unasked"}, tmp_path)
    other.setup(other_settings)
    unasked = executor.Local(2)
    unasked.prewarm(executor.register(other, other_settings))
    (thread, _), = unasked._loading.values()
    unasked.close()
    assert not thread.is_alive() and other.loaded and not unasked._loading


def test_a_preloaded_dask_worker_has_the_stages_and_the_model_before_any_run(config, tmp_path):
    """`dask worker --preload pipeline.run.preload` sets every stage up as it starts, the spaCy model
    loaded, under the references a run with the same config sends (their fingerprints)."""
    from dask.distributed import Client

    from pipeline.run.preload import stages_ready

    with _cluster(tmp_path, 1, "--preload", "pipeline.run.preload", GLANEUR_CONFIG=str(config.path)) as address:
        with Client(address, timeout="60s") as client:
            (ready,) = client.run(stages_ready).values()
    stages, models = ready
    assert models >= 1
    for name in ("repair", "segment", "classify"):
        assert (name, config.settings(name).fingerprint) in stages


@contextlib.contextmanager
def _cluster(folder, workers: int, *worker_args: str, **env_extra: str):
    """`dask scheduler` and `workers` `dask worker`s as separate processes started in `folder` (as on other
    machines), ready when entered; its address is yielded, and every process is stopped on leaving."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("dask.distributed")
    dask_cli = Path(sys.executable).parent / "dask"
    if not dask_cli.exists():
        pytest.skip("the dask command is not installed beside python")
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False", **env_extra}
    logs = open(folder / "cluster.log", "w")
    procs = [subprocess.Popen([str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                               "--no-dashboard"], stdout=logs, stderr=logs, env=env, cwd=folder)]
    try:
        for _ in range(workers):
            procs.append(subprocess.Popen([str(dask_cli), "worker", address, "--nthreads", "1", "--no-dashboard",
                                           *worker_args], stdout=logs, stderr=logs, env=env, cwd=folder))
        from dask.distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=180)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        logs.close()
