"""Scale: issue 19's figures, each a ratio measured in one run of this script, on a generated corpus.

    python bench/scale.py                      # the table (make bench): speed at 200 and 1,000 documents,
                                               # memory at 500 and 2,000, refresh at 2,000
    python bench/scale.py --files 200 --refresh-files 2000
    python bench/scale.py --scale 10000        # make bench-scale: 10,000 documents through the whole
                                               # pipeline on Dask, time and peak memory per stage, of the
                                               # main process and of each worker

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

# Each goal: (≤ or ≥, value).
GOALS = {"run_vs_bare": ("≤", 1.25), "local_speedup": ("≥", 1.7), "dask_speedup": ("≥", 1.7),
         "memory_growth": ("≤", 1.25), "refresh_unchanged": ("≤", 0.01), "refresh_one": ("≤", 0.05),
         "ocr": ("≤", 1.1), "cluster_first": ("≥", 1.7)}


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

def _sampler(samples: list[tuple[float, ...]], stop: list[bool]) -> None:
    """(time, all processes, the main process, the largest child, all processes' PSS, the main process's USS),
    ten times a second.  RSS counts a page shared by forked workers in each of them (the models the main
    process loads before it forks): PSS shares it out, and the main process's USS is what it alone holds."""
    import psutil

    me = psutil.Process()
    while not stop:
        main = largest = total = pss = uss = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                info = proc.memory_full_info()
                shared, own = info.pss, info.uss
            except psutil.AccessDenied:  # no smaps to read: RSS stands for both
                try:
                    info = proc.memory_info()
                except psutil.Error:
                    continue
                shared = own = info.rss
            except psutil.Error:
                continue
            total += info.rss
            pss += shared
            if proc.pid == me.pid:
                main, uss = info.rss, own
            else:  # a worker (Dask's nanny, which watches one, is far smaller)
                largest = max(largest, info.rss)
        samples.append((time.perf_counter(), total, main, largest, pss, uss))
        time.sleep(0.1)


def measured_run(raw: str, out: str, config: str, cache: bool) -> dict:
    """One glaneur run in this process, with its stages' times and peak memory."""
    import threading

    samples: list[tuple[float, ...]] = []
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
        during = [x for x in samples if s.started <= x[0] <= s.ended]
        stages.append({"name": s.name, "seconds": s.ended - s.started, "records_in": s.records_in,
                       "records_out": s.records_out, "cached": s.cached, "computed": s.computed,
                       "peak_mb": max((x[1] for x in during), default=0) / 2**20,
                       "main_mb": max((x[2] for x in during), default=0) / 2**20,
                       "worker_mb": max((x[3] for x in during), default=0) / 2**20})
    return {"seconds": ended - started, "up_to_date": result.up_to_date, "stages": stages,
            "pss_mb": max((x[4] for x in samples), default=0) / 2**20,
            "main_uss_mb": max((x[5] for x in samples), default=0) / 2**20,
            "peak_mb": max((x[1] for x in samples), default=0) / 2**20,
            "main_mb": max((x[2] for x in samples), default=0) / 2**20,
            "worker_mb": max((x[3] for x in samples), default=0) / 2**20}


def bare_model(texts_file: str, model: str, batch_size: int) -> dict:
    """The bare spaCy model on the same texts: the load and `nlp.pipe`, as a user would write it."""
    started = time.perf_counter()
    import spacy

    # NER only, as a user who wants entities would load it: the parser, lemmatizer and tagger left out
    nlp = spacy.load(model, exclude=["parser", "lemmatizer", "attribute_ruler", "senter", "morphologizer"])
    texts = json.loads(Path(texts_file).read_text("utf-8"))
    loaded = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return {"load": loaded - started, "pipe": time.perf_counter() - loaded}


def model_load(model: str) -> dict:
    """glaneur's load of the spaCy model (its tokenizer's expressions included), timed in this process."""
    started = time.perf_counter()
    from pipeline.classify.model import load_model

    load_model(model, False, None)
    return {"load": time.perf_counter() - started}


def in_fresh_process(function: str, *args: object, env: dict[str, str] | None = None) -> tuple[dict, float]:
    """`function(*args)` of this module in a new python; returns its answer and the process's wall time."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--call", function, json.dumps(args)], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})})
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
    one, one_wall = glaneur(work, raw, "one-worker", config_with(work, workers=1))
    local, local_wall = glaneur(work, raw, "two-workers", config_with(work, workers=2))
    dask, dask_wall = glaneur(work, raw, "dask", config_with(work, executor="dask", dask_workers=2))
    texts = [json.loads(line)["text"] for line in (work / "one-worker" / "records.jsonl").read_text("utf-8").splitlines()]
    (work / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    from pipeline.config import load

    classify = load(ROOT / "config" / "pipeline.toml").section("classify")
    bare, bare_wall = in_fresh_process("bare_model", str(work / "texts.json"), classify["spacy_model"],
                                       classify["spacy_batch_size"])
    for a, b in (("one-worker", "two-workers"), ("one-worker", "dask")):
        for name in ("records.jsonl", "changes.jsonl", "records.parquet", "corpus.sqlite"):
            same = (work / a / name).read_bytes() == (work / b / name).read_bytes()
            assert same, f"{a} and {b} wrote different {name}"
    return {"files": files, "words": words, "one": one, "one_wall": one_wall, "local": local,
            "local_wall": local_wall, "dask": dask, "dask_wall": dask_wall, "bare": bare, "bare_wall": bare_wall,
            "run_vs_bare": one_wall / bare_wall, "local_speedup": one_wall / local_wall,
            "dask_speedup": one_wall / dask_wall}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cluster_figures(work: Path, files: int, one_wall: float) -> dict:
    """A cluster already running, started as the README says (`dask scheduler`, 2 `dask worker`s, from
    another folder), without and with `--preload pipeline.run.preload`: two runs on it, each timed in a
    fresh process, as speed-ups over one local worker."""
    dask_cli = Path(sys.executable).parent / "dask"
    out: dict = {}
    for preload in (False, True):
        address = f"tcp://127.0.0.1:{_free_port()}"
        config = config_with(work, executor="dask", dask_scheduler=address)
        env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False", "GLANEUR_CONFIG": str(config)}
        logs = open(work / f"cluster-{preload}.log", "w")
        elsewhere = work / "elsewhere"
        elsewhere.mkdir(exist_ok=True)
        procs = [subprocess.Popen([str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port",
                                   address.rsplit(":", 1)[1], "--no-dashboard"], stdout=logs, stderr=logs, env=env,
                                  cwd=elsewhere)]
        try:
            for _ in range(2):
                procs.append(subprocess.Popen([str(dask_cli), "worker", address, "--nthreads", "1", "--no-dashboard",
                                               *(["--preload", "pipeline.run.preload"] if preload else [])],
                                              stdout=logs, stderr=logs, env=env, cwd=elsewhere))
            from dask.distributed import Client

            with Client(address, timeout="60s") as client:
                client.wait_for_workers(2, timeout=300)
                if preload:
                    from pipeline.run.preload import stages_ready

                    client.run(stages_ready)  # answers once each worker's preload is done
            walls = [glaneur(work, work / f"raw-{files}", f"cluster-{preload}-{n}", config)[1] for n in (1, 2)]
        finally:
            for proc in reversed(procs):
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=60)
            logs.close()
        out["preload" if preload else "plain"] = [one_wall / w for w in walls]
    return out


def command_line_run(raw: Path, out: Path, config: Path) -> float:
    """`glaneur run` as a user types it, timed from outside: for a run with nothing to do, where this
    script's own start (its imports, the memory sampler) would be most of what is timed."""
    started = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "glaneur"), "run", str(raw), "--out", str(out),
                           "--config", str(config), "--quiet"], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"glaneur run failed:\n{done.stderr[-3000:]}")
    return seconds


def refresh_figures(work: Path, files: int) -> dict:
    """A full run with the cache (the default config: a worker per core), the same run again, then a run
    after one file changed; the full run's peak memory of the main process and of a worker."""
    raw = work / f"raw-refresh-{files}"
    write_corpus(raw, files, seed=1)
    config = config_with(work, cache_dir=str(work / f"cache-{files}"))
    out = work / f"refresh-{files}"
    full, full_wall = glaneur(work, raw, "refresh", config, cache=True, out=out)
    unchanged = min(command_line_run(raw, out, config) for _ in range(3))
    page = sorted(raw.rglob("*.txt"))[files // 2]
    page.write_text(page.read_text("utf-8").replace("\n\n", "\n\nUn paragraphe ajouté pour la mise à jour.\n\n", 1),
                    "utf-8")
    one, one_wall = glaneur(work, raw, "refresh", config, cache=True, out=out)
    return {"files": files, "full": full_wall, "full_run": full, "unchanged": unchanged, "one": one_wall,
            "one_stages": one["stages"], "refresh_unchanged": unchanged / full_wall, "refresh_one": one_wall / full_wall}


def load_figures(work: Path) -> dict:
    """The model's load in a fresh process, its tokenizer's expressions compiled there (as spaCy does) or read
    from the folder where an earlier process kept them (pipeline/text/compiled.py); best of two each."""
    from pipeline.config import load
    from pipeline.text.compiled import ENV

    model = load(ROOT / "config" / "pipeline.toml").section("classify")["spacy_model"]
    folder = work / "compiled"
    in_fresh_process("model_load", model, env={ENV: str(folder)})  # the first keeps them
    times: dict[str, list[float]] = {"off": [], "kept": []}
    for _ in range(2):
        for kind, value in (("off", "off"), ("kept", str(folder))):
            times[kind].append(in_fresh_process("model_load", model, env={ENV: value})[0]["load"])
    return {"compiled": min(times["off"]), "kept": min(times["kept"])}


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
    print(f"  {'stage':<12} {'seconds':>8} {'words/s':>9} {'peak MB':>8} {'main MB':>8} {'worker MB':>9} "
          f"{'records in → out':>17} {'computed':>9} {'cached':>7}")
    for s in result["stages"]:
        rate = words / s["seconds"] if s["seconds"] and words else 0
        print(f"  {s['name']:<12} {s['seconds']:>8.1f} {rate:>9,.0f} {s['peak_mb']:>8.0f} {s['main_mb']:>8.0f} "
              f"{s['worker_mb']:>9.0f} {s['records_in']:>8} → {s['records_out']:<6} {s['computed']:>9} "
              f"{s['cached']:>7}")


def _row(label: str, value: float, goal: str | None, detail: str) -> None:
    sign, target = GOALS.get(goal or "", ("", None))
    mark = "" if target is None else f"{sign} {target:g}"
    met = "" if target is None else ("met" if (value <= target if sign == "≤" else value >= target) else "NOT MET")
    print(f"{label:<62} {value:>9.3f} {mark:>7} {met:>8}  {detail}")


def table(files: int, refresh_files: int, memory_files: int, work: Path, more_files: int = 0) -> None:
    print(f"scale figures (bench/scale.py) on {machine()}")
    speed = speed_figures(work, files)
    more = speed_figures(work, more_files) if more_files else None  # the second size
    cluster = cluster_figures(work, files, speed["one_wall"])
    small = refresh_figures(work, files)
    memory = refresh_figures(work, memory_files)
    large = refresh_figures(work, refresh_files)
    ocr = ocr_figures(work)
    loads = load_figures(work)
    growth = large["full_run"]["main_mb"] / memory["full_run"]["main_mb"]
    print(f"{'figure':<62} {'measured':>9} {'goal':>7} {'':>8}  detail")
    for size in (speed, more) if more else (speed,):
        n = size["files"]
        _row(f"one worker ÷ bare NER nlp.pipe (+ load), {n} docs", size["run_vs_bare"], "run_vs_bare",
             f"{size['one_wall']:.1f}s vs {size['bare_wall']:.1f}s")
        _row(f"2 local workers: speed-up over 1 worker, {n} docs", size["local_speedup"], "local_speedup",
             f"{size['local_wall']:.1f}s")
        # the Dask goal is at its larger size (a cluster the run starts pays its start once)
        _row(f"Dask, 2 workers: speed-up over 1 local worker, {n} docs", size["dask_speedup"],
             "dask_speedup" if size is more or not more else None, f"{size['dask_wall']:.1f}s")
    for kind, label in (("plain", "cluster already running"), ("preload", "cluster running, --preload")):
        first, second = cluster[kind]
        _row(f"Dask, {label}: first run ÷ 1 worker, {files} docs", first, "cluster_first",
             f"second run {second:.2f}")
    _row(f"main-process peak memory, {memory_files} → {refresh_files} docs (×)", growth, "memory_growth",
         f"{memory['full_run']['main_mb']:.0f} → {large['full_run']['main_mb']:.0f} MB; largest worker "
         f"{large['full_run']['worker_mb']:.0f} MB")
    _row(f"one file changed ÷ full run, {refresh_files} docs", large["refresh_one"], "refresh_one",
         f"{large['one']:.1f}s vs {large['full']:.1f}s")
    for refresh in (small, large):
        _row(f"nothing changed ÷ full run, {refresh['files']} docs", refresh["refresh_unchanged"],
             "refresh_unchanged", f"{refresh['unchanged']:.2f}s vs {refresh['full']:.1f}s")
    if ocr:
        _row(f"OCR of {ocr['images']} posters ÷ tesseract CLI", ocr["ocr"], "ocr",
             f"{ocr['glaneur_extract']:.1f}s vs {ocr['tesseract']:.1f}s")
    _row("model load in a fresh process: expressions kept ÷ compiled", loads["kept"] / loads["compiled"], None,
         f"{loads['kept']:.2f}s vs {loads['compiled']:.2f}s (spaCy's tokenizer, text/compiled.py)")
    for size in (speed, more) if more else (speed,):
        print(f"one worker, {size['files']} documents, {size['words']:,} words "
              f"(bare model: load {size['bare']['load']:.1f}s, pipe {size['bare']['pipe']:.1f}s):")
        stage_table(size["one"], size["words"])
        print("2 local workers:")
        stage_table(size["local"], size["words"])
        print("Dask, 2 workers:")
        stage_table(size["dask"], size["words"])
    print(f"refresh after one file changed, {refresh_files} documents:")
    stage_table({"stages": large["one_stages"]}, 0)


def scale(files: int, work: Path) -> None:
    """make bench-scale: `files` documents through the whole pipeline on a local Dask cluster of 2 workers."""
    raw = work / f"raw-{files}"
    words = write_corpus(raw, files)
    result, wall = glaneur(work, raw, "scale", config_with(work, executor="dask", dask_workers=2))
    print(f"{files:,} documents, {words:,} words, Dask with 2 workers on {machine()}: {wall:.0f}s "
          f"({words / wall:,.0f} words/s); peak memory: all processes {result['peak_mb']:,.0f} MB, "
          f"the main process {result['main_mb']:,.0f} MB, the largest worker {result['worker_mb']:,.0f} MB; "
          f"shared pages counted once (PSS) all processes {result['pss_mb']:,.0f} MB, the main process's own "
          f"(USS) {result['main_uss_mb']:,.0f} MB")
    stage_table(result, words)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--more-files", type=int, default=1000,
                        help="the speed figures again at this size (issue 29's second column; 0: not)")
    parser.add_argument("--refresh-files", type=int, default=2000)
    parser.add_argument("--memory-files", type=int, default=500, help="the smaller corpus of the memory growth")
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
            table(args.files, args.refresh_files, args.memory_files, work, args.more_files)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
