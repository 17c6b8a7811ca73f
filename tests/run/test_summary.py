"""The run's summary on stderr: quarantined files one by one, flags one by one while few, else by kind."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.run import RunResult
from pipeline.outputs.manifest import flag_kind
from pipeline.run.summary import SHOWN, print_summary


def _result(flags: list[tuple[str, list[str]]], quarantined: tuple[str, str] | None = None) -> RunResult:
    files = [{"path": path, "status": "ok", "reason": None, "flags": notes} for path, notes in flags]
    if quarantined:
        files.append({"path": quarantined[0], "status": "quarantined", "reason": quarantined[1], "flags": []})
    summary = {"files": len(files), "ok": len(flags), "quarantined": int(bool(quarantined)), "skipped": 0,
               "records": 40}
    return RunResult(Path("clean"), False, {"summary": summary, "files": files})


def _printed(result: RunResult, monkeypatch, lang: str) -> list[str]:
    monkeypatch.setenv("LC_ALL", lang)
    out = io.StringIO()
    print_summary(result, 114.07, out)
    return out.getvalue().splitlines()


def test_few_flags_are_listed_one_by_one(monkeypatch):
    flags = [(f"site/p{i}.txt", [f"record r{i:015x} has no title"]) for i in range(SHOWN)]
    lines = _printed(_result(flags), monkeypatch, "C")
    assert [x for x in lines if x.startswith("  flagged")] == [f"  flagged site/p{i}.txt: record r{i:015x} has no title"
                                                              for i in range(SHOWN)]


def test_many_flags_are_counted_by_kind_with_a_first_example(monkeypatch):
    """2,000 scraped pages printed 1,308 flag lines: now one line per kind, the rarest first (as the report)."""
    flags = [(f"site/p{i}.txt", [f"record r{i:015x} has no title"]) for i in range(30)]
    flags += [("site/long.txt", ["record r00000000000000aa is 5.2 times the median length of this file's records"]),
              ("site/dump.txt", ["record r00000000000000bb has a title but no text"]),
              ("site/dump2.txt", ["record r00000000000000cc has a title but no text"])]
    lines = _printed(_result(flags, ("x.pdf", "corrupt PDF (unexpected EOF)")),
                     monkeypatch, "C")
    assert lines[-5:] == [
        "  quarantined x.pdf: corrupt PDF (unexpected EOF)",
        "  flagged 1 time(s), first site/long.txt: record r00000000000000aa is 5.2 times the median length of this "
        "file's records",
        "  flagged 2 time(s), first site/dump.txt: record r00000000000000bb has a title but no text",
        f"  flagged 30 time(s), first site/p0.txt: record r{0:015x} has no title",
        "  every flag is in clean/manifest.json; the files to look at, kind by kind: clean/report.html",
    ]


def test_a_french_user_reads_the_summary_in_french(monkeypatch):
    flags = [(f"site/p{i}.txt", [f"record r{i:015x} has no title"]) for i in range(SHOWN + 1)]
    lines = _printed(_result(flags, ("x.pdf", "corrupt PDF (unexpected EOF)")),
                     monkeypatch, "fr_FR.UTF-8")
    text = "\n".join(lines)
    assert "en 114,1 s" in text and "en quarantaine x.pdf : PDF abîmé" in text
    assert f"  signalé {SHOWN + 1} fois, d'abord site/p0.txt : la fiche r{0:015x} n'a pas de titre" in lines
    assert "  tous les signalements sont dans clean/manifest.json ; les fichiers à regarder, par sorte : " \
        "clean/report.html" in lines
    assert not any(x.isascii() and "flagged" in x for x in lines)


@pytest.mark.parametrize("a, b, same", [
    ("record r0123456789abcde has no title", "record rfedcba987654321 has no title", True),
    ("record r01234567 is 5.2 times the median", "record r89abcdef is 12.0 times the median", True),
    ("record r0123456789abcde has no title", "record r0123456789abcde has a title but no text", False),
])
def test_flag_kinds(a, b, same):
    assert (flag_kind(a) == flag_kind(b)) is same


def test_a_reason_the_catalogue_lacks_is_printed_as_written(monkeypatch):
    lines = _printed(_result([], ("x.bin", "a reason no catalogue holds")), monkeypatch, "fr_FR.UTF-8")
    assert lines[-1] == "  en quarantaine x.bin : a reason no catalogue holds"


def test_a_french_user_reads_counts_as_french_writes_them(monkeypatch):
    result = _result([(f"p{i}.txt", [f"record r{i:015x} has no title"]) for i in range(1308)])
    result.manifest["summary"]["records"] = 3074
    lines = _printed(result, monkeypatch, "fr_FR.UTF-8")
    assert "glaneur : 1\u202f308 fichiers (1\u202f308 lus, 0 en quarantaine, 0 ignoré), 3\u202f074 fiches -> clean " \
           "en 114,1 s" in lines
    # each count agrees with its number: "1 fichier", "1 lu", "1 fiche" (French takes the singular for 0 and 1)
    one = _result([("p.txt", [])])
    one.manifest["summary"]["records"] = 1
    assert "glaneur : 1 fichier (1 lu, 0 en quarantaine, 0 ignoré), 1 fiche -> clean en 114,1 s" in \
        _printed(one, monkeypatch, "fr_FR.UTF-8")
    assert "glaneur: 1 file (1 ok, 0 quarantined, 0 skipped), 1 record -> clean in 114.1s" in \
        _printed(one, monkeypatch, "C")
    assert any(x.startswith("  signalé 1\u202f308 fois, d'abord p0.txt") for x in lines)


def test_a_french_user_reads_the_stages_names_as_the_report_says_them(monkeypatch):
    from pipeline.run.records import StageStats

    result = _result([])
    result.stats = [StageStats("extract", files=3), StageStats("repair"), StageStats("deduplicate")]
    french = _printed(result, monkeypatch, "fr_FR.UTF-8")
    assert [x.split()[0] for x in french[1:4]] == ["extraction", "réparation", "dédoublonnage"]
    english = _printed(result, monkeypatch, "C")
    assert [x.split()[0] for x in english[1:4]] == ["extract", "repair", "deduplicate"]


def test_progress_bars_and_the_stage_table_speak_french(monkeypatch, tmp_path, config):
    """Under a French locale the bars read "fichiers", "réparation+découpage+…" and "fiche", and the stage table
    writes its counts as the summary line does (2 000)."""
    import contextlib

    import pipeline.run as runner
    import pipeline.run.files as files
    from pipeline.run import run

    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    bars: list[tuple[str, str]] = []

    def bar(iterable, desc, unit, total, show, leave=True):
        bars.append((desc, unit))
        return contextlib.nullcontext(type("Bar", (), {"update": lambda self, n=1: None, "close": lambda self: None})())

    monkeypatch.setattr(files, "progress_bar", bar)
    monkeypatch.setattr(runner, "progress_bar", lambda *a, **k: bar(*a, **k).__enter__())
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Le réseau des épiceries solidaires se réunit à Rennes.\n", "utf-8")
    log = io.StringIO()
    run(raw, tmp_path / "clean", config, use_cache=False, progress=True, log=log)
    assert bars[0] == ("fichiers", "fichier")
    assert ("réparation+découpage+dédoublonnage", "fiche") in bars
    english = {"files", "record", "repair", "segment", "deduplicate", "classify", "resolve"}
    assert not any(english & {desc, unit, *desc.split("+")} for desc, unit in bars), bars
    result = RunResult(Path("clean"), False, {"summary": {"files": 2000, "ok": 2000, "quarantined": 0, "skipped": 0,
                                                          "records": 1854}, "files": []},
                       [runner.StageStats("repair", files=0, records_in=2000, records_out=1854, computed=2000)])
    printed = _printed(result, monkeypatch, "fr_FR.UTF-8")
    assert "2\u202f000" in printed[1] and "1\u202f854" in printed[1] and "2000" not in printed[1]  # as the summary line
