"""CLEAN_DIR: never a folder glaneur did not create, never RAW_DIR, whole after any interruption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from pipeline.errors import FatalError
from pipeline.outputs.folder import recover
from pipeline.outputs import OUTPUT_FILES
from pipeline.run import run

TEXT = "Le réseau des collectivités accompagne les projets d'économie sociale et solidaire en Bretagne.\n"


def corpus(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "sous").mkdir(parents=True)
    (raw / "a.txt").write_text(TEXT, "utf-8")
    (raw / "sous" / "b.txt").write_text(TEXT.replace("Bretagne", "Occitanie"), "utf-8")
    return raw


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "run", *args, "--no-cache", "--quiet"],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("where", ["raw", "inside", "parent"])
def test_out_that_is_raw_inside_it_or_its_parent_is_refused_and_nothing_is_touched(tmp_path, where):
    raw = corpus(tmp_path)
    out = {"raw": raw, "inside": raw / "clean", "parent": tmp_path}[where]
    before = snapshot(tmp_path)
    done = cli(str(raw), "--out", str(out))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "RAW_DIR" in done.stderr
    assert snapshot(tmp_path) == before


def test_a_folder_holding_the_users_files_is_refused(tmp_path, config):
    raw = corpus(tmp_path)
    mine = tmp_path / "mes-notes"
    mine.mkdir()
    (mine / "thèse.odt").write_bytes(b"precious")
    with pytest.raises(FatalError, match="not a glaneur output"):
        run(raw, mine, config, use_cache=False, progress=False, log=None)
    assert (mine / "thèse.odt").read_bytes() == b"precious"


def test_our_output_with_a_users_file_added_is_refused(tmp_path, config):
    raw = corpus(tmp_path)
    out = tmp_path / "clean"
    run(raw, out, config, use_cache=False, progress=False, log=None)
    (out / "analyse.ipynb").write_text("{}", "utf-8")
    (raw / "a.txt").write_text(TEXT + "\nUn ajout.\n", "utf-8")
    with pytest.raises(FatalError, match="did not write"):
        run(raw, out, config, use_cache=False, progress=False, log=None)
    assert (out / "analyse.ipynb").exists()


def test_an_empty_folder_and_our_own_previous_output_are_replaced(tmp_path, config):
    raw = corpus(tmp_path)
    out = tmp_path / "clean"
    out.mkdir()
    run(raw, out, config, use_cache=False, progress=False, log=None)
    (raw / "a.txt").write_text(TEXT + "\nUn ajout sur la coopération.\n", "utf-8")
    run(raw, out, config, use_cache=False, progress=False, log=None)
    assert "coopération" in (out / "records.jsonl").read_text("utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".clean.")]


def test_an_unwritable_out_stops_the_run_before_any_work(tmp_path, config, monkeypatch):
    raw = corpus(tmp_path)
    (tmp_path / "fichier").write_text("x")
    import pipeline.run as runner

    monkeypatch.setattr(runner, "run_files", lambda *a, **k: pytest.fail("work started"))
    with pytest.raises(FatalError, match="cannot be written"):
        run(raw, tmp_path / "fichier" / "clean", config, use_cache=False, progress=False, log=None)


def test_leftovers_of_killed_runs_are_cleaned_and_a_set_aside_output_restored(tmp_path):
    out = tmp_path / "clean"
    dead = 2 ** 22 + 12345  # above the default pid_max: no such process
    old = tmp_path / f".clean.old-{dead}"
    old.mkdir()
    (old / "manifest.json").write_text(json.dumps({"glaneur": "x", "fingerprint": "y"}), "utf-8")
    tmp = tmp_path / f".clean.tmp-{dead}"
    tmp.mkdir()
    (tmp / "records.jsonl").write_text("partial", "utf-8")
    stranger = tmp_path / f".clean.tmp-{dead + 1}"
    stranger.mkdir()
    (stranger / "à moi.txt").write_text("not glaneur's", "utf-8")
    done = recover(out)
    assert (out / "manifest.json").exists(), done
    assert not old.exists() and not tmp.exists()
    assert (stranger / "à moi.txt").exists()  # a folder holding anything else is never removed


def test_a_killed_run_without_cache_leaves_its_record_store_and_the_next_run_removes_it(tmp_path):
    """A run with --no-cache keeps its records in the temporary folder's `.store` (records/xx/<sha256>.json);
    killed, it left that folder behind for good (54 MB on 2,000 documents), since `.store` was not a name of
    ours.  Now it goes; a `.store` holding anything else, or a link, keeps the folder where it is."""
    out = tmp_path / "clean"
    dead = 2 ** 22 + 22345
    digest = "ab" + "0" * 62
    killed = tmp_path / f".clean.tmp-{dead}"
    (killed / ".store" / "records" / "ab").mkdir(parents=True)
    (killed / ".store" / "records" / "ab" / f"{digest}.json").write_text("{}", "utf-8")
    (killed / ".store" / "records" / "ab" / "tmpx1y2.tmp").write_text("{", "utf-8")
    (killed / "records.jsonl").write_text("partial", "utf-8")
    (killed / "corpus.sqlite-journal").write_bytes(b"")  # killed while writing the database
    strangers = []
    for n, (where, content) in enumerate([(".store/notes.txt", "à moi"), (".store/records/ab/mine.json", "x"),
                                          (".store/records/cd/" + digest + ".json", "{}")]):  # not its shard
        folder = tmp_path / f".clean.tmp-{dead + 1 + n}"
        (folder / where).parent.mkdir(parents=True)
        (folder / where).write_text(content, "utf-8")
        strangers.append(folder / where)
    linked = tmp_path / f".clean.tmp-{dead + 9}"
    (linked / ".store" / "records").mkdir(parents=True)
    (linked / ".store" / "records" / "ab").symlink_to(tmp_path)
    done = recover(out)
    assert not killed.exists(), done
    assert all(p.exists() for p in strangers) and linked.exists()
    old = tmp_path / f".clean.old-{dead + 20}"  # a set-aside output never holds a store: not ours
    (old / ".store" / "records" / "ab").mkdir(parents=True)
    (old / ".store" / "records" / "ab" / f"{digest}.json").write_text("{}", "utf-8")
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"glaneur": "x", "fingerprint": "y"}), "utf-8")
    recover(out)
    assert old.exists()


def test_a_leftover_with_a_number_no_process_has_stops_nothing(tmp_path):
    """`.clean.tmp-99999999999999999999` beside clean/ made os.kill overflow: every run stopped with a traceback.
    A name with other digits than ASCII's ("١٢٣٤٥") is no leftover of ours at all."""
    (tmp_path / ".clean.tmp-99999999999999999999").mkdir()
    (tmp_path / ".clean.tmp-99999999999999999999" / "records.jsonl").write_text("partial", "utf-8")
    arabic = tmp_path / ".clean.old-١٢٣٤٥"
    arabic.mkdir()
    done = recover(tmp_path / "clean")
    assert not (tmp_path / ".clean.tmp-99999999999999999999").exists(), done
    assert arabic.exists() and not (tmp_path / "clean").exists()


def test_kill_9_at_any_moment_leaves_the_previous_output_whole(tmp_path):
    """Kill a run at several moments (early, mid-run, while writing); the previous CLEAN_DIR is always
    there and whole, and the next run gives the same bytes as a run on a fresh cache."""
    raw = corpus(tmp_path)
    for i in range(6):
        (raw / f"doc-{i}.txt").write_text(TEXT.replace("Bretagne", f"commune n°{i}") * 3, "utf-8")
    out = tmp_path / "clean"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "--quiet"]
    subprocess.run(cmd, check=True, cwd=tmp_path, env=env, capture_output=True)
    previous = snapshot(out)
    (raw / "a.txt").write_text(TEXT + "\nUne phrase nouvelle sur les tiers-lieux.\n", "utf-8")
    for delay in (0.3, 1.0, 2.0, 3.0, 4.5):
        proc = subprocess.Popen(cmd + ["--force"], cwd=tmp_path, env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if not out.exists():
            recover(out)  # what the next run does first
        current = snapshot(out)
        assert set(OUTPUT_FILES) <= set(current), delay
        if current != previous:  # the run finished before the kill: then it is the new output, whole
            assert "tiers-lieux" in current["records.jsonl"].decode("utf-8")
            previous = current
    subprocess.run(cmd, check=True, cwd=tmp_path, env=env, capture_output=True)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".clean.")]
    fresh = tmp_path / "fresh"
    subprocess.run(cmd[:-3] + ["--out", str(fresh), "--no-cache", "--quiet"], check=True, cwd=tmp_path, env=env,
                   capture_output=True)
    a, b = snapshot(out), snapshot(fresh)
    a.pop("run.js"), b.pop("run.js")
    assert a == b


def test_a_users_file_inside_our_pages_folder_is_refused(tmp_path, config):
    raw = corpus(tmp_path)
    out = tmp_path / "clean"
    run(raw, out, config, use_cache=False, progress=False, log=None)
    assert list((out / "pages").glob("*.html"))
    (out / "pages" / "mes-notes.txt").write_text("à garder", "utf-8")
    with pytest.raises(FatalError, match="pages/mes-notes.txt"):
        run(raw, out, config, use_cache=False, progress=False, log=None, force=True)
    assert (out / "pages" / "mes-notes.txt").exists()
