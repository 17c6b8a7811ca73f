"""The report at scale (issues 21, 27): size of report.html, names.html and the files beside them, and the
time headless Chromium takes to open each, at 2,000 and 100,000 generated records.

`python bench/report.py [--sizes 2000,100000]`.  Records are generated (titles, paths, types, themes,
names drawn from a fixed vocabulary, seeded); the report is rendered as a run writes it; the time to open
is Chromium's `--dump-dom` of the report minus that of an empty page (the browser's own start), the median
of three.  Goals: report.html ≤ 300 KB and first render ≤ 1.5 s at 2,000 records; it still opens at 100,000.
Skipped (one line) when Chromium is not installed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.outputs import report  # noqa: E402
from pipeline.outputs.report.views import count_changes  # noqa: E402
from pipeline.record import Record, Source  # noqa: E402

THEMES = ("alimentation", "ruralité", "emploi et insertion", "tiers-lieux", "transition écologique", "Europe")
TYPES = ("web_page", "action_sheet", "report", "poster", "document")
WORDS = ("réseau", "cantine", "épicerie", "coopérative", "territoire", "solidaire", "projet", "commune")
PLACES = ("Rennes", "Brest", "Nantes", "Albi", "Rodez", "Gap", "Lille", "Amiens")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def headers(n: int, seed: int = 0) -> list[Record]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize() + f" {i}"
        out.append(Record(f"r{i:07d}", Source(f"site-{i % 40}/page-{i:07d}.txt", "0" * 64, "txt", "text"), "",
                          title=title, doc_type=rng.choice(TYPES), language=rng.choice(("fr", "fr", "fr", "en")),
                          themes=sorted(rng.sample(THEMES, rng.randint(0, 2))), places=sorted(rng.sample(PLACES, 2)),
                          organisations=[f"Réseau {rng.choice(PLACES)}"], entities=[{"label": "LOC"}] * 3,
                          dates=[{"start": f"{rng.randint(2010, 2024)}-01-01"}]))
    return out


def write(folder: Path, records: list[Record]) -> None:
    manifest = {"summary": {"files": len(records), "ok": len(records), "quarantined": 0, "skipped": 0, "flagged": 0,
                            "records": len(records)}, "files": []}
    changed = count_changes(records)
    (folder / "report.html").write_text(report.render(records, manifest, changed), "utf-8")
    for name, content in report.render_assets(records, manifest, changed).items():
        (folder / name).write_text(content, "utf-8")
    (folder / "run.js").write_text("window.GLANEUR_RUN = {};\n", "utf-8")


def open_seconds(page: Path, profile: Path) -> float:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--dump-dom"]
    started = time.perf_counter()
    subprocess.run([CHROMIUM, *flags, page.as_uri()], capture_output=True, timeout=300)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,100000")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("report bench skipped: chromium is not installed")
        return 0
    print(f"{'records':>8} {'report.html':>12} {'records.js':>11} {'open (s)':>9} {'names.html':>11} {'names.js':>9} "
          f"{'open (s)':>9}  goal")
    work = Path(tempfile.mkdtemp(prefix="glaneur-report-"))
    try:
        empty = work / "empty.html"
        empty.write_text("<!DOCTYPE html><title>vide</title>", "utf-8")
        for n in (int(x) for x in args.sizes.split(",")):
            folder = work / str(n)
            (folder / "pages").mkdir(parents=True)
            write(folder, headers(n))
            base = statistics.median(open_seconds(empty, work / "profile") for _ in range(3))
            seconds = statistics.median(open_seconds(folder / "report.html", work / "profile") for _ in range(3)) - base
            names = statistics.median(open_seconds(folder / "names.html", work / "profile") for _ in range(3)) - base
            size = (folder / "report.html").stat().st_size
            goal = (f"≤ 300 KB {'met' if size <= 300_000 else 'NOT MET'}, ≤ 1.5 s {'met' if seconds <= 1.5 else 'NOT MET'}"
                    if n == 2000 else "opens")
            kb = lambda name: (folder / name).stat().st_size / 1024  # noqa: E731
            print(f"{n:>8} {size / 1024:>10.0f} KB {kb('records.js'):>8.0f} KB {seconds:>9.2f} "
                  f"{kb('names.html'):>8.0f} KB {kb('names.js'):>6.0f} KB {names:>9.2f}  {goal}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
