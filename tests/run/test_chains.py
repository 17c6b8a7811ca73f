"""pipeline/run/records.py `run_stages`: consecutive per-record work fused into one task per partition, the
cache still per record and per stage."""

from dataclasses import replace

from pipeline.record import Record, Source
from pipeline.run.cache import Cache
from pipeline.run.executor import Local, register
from pipeline.run.records import StageStats, Work, run_stages
from pipeline.run.store import Store
from pipeline.stage import Settings


class _Upper:
    name, version, scope, splits = "upper", "1", "record", False

    def setup(self, settings):
        pass

    def run(self, records):
        # a tuple in memory is a list after a trip through the store: the next stage must see the list
        return [replace(r, text=r.text.upper(), sentences=[(0, 1)]) for r in records]


class _Mark:
    name, scope, splits = "mark", "record", False

    def __init__(self, version="1"):
        self.version = version

    def setup(self, settings):
        pass

    def run(self, records):
        assert all(isinstance(s, list) for r in records for s in r.sentences), "saw the record before the store"
        return [replace(r, text=r.text + " !") for r in records]


def _work(tmp_path, calls):
    class Counting(Local):
        def map(self, fn, tasks, done):
            calls.append((fn.__name__, [len(t[-1]) for t in tasks], [sorted({e for e, _ in t[-1]}) for t in tasks]))
            return super().map(fn, tasks, done)

    store = Store(str(tmp_path / "cache"))
    return Work(Counting(1), Cache(tmp_path / "cache"), partition_records=4, min_partition_records=1, store=store)


def _records(n):
    return [Record(f"r{i}", Source(f"{i}.txt", "0" * 64, "txt", "text"), f"texte {i}") for i in range(n)]


def _stages(tmp_path, mark_version="1"):
    stages = [_Upper(), _Mark(mark_version)]
    refs = [register(s, Settings(s.name, {"v": s.version}, tmp_path)) for s in stages]
    return stages, refs


def test_two_record_stages_run_as_one_task_per_partition_and_each_is_cached(tmp_path):
    calls: list = []
    work = _work(tmp_path, calls)
    refs = work.store.put_all(_records(10))
    stages, srefs = _stages(tmp_path)
    stats = {s.name: StageStats(s.name) for s in stages}
    out = run_stages(stages, srefs, refs, work, stats, lambda names, total: lambda n: None)
    assert [work.store.get(r).text for r in out] == [f"TEXTE {i} !" for i in range(10)]
    assert calls == [("chain_stored", [4, 3, 3], [[0], [0], [0]])]  # one map, both stages in each task
    assert [(stats[n].computed, stats[n].cached, stats[n].records_in, stats[n].records_out)
            for n in ("upper", "mark")] == [(10, 0, 10, 10), (10, 0, 10, 10)]

    # the second stage changes: the first one's results come from the cache, records enter at the second
    calls.clear()
    stages, srefs = _stages(tmp_path, mark_version="2")
    stats = {s.name: StageStats(s.name) for s in stages}
    again = run_stages(stages, srefs, refs, work, stats, lambda names, total: lambda n: None)
    assert [work.store.get(r).text for r in again] == [f"TEXTE {i} !" for i in range(10)]
    assert calls == [("chain_stored", [4, 3, 3], [[1], [1], [1]])]
    assert (stats["upper"].cached, stats["upper"].computed) == (10, 0)
    assert (stats["mark"].cached, stats["mark"].computed) == (0, 10)

    # nothing changed: no task at all
    calls.clear()
    stats = {s.name: StageStats(s.name) for s in stages}
    assert run_stages(stages, srefs, refs, work, stats, lambda names, total: lambda n: None) == again
    assert calls == [] and stats["mark"].cached == 10


def test_a_chain_gives_what_the_stages_give_one_at_a_time(tmp_path):
    work = _work(tmp_path / "a", [])
    refs = work.store.put_all(_records(7))
    stages, srefs = _stages(tmp_path)
    fused = run_stages(stages, srefs, refs, work, {s.name: StageStats(s.name) for s in stages},
                       lambda names, total: lambda n: None)
    uncached = Work(Local(1), Cache(None), partition_records=3, min_partition_records=1, store=work.store)
    apart = refs
    for stage, sref in zip(stages, srefs):
        apart = run_stages([stage], [sref], apart, uncached, {stage.name: StageStats(stage.name)},
                           lambda names, total: lambda n: None)
    assert apart == fused


class _ShortLearn:
    """A map-reduce stage whose learn forgets a record: the run must say so, not decide on a gap."""

    name, version, scope, splits, apply_scope = "short", "1", "corpus", False, "partition"

    def setup(self, settings):
        pass

    def learn(self, records):
        return [len(r.text) for r in records][1:]

    def decide(self, learned):
        return sum(learned)

    def decision_key(self, decision):
        return str(decision)

    def apply(self, records, decision):
        return records

    def run(self, records):
        return records


def test_a_learn_that_gives_too_few_summaries_stops_the_run(tmp_path):
    import pytest

    work = _work(tmp_path, [])
    refs = work.store.put_all(_records(3))
    stage = _ShortLearn()
    sref = register(stage, Settings(stage.name, {}, tmp_path))
    with pytest.raises(RuntimeError, match="gave 2 results for 3 records"):
        run_stages([stage], [sref], refs, work, {stage.name: StageStats(stage.name)},
                   lambda names, total: lambda n: None)
