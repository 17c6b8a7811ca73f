"""report.html in a real browser: headless Chromium loads it from disk, with no console error."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000"]


def chromium(tmp_path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
                          capture_output=True, text=True, timeout=120)


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line and re.search(r"error|uncaught|pwned|img", line, re.I)]


@pytest.fixture(scope="module")
def report(hostile_run):
    return hostile_run / "report.html"


def test_loads_without_console_errors_and_runs_its_script(report, tmp_path):
    result = chromium(tmp_path, report.as_uri(), "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert not console_errors(result.stderr), console_errors(result.stderr)
    dom = result.stdout
    assert "<title>glaneur — rapport</title>" in dom  # the hostile record did not rename the page
    assert "<th>étape</th><th>calculées</th>" in dom  # run.js loaded and the stage times were drawn
    for page in (report.parent / "pages").glob("*.html"):  # every record page, the hostile one among them
        result = chromium(tmp_path, page.as_uri(), "--dump-dom")
        assert result.returncode == 0 and not console_errors(result.stderr), console_errors(result.stderr)
        assert "— glaneur</title>" in result.stdout  # no document renamed its page
    hostile = "".join(p.read_text("utf-8") for p in (report.parent / "pages").glob("*.html"))
    assert "&lt;script&gt;document.title" in hostile


def test_screenshots_of_the_overview_and_a_record_page(report, tmp_path, hostile_run):
    import json

    first = json.loads((hostile_run / "records.jsonl").read_text("utf-8").splitlines()[0])["id"]
    for name, url in (("overview", report.as_uri()), ("record", (hostile_run / "pages" / f"{first}.html").as_uri())):
        png = tmp_path / f"{name}.png"
        result = chromium(tmp_path, url, f"--screenshot={png}", "--window-size=1280,1600")
        assert png.exists() and png.stat().st_size > 10_000, result.stderr[-2000:]
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_filters_work_from_the_address_in_a_real_browser(sample_run, tmp_path):
    """The records table filtered by type and by words, as the page's script does it in Chromium."""
    import json

    out, _ = sample_run
    records = [json.loads(x) for x in (out / "records.jsonl").read_text("utf-8").splitlines()]
    pages = sum(r["doc_type"] == "web_page" for r in records)
    for query, expected in ((f"?type=web_page", pages), ("?q=garages", 1), ("?q=introuvable", 0)):
        dom = chromium(tmp_path, (out / "report.html").as_uri() + query, "--dump-dom").stdout
        rows = re.findall(r'<tr data-type="[^"]*"[^>]*?(style="display: none;")?>', dom)
        assert sum(1 for hidden in rows if not hidden) == expected, query
        assert f"{expected} fiche(s) sur {len(records)}" in dom
