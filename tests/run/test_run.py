"""`glaneur run`: manifest, quarantine, cache, byte-identical output, atomic swap, fatal errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RAW, ROOT, needs_tesseract
import pipeline.run as runner
from pipeline.outputs import OUTPUT_FILES
from pipeline.run import FatalError, run


def tiny_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "sous-dossier").mkdir(parents=True)
    (raw / "a.txt").write_text("Le RTES publie un guide sur la commande publique responsable à Lyon.\n", "utf-8")
    (raw / "sous-dossier" / "b.txt").write_bytes(
        "Économie sociale et solidaire : le réseau accompagne les collectivités de Bretagne.".encode("cp1252"))
    (raw / "vide.txt").write_bytes(b"")
    (raw / "binaire.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    (raw / "inconnu.xyz").write_text("???")
    (raw / ".DS_Store").write_bytes(b"\x00")
    return raw


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text("utf-8"))


def by_path(out: Path) -> dict:
    return {f["path"]: f for f in manifest(out)["files"]}


def test_every_file_has_a_manifest_entry_with_status(tmp_path, config):
    raw = tiny_raw(tmp_path)
    run(raw, tmp_path / "clean", config, use_cache=False, progress=False, log=None)
    files = by_path(tmp_path / "clean")
    assert set(files) == {"a.txt", "sous-dossier/b.txt", "vide.txt", "binaire.txt", "inconnu.xyz", ".DS_Store"}
    assert files["a.txt"]["status"] == "ok" and files["a.txt"]["records"]
    assert files["sous-dossier/b.txt"]["encoding"] == "cp1252"
    assert files["vide.txt"] == {**files["vide.txt"], "status": "quarantined", "reason": "empty file"}
    assert files["binaire.txt"]["status"] == "quarantined" and "binary" in files["binaire.txt"]["reason"]
    assert files["inconnu.xyz"]["status"] == "quarantined" and "unknown extension" in files["inconnu.xyz"]["reason"]
    assert files[".DS_Store"]["status"] == "skipped" and "skip" in files[".DS_Store"]["reason"]
    for name in OUTPUT_FILES:
        assert (tmp_path / "clean" / name).exists()


def test_records_point_back_to_their_file(tmp_path, config):
    raw = tiny_raw(tmp_path)
    run(raw, tmp_path / "clean", config, use_cache=False, progress=False, log=None)
    records = [json.loads(line) for line in (tmp_path / "clean" / "records.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    files = by_path(tmp_path / "clean")
    for record in records:
        assert record["id"] in files[record["source"]["path"]]["records"]
        assert record["source"]["sha256"] == files[record["source"]["path"]]["sha256"]


def test_unchanged_input_is_up_to_date_and_byte_identical(tmp_path, config):
    raw = tiny_raw(tmp_path)
    out = tmp_path / "clean"
    first = run(raw, out, config, use_cache=False, progress=False, log=None)
    before = {n: (out / n).read_bytes() for n in OUTPUT_FILES}
    again = run(raw, out, config, use_cache=False, progress=False, log=None)
    assert again.up_to_date and not first.up_to_date
    forced = run(raw, out, config, use_cache=False, progress=False, log=None, force=True)
    assert not forced.up_to_date
    assert {n: (out / n).read_bytes() for n in OUTPUT_FILES} == before



def test_the_stages_versions_are_the_table_the_up_to_date_check_reads():
    """`glaneur run` on an up-to-date output reads the versions from pipeline/versions.py without importing
    the stages: the table must be theirs, in the pipeline's order."""
    import subprocess

    from pipeline.stages import READER, STAGES
    from pipeline.versions import VERSIONS

    assert [(s.name, s.version) for s in [READER, *STAGES]] == list(VERSIONS.items())
    probe = "import sys, pipeline.cli, pipeline.run; print(sorted(m for m in sys.modules if m.startswith('pipeline.classify')))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"  # the CLI and the runner load no stage until there is work


def test_a_new_outputs_version_is_not_up_to_date(tmp_path, config, monkeypatch):
    """The report's search changed with no stage's output: clean/ stayed "up to date" with the old report."""
    import pipeline.run as runner

    raw = tiny_raw(tmp_path)
    out = tmp_path / "clean"
    run(raw, out, config, use_cache=False, progress=False, log=None)
    assert run(raw, out, config, use_cache=False, progress=False, log=None).up_to_date
    monkeypatch.setattr(runner, "OUTPUTS", runner.OUTPUTS + "-next")
    assert not run(raw, out, config, use_cache=False, progress=False, log=None).up_to_date


def test_changed_input_is_not_up_to_date(tmp_path, config):
    raw = tiny_raw(tmp_path)
    out = tmp_path / "clean"
    run(raw, out, config, use_cache=False, progress=False, log=None)
    (raw / "a.txt").write_text("Un autre texte, assez long pour que la langue soit reconnue sans doute.", "utf-8")
    again = run(raw, out, config, use_cache=False, progress=False, log=None)
    assert not again.up_to_date
    assert "Un autre texte" in (out / "records.jsonl").read_text("utf-8")


def test_cache_means_unchanged_files_are_not_reextracted(tmp_path, config, monkeypatch):
    raw = tiny_raw(tmp_path)
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # a relative cache_dir lives beside the output folder, not where glaneur runs
    run(raw, tmp_path / "one", config, progress=False, log=None)
    calls = tmp_path / "calls.txt"  # files are read in worker processes: they note their calls in a file
    from pipeline import extract

    real = extract.read_file

    def noting(f, c):
        with calls.open("a", encoding="utf-8") as handle:
            handle.write(f.path + "\n")
        return real(f, c)

    monkeypatch.setattr(extract, "read_file", noting)
    (raw / "nouveau.txt").write_text("Un nouveau document sur les tiers-lieux en milieu rural, à Figeac.", "utf-8")
    result = run(raw, tmp_path / "two", config, progress=False, log=None)
    assert calls.read_text("utf-8").split() == ["nouveau.txt"]
    stats = {s.name: s for s in result.stats}
    assert stats["extract"].computed == 1 and stats["extract"].cached == 5
    assert stats["classify"].computed == 1 and stats["classify"].cached == 2
    assert (tmp_path / ".cache" / "glaneur").is_dir() and not (elsewhere / ".cache").exists()


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "run.js" and ".cache" not in p.parts}


def _counting_renders(monkeypatch) -> list[str]:
    from pipeline.outputs import report

    rendered: list[str] = []
    real = report.render_page
    monkeypatch.setattr(report, "render_page", lambda r, *a, **k: rendered.append(r.id) or real(r, *a, **k))
    return rendered


def test_a_refresh_copies_the_pages_of_unchanged_records_and_gives_a_fresh_runs_bytes(tmp_path, config, monkeypatch):
    raw = tiny_raw(tmp_path)
    out = tmp_path / "clean"
    run(raw, out, config, progress=False, log=None)
    (raw / "a.txt").write_text("Un autre texte sur la commande publique, publié par le RTES à Lyon.\n", "utf-8")
    rendered = _counting_renders(monkeypatch)
    run(raw, out, config, progress=False, log=None)
    assert len(rendered) == 1  # the changed file's record; the other's page is copied
    fresh = tmp_path / "fresh"
    run(raw, fresh, config, use_cache=False, progress=False, log=None)  # no cache: every page rendered
    assert len(rendered) == 3
    assert _tree(out) == _tree(fresh)
    assert b"glaneur-page" not in b"".join(p.read_bytes() for p in (out / "pages").glob("*.html"))


def test_a_page_edited_or_made_by_other_code_is_rendered_again(tmp_path, config, monkeypatch):
    from pipeline.outputs import report

    raw = tiny_raw(tmp_path)
    out = tmp_path / "clean"
    run(raw, out, config, progress=False, log=None)
    page = sorted((out / "pages").glob("*.html"))[0]
    page.write_bytes(page.read_bytes() + b"<!-- edited -->")  # not the page that was written
    rendered = _counting_renders(monkeypatch)
    (raw / "nouveau.txt").write_text("Un nouveau document sur les tiers-lieux en milieu rural, à Figeac.", "utf-8")
    run(raw, out, config, progress=False, log=None)
    assert page.stem in rendered and len(rendered) == 2  # that page, and the new file's record
    monkeypatch.setattr(report, "_code_digest", lambda: "other code")
    rendered.clear()
    (raw / "nouveau.txt").write_text("Un nouveau document sur les tiers-lieux en milieu rural, à Cahors.", "utf-8")
    run(raw, out, config, progress=False, log=None)
    assert len(rendered) == 3  # every page


def test_a_page_under_another_config_is_rendered_again(tmp_path, monkeypatch):
    """A page shows what the config decided (a flag's threshold), which records.jsonl may not: a record
    whose line is unchanged under another config has its page rendered again."""
    from pipeline.config import load

    raw = tiny_raw(tmp_path)
    out = tmp_path / "clean"
    first = tmp_path / "first.toml"
    first.write_text("[run]\nworkers = 1\n", "utf-8")
    run(raw, out, load(first), progress=False, log=None)
    second = tmp_path / "second.toml"
    second.write_text("[run]\nworkers = 1\n[segment]\nlong_record_ratio = 50.0\n", "utf-8")
    rendered = _counting_renders(monkeypatch)
    run(raw, out, load(second), progress=False, log=None)
    assert len(rendered) == 2  # the records may be the same; what the config decided may show on their pages


def test_interrupted_run_leaves_previous_outputs_whole(tmp_path, config, monkeypatch):
    raw = tiny_raw(tmp_path)
    out = tmp_path / "clean"
    run(raw, out, config, use_cache=False, progress=False, log=None)
    before = {n: (out / n).read_bytes() for n in OUTPUT_FILES}
    (raw / "a.txt").write_text("Texte modifié pour forcer une nouvelle écriture des sorties du pipeline.", "utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "write_outputs", crash)
    with pytest.raises(KeyboardInterrupt):
        run(raw, out, config, use_cache=False, progress=False, log=None)
    assert {n: (out / n).read_bytes() for n in OUTPUT_FILES} == before


def test_missing_raw_dir_is_fatal(tmp_path, config):
    with pytest.raises(FatalError, match="is not a readable folder"):
        run(tmp_path / "absent", tmp_path / "clean", config, progress=False, log=None)


def test_unwritable_clean_dir_is_fatal(tmp_path, config):
    raw = tiny_raw(tmp_path)
    (tmp_path / "fichier").write_text("x")
    with pytest.raises(FatalError, match="cannot be written"):
        run(raw, tmp_path / "fichier" / "clean", config, progress=False, log=None)


def test_cli_run_exit_codes_and_one_line_errors(tmp_path):
    raw = tiny_raw(tmp_path)
    cli = [sys.executable, "-m", "pipeline", "run"]
    ok = subprocess.run(cli + [str(raw), "--out", str(tmp_path / "clean"), "--no-cache"],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert "quarantined vide.txt: empty file" in ok.stderr
    assert "extract" in ok.stderr and "classify" in ok.stderr  # the per-stage summary
    bad = subprocess.run(cli + [str(tmp_path / "absent"), "--out", str(tmp_path / "c2")],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert bad.stderr.startswith("glaneur: error: RAW_DIR")


def test_identical_files_at_two_paths_merge_into_one_record(tmp_path, config):
    raw = tmp_path / "raw"
    (raw / "copie").mkdir(parents=True)
    text = "Le réseau publie son rapport annuel sur l'économie sociale et solidaire en Occitanie."
    (raw / "original.txt").write_text(text, "utf-8")
    (raw / "copie" / "original.txt").write_text(text, "utf-8")
    run(raw, tmp_path / "clean", config, use_cache=False, progress=False, log=None)
    lines = (tmp_path / "clean" / "records.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["source"]["path"] == "copie/original.txt"  # earliest path wins among equals
    assert record["duplicates"] == [{"path": "original.txt", "span": [0, len(text)], "kind": "exact",
                                     "similarity": 1.0}]
    files = by_path(tmp_path / "clean")
    assert files["original.txt"]["records"] == [record["id"]]


@needs_tesseract
def test_sample_corpus(sample_run):
    out, result = sample_run
    files = by_path(out)
    raw_files = sorted(p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file())
    assert sorted(files) == raw_files
    assert files["broken/export-tronque.pdf"]["status"] == "quarantined"
    assert files["broken/export-tronque.pdf"]["reason"].startswith("corrupt PDF")
    ok = [f for f in files.values() if f["status"] == "ok"]
    assert len(ok) == len(raw_files) - 1 and all(f["records"] for f in ok)
    assert files["affiches/affiche-alimentation.png"]["ocr_pages"] == [1]
    assert files["rapports/compte-rendu-scanne.pdf"]["extraction"] == "ocr"
    assert files["archives/lettre-info-2019.txt"]["encoding"] == "cp1252"


def test_segmentation_problems_are_flagged_in_the_manifest(tmp_path, config):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "dump.txt").write_text(
        "Que faire d'un titre sans rien dessous ?\n\nLe vrai titre de la page\n\nType de ressource\nAutres\nRessource privée\nNon\n"
        "Résumé\n\nLe corps de la page explique le projet de la commune en détail.\n", "utf-8")
    run(raw, tmp_path / "clean", config, use_cache=False, progress=False, log=None)
    entry = by_path(tmp_path / "clean")["dump.txt"]
    assert len(entry["records"]) == 2
    assert any("has a title but no text" in flag for flag in entry["flags"])
    assert manifest(tmp_path / "clean")["summary"]["flagged"] == 1


def test_a_store_that_cannot_be_written_stops_with_one_line_and_keeps_the_previous_output(tmp_path, config,
                                                                                         monkeypatch):
    """Issue 29: a full disk under the record store is one line (exit 2 from the CLI), not a traceback, and
    the previous CLEAN_DIR stays whole."""
    import errno

    from pipeline.run.store import Store

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Le réseau se réunit à Lyon pour parler d'économie solidaire.\n", "utf-8")
    out = tmp_path / "clean"
    run(raw, out, config, use_cache=False, progress=False, log=None)
    before = (out / "records.jsonl").read_bytes()
    (raw / "b.txt").write_text("Une autre fiche, sur les cantines de Rennes.\n", "utf-8")

    def full(self, record):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Store, "put", full)
    with pytest.raises(FatalError, match="cannot write the record store .*No space left on device") as error:
        run(raw, out, config, use_cache=False, progress=False, log=None)
    assert "\n" not in str(error.value)
    assert (out / "records.jsonl").read_bytes() == before
