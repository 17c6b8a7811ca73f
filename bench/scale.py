"""Scale: issue 13's figures, each a ratio measured in one run of this script, on a generated corpus.

    python bench/scale.py                      # the table (make bench): 200 documents, refresh at 2,000
    python bench/scale.py --files 200 --refresh-files 2000
    python bench/scale.py --scale 10000        # make bench-scale: 10,000 documents through the whole
                                               # pipeline on Dask, time and peak memory per stage

Every run is timed in a fresh process (python's start and the imports included, for glaneur and for the
bare model alike), with a thread that samples the memory (RSS) of that process and of all its children
(worker processes, Dask's nanny and workers) ten times a second; a sample is counted against the stage
running at that moment.  The corpus is bench/corpus.py's, written from our own documents.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from corpus import write_corpus  # noqa: E402

GOALS = {"run_vs_bare": 1.15, "dask_speedup": 1.7, "refresh_unchanged": 0.01, "refresh_one": 0.05, "ocr": 1.1}


def config_with(work: Path, **run_keys: object) -> Path:
    """A copy of config/ whose [run] section has `run_keys`; returns its pipeline.toml."""
    folder = work / f"config-{len(list(work.glob('config-*')))}"
    shutil.copytree(ROOT / "config", folder)
    path = folder / "pipeline.toml"
    text = path.read_text("utf-8")
    for name, value in run_keys.items():
        text, n = re.subn(rf"(?m)^{name} = .*$", f"{name} = {json.dumps(value)}", text, count=1)
        assert n == 1, name
    path.write_text(text, "utf-8")
    return path


# --- what runs in the measured process ------------------------------------------------------------------

def _sampler(samples: list[tuple[float, int]], stop: list[bool]) -> None:
    import psutil

    me = psutil.Process()
    while not stop:
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        samples.append((time.perf_counter(), total))
        time.sleep(0.1)


def measured_run(raw: str, out: str, config: str, cache: bool) -> dict:
    """One glaneur run in this process, with its stages' times and peak memory."""
    import threading

    samples: list[tuple[float, int]] = []
    stop: list[bool] = []
    thread = threading.Thread(target=_sampler, args=(samples, stop), daemon=True)
    thread.start()
    from pipeline.api import run

    started = time.perf_counter()
    result = run(raw, out, config, use_cache=cache, progress=False, log=None)
    ended = time.perf_counter()
    stop.append(True)
    thread.join()
    stages = []
    for s in result.stats:
        peak = max((m for t, m in samples if s.started <= t <= s.ended), default=0)
        stages.append({"name": s.name, "seconds": s.ended - s.started, "records_in": s.records_in,
                       "records_out": s.records_out, "cached": s.cached, "computed": s.computed,
                       "peak_mb": peak / 2**20})
    return {"seconds": ended - started, "up_to_date": result.up_to_date, "stages": stages,
            "peak_mb": max((m for _, m in samples), default=0) / 2**20}


def bare_model(texts_file: str, model: str, batch_size: int) -> dict:
    """The bare spaCy model on the same texts: the load and `nlp.pipe`, as a user would write it."""
    started = time.perf_counter()
    import spacy

    nlp = spacy.load(model)
    texts = json.loads(Path(texts_file).read_text("utf-8"))
    loaded = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return {"load": loaded - started, "pipe": time.perf_counter() - loaded}


def in_fresh_process(function: str, *args: object) -> tuple[dict, float]:
    """`function(*args)` of this module in a new python; returns its answer and the process's wall time."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--call", function, json.dumps(args)], capture_output=True,
                          text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"{function} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), seconds


# --- the figures ------------------------------------------------------------------------------------------

def glaneur(work: Path, raw: Path, name: str, config: Path, cache: bool = False, out: Path | None = None
            ) -> tuple[dict, float]:
    return in_fresh_process("measured_run", str(raw), str(out or work / name), str(config), cache)


def speed_figures(work: Path, files: int) -> dict:
    raw = work / f"raw-{files}"
    words = write_corpus(raw, files)
    one = config_with(work, workers=1)
    serial, serial_wall = glaneur(work, raw, "one-worker", one)
    local, local_wall = glaneur(work, raw, "two-workers", config_with(work, workers=2))
    dask, dask_wall = glaneur(work, raw, "dask", config_with(work, executor="dask", dask_workers=2))
    texts = [json.loads(line)["text"] for line in (work / "one-worker" / "records.jsonl").read_text("utf-8").splitlines()]
    (work / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    from pipeline.config import load

    classify = load(ROOT / "config" / "pipeline.toml").section("classify")
    bare, bare_wall = in_fresh_process("bare_model", str(work / "texts.json"), classify["spacy_model"],
                                       classify["spacy_batch_size"])
    for a, b in (("one-worker", "two-workers"), ("one-worker", "dask")):
        same = (work / a / "records.jsonl").read_bytes() == (work / b / "records.jsonl").read_bytes()
        assert same, f"{a} and {b} wrote different records"
    return {"files": files, "words": words, "serial": serial, "serial_wall": serial_wall, "local_wall": local_wall,
            "dask": dask, "dask_wall": dask_wall, "bare": bare, "bare_wall": bare_wall,
            "run_vs_bare": serial_wall / bare_wall, "local_speedup": serial_wall / local_wall,
            "dask_speedup": serial_wall / dask_wall}


def refresh_figures(work: Path, files: int) -> dict:
    raw = work / f"raw-refresh-{files}"
    write_corpus(raw, files, seed=1)
    config = config_with(work, cache_dir=str(work / "cache"))
    out = work / "refresh"
    _, full = glaneur(work, raw, "refresh", config, cache=True, out=out)
    _, unchanged = glaneur(work, raw, "refresh", config, cache=True, out=out)
    page = sorted(raw.rglob("*.txt"))[files // 2]
    page.write_text(page.read_text("utf-8").replace("\n\n", "\n\nUn paragraphe ajouté pour la mise à jour.\n\n", 1),
                    "utf-8")
    one, one_wall = glaneur(work, raw, "refresh", config, cache=True, out=out)
    return {"files": files, "full": full, "unchanged": unchanged, "one": one_wall, "one_stages": one["stages"],
            "refresh_unchanged": unchanged / full, "refresh_one": one_wall / full}


def ocr_figures(work: Path, images: int = 4) -> dict | None:
    """glaneur's reading of poster images ÷ `tesseract IMG - -l fra` on the same images, one worker each."""
    if not shutil.which("tesseract"):
        return None
    from PIL import Image

    raw = work / "raw-ocr"
    raw.mkdir()
    source = Image.open(ROOT / "raw" / "affiches" / "affiche-alimentation.png")
    paths = []
    for i in range(images):  # four posters, not four copies: each turned a little, so no cache or dedup helps
        path = raw / f"affiche-{i}.png"
        source.rotate(i * 0.4, expand=True, fillcolor="white").save(path)
        paths.append(path)
    started = time.perf_counter()
    for path in paths:
        subprocess.run(["tesseract", str(path), "-", "-l", "fra"], capture_output=True, check=True)
    tesseract = time.perf_counter() - started
    result, _ = glaneur(work, raw, "ocr", config_with(work, workers=1))
    extract = next(s for s in result["stages"] if s["name"] == "extract")["seconds"]
    return {"images": images, "tesseract": tesseract, "glaneur_extract": extract, "ocr": extract / tesseract}


def machine() -> str:
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GB RAM, " \
           f"Python {platform.python_version()}"


def stage_table(result: dict, words: int) -> None:
    print(f"  {'stage':<12} {'seconds':>8} {'words/s':>9} {'peak MB':>8} {'records in → out':>17} "
          f"{'computed':>9} {'cached':>7}")
    for s in result["stages"]:
        rate = words / s["seconds"] if s["seconds"] and words else 0
        print(f"  {s['name']:<12} {s['seconds']:>8.1f} {rate:>9,.0f} {s['peak_mb']:>8.0f} "
              f"{s['records_in']:>8} → {s['records_out']:<6} {s['computed']:>9} {s['cached']:>7}")


def table(files: int, refresh_files: int, work: Path) -> None:
    print(f"scale figures (bench/scale.py) on {machine()}")
    speed = speed_figures(work, files)
    refresh = refresh_figures(work, refresh_files)
    ocr = ocr_figures(work)
    rows = [
        ("whole run ÷ bare nlp.pipe (+ load), one worker", speed["run_vs_bare"], "run_vs_bare",
         f"{speed['serial_wall']:.1f}s vs {speed['bare_wall']:.1f}s"),
        ("2 local worker processes: speed-up over one", speed["local_speedup"], None,
         f"{speed['local_wall']:.1f}s"),
        ("Dask, 2 workers: speed-up over one worker", speed["dask_speedup"], "dask_speedup",
         f"{speed['dask_wall']:.1f}s"),
        (f"refresh, nothing changed ÷ full run ({refresh_files} files)", refresh["refresh_unchanged"],
         "refresh_unchanged", f"{refresh['unchanged']:.1f}s vs {refresh['full']:.1f}s"),
        (f"refresh, one file changed ÷ full run ({refresh_files} files)", refresh["refresh_one"], "refresh_one",
         f"{refresh['one']:.1f}s"),
    ]
    if ocr:
        rows.append((f"OCR of {ocr['images']} posters ÷ tesseract CLI", ocr["ocr"], "ocr",
                     f"{ocr['glaneur_extract']:.1f}s vs {ocr['tesseract']:.1f}s"))
    print(f"{'figure':<58} {'measured':>9} {'goal':>7}  detail")
    for label, value, goal, detail in rows:
        target = GOALS.get(goal or "")
        mark = "" if target is None else ("≤ " if goal != "dask_speedup" else "≥ ") + f"{target:g}"
        print(f"{label:<58} {value:>9.2f} {mark:>7}  {detail}")
    print(f"one worker, {files} documents, {speed['words']:,} words "
          f"(bare model: load {speed['bare']['load']:.1f}s, pipe {speed['bare']['pipe']:.1f}s):")
    stage_table(speed["serial"], speed["words"])
    print("Dask, 2 workers:")
    stage_table(speed["dask"], speed["words"])
    print(f"refresh after one file changed, {refresh_files} documents:")
    stage_table({"stages": refresh["one_stages"]}, 0)


def scale(files: int, work: Path) -> None:
    """make bench-scale: `files` documents through the whole pipeline on a local Dask cluster of 2 workers."""
    raw = work / f"raw-{files}"
    words = write_corpus(raw, files)
    result, wall = glaneur(work, raw, "scale", config_with(work, executor="dask", dask_workers=2))
    print(f"{files:,} documents, {words:,} words, Dask with 2 workers on {machine()}: {wall:.0f}s "
          f"({words / wall:,.0f} words/s), peak memory of all processes {result['peak_mb']:,.0f} MB")
    stage_table(result, words)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--refresh-files", type=int, default=2000)
    parser.add_argument("--scale", type=int, default=0, help="only the scale run, with this many documents")
    parser.add_argument("--call", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.call:
        print(json.dumps(globals()[args.call[0]](*json.loads(args.call[1]))))
        return
    work = Path(tempfile.mkdtemp(prefix="glaneur-scale-"))
    try:
        if args.scale:
            scale(args.scale, work)
        else:
            table(args.files, args.refresh_files, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
