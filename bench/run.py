"""Benchmarks for `make bench`: time per format for extraction, and a whole run on a generated corpus.

Speed and memory are measured here, never in tests (the test machine is noisy).
Prints one table; exits 0.
"""

from __future__ import annotations

import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import load  # noqa: E402
from pipeline.extract import RawFile, Unreadable, extract_file  # noqa: E402
from pipeline.api import run  # noqa: E402

WORDS = ("réseau collectivités économie sociale solidaire territoire projet alimentation rurale "
         "coopération tiers-lieux insertion emploi transition écologique commune région acteurs").split()


def extract_bench(config) -> None:
    print(f"{'file':<45} {'format':<7} {'chars':>7} {'seconds':>8}")
    for path in sorted((ROOT / "raw").rglob("*")):
        if not path.is_file():
            continue
        started = time.perf_counter()
        try:
            record = extract_file(RawFile(path.name, path.read_bytes()), config)
            chars, fmt = len(record.text), record.source.format
        except Unreadable:
            chars, fmt = 0, "broken"
        print(f"{path.relative_to(ROOT / 'raw').as_posix():<45} {fmt:<7} {chars:>7} {time.perf_counter() - started:>8.3f}")


def repair_bench(config, chars: int = 2_000_000) -> None:
    """Repair throughput on a large generated text, with OCR damage sprinkled in."""
    from pipeline.repair import context, repair_text

    rng = random.Random(1)
    damaged = ["quelgues", "I'objet", "publigue", "systémes", "¢a", "déebut", "surles", "Aif,é#@@%’;)/"]
    lines, size = [], 0
    while size < chars:
        words = [rng.choice(WORDS) if rng.random() > 0.05 else rng.choice(damaged) for _ in range(rng.randint(8, 16))]
        line = " ".join(words) + rng.choice([".", ",", "", " :"])
        lines.append(line)
        size += len(line) + 1
        if rng.random() < 0.2:
            lines.append("")
    text = "\n".join(lines)
    ctx = context(config)
    repair_text(text[:20_000], ctx)  # load wordfreq once
    started = time.perf_counter()
    out, changes = repair_text(text, ctx)
    seconds = time.perf_counter() - started
    print(f"repair: {len(text):,} chars in {seconds:.2f}s = {len(text) / seconds:,.0f} chars/s, {len(changes):,} changes")
    print(f"repair throughput on the bench's word salad: {len(text) / seconds:,.0f} chars/s (goal >= 150,000)")
    icdar = ROOT.parent / "shared" / "external" / "icdar2017-fr-monograph-dev.jsonl"
    if icdar.exists():  # real OCR, each document repaired as `glaneur repair --jsonl` does, its start left out
        import json

        documents = [json.loads(line)["ocr"] for line in icdar.read_text("utf-8").splitlines() if line.strip()]
        size, started = 0, time.perf_counter()
        while size < 1_000_000:
            for document in documents:
                repair_text(document, ctx)
                size += len(document)
        seconds = time.perf_counter() - started
        print(f"repair throughput on real OCR (ICDAR French dev, {size:,} chars): {size / seconds:,.0f} chars/s "
              "(goal >= 500,000)")


def _dedup_one(n: int) -> tuple[float, float, int]:
    """Build n records (5% near copies) and deduplicate them; runs in a fresh process per size."""
    from pipeline.deduplicate import merge_records
    from pipeline.record import Record, Source

    cfg = load(ROOT / "config" / "pipeline.toml").section("deduplicate")
    rng = random.Random(n)
    records = []
    for i in range(n):
        if i and rng.random() < 0.05:
            base = records[rng.randrange(len(records))].text.split()
            base[rng.randrange(len(base))] = rng.choice(WORDS)
            text = " ".join(base)
        else:
            text = " ".join(rng.choice(WORDS) + (str(rng.randrange(1000)) if rng.random() < 0.2 else "")
                            for _ in range(80))
        records.append(Record(f"r{i:07d}", Source(f"d/{i:07d}.txt", "0" * 64, "txt", "text", None, [0, len(text)]),
                              text))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    out = merge_records(records, cfg)
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return seconds, grown, n - len(out)


def dedup_bench(config, sizes=(1_000, 10_000, 100_000)) -> None:
    """Cross-record deduplication: time and the growth of peak memory (RSS) as the corpus grows."""
    import multiprocessing

    print(f"{'records':>8} {'seconds':>8} {'us/record':>10} {'+peak MB':>9} {'merged':>7}")
    context = multiprocessing.get_context("spawn")
    for n in sizes:
        with context.Pool(1) as pool:
            seconds, grown, merged = pool.apply(_dedup_one, (n,))
        print(f"{n:>8} {seconds:>8.2f} {1e6 * seconds / n:>10.0f} {grown:>9.0f} {merged:>7}")


def classify_bench(config) -> None:
    """What the gazetteer and rules add over the bare spaCy model, and the stage's throughput."""
    import json
    from pipeline.evaluation import score

    from pipeline.classify import run as classify
    from pipeline.config import Config

    work = Path(tempfile.mkdtemp(prefix="glaneur-bench-"))
    golden = ROOT / "tests" / "golden"
    try:
        for name, raw, truth in (("own corpus (raw/, rules written from it)", ROOT / "raw", golden / "classify.json"),
                                 ("held-out documents", golden / "heldout" / "raw", golden / "heldout" / "classify.json"),
                                 ("unseen documents", golden / "unseen" / "raw", golden / "unseen" / "classify.json"),
                                 ("web pages (issue 20, written before its rules)", golden / "web" / "raw",
                                  golden / "web" / "classify.json")):
            results = {}
            for rules in (False, True):
                sections = {k: dict(v) for k, v in config.sections.items()}
                sections["classify"]["rules"] = rules
                variant = Config(sections, config.path)
                out = work / f"{raw.name}-rules-{rules}"
                run(raw, out, variant, use_cache=False, progress=False, log=None)
                records = [json.loads(x) for x in (out / "records.jsonl").read_text("utf-8").splitlines()]
                results[rules] = score(records, truth)
            print(f"classify on the {name}, {config.section('classify')['spacy_model']}, bare model vs glaneur:")
            print(f"{'label':<6} {'bare P':>7} {'bare R':>7} {'bare F1':>8} {'rules P':>8} {'rules R':>8} {'rules F1':>9}")
            for label in ("ORG", "LOC", "PER", "DATE"):
                b, r = results[False][label], results[True][label]
                print(f"{label:<6} {b['precision']:>7.2f} {b['recall']:>7.2f} {b['f1']:>8.2f} "
                      f"{r['precision']:>8.2f} {r['recall']:>8.2f} {r['f1']:>9.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    import hipe
    import languages

    hipe.main([])
    languages.main()

    from pipeline.classify.entities import load_model
    from pipeline.record import Record, Source

    rng = random.Random(3)
    sentences = [s for s in (ROOT / "samples" / "src" / "rapport-activite-2023.txt").read_text("utf-8").split(". ")
                 if not s.startswith("===")]
    texts = [". ".join(rng.choice(sentences) for _ in range(12)) for _ in range(300)]
    words = sum(len(t.split()) for t in texts)
    records = [Record(f"r{i}", Source("b.txt", "0" * 64, "txt", "text"), t) for i, t in enumerate(texts)]
    classify(records[:2], config)  # load the models once
    bare = load_model(config.section("classify")["spacy_model"], False, None)
    started = time.perf_counter()
    list(bare.pipe(texts, batch_size=config.section("classify")["spacy_batch_size"]))
    bare_seconds = time.perf_counter() - started
    started = time.perf_counter()
    classify(records, config)
    stage_seconds = time.perf_counter() - started
    print(f"classify: {words / stage_seconds:,.0f} words/s; bare spaCy model on the same texts: "
          f"{words / bare_seconds:,.0f} words/s ({words:,} words)")


WEB_PAGES = ROOT.parent / "shared" / "external" / "web-pages"


def real_pages_bench() -> None:
    """Issue 28: the 24 shared real web pages of our field, scored by their own scorer, glaneur beside the
    bare fr_core_news_md, per class, with the false positives and negatives (skipped without ../shared)."""
    import subprocess

    if not (WEB_PAGES / "score.py").exists():
        print(f"real pages: skipped ({WEB_PAGES} absent)")
        return
    for mode in ("--bare", None):
        result = subprocess.run([sys.executable, str(WEB_PAGES / "score.py"), str(ROOT), *([mode] if mode else [])],
                                capture_output=True, text=True, cwd=ROOT, timeout=1800)
        print(f"\nreal pages, {'bare model' if mode else 'glaneur'}:")
        print("\n".join(line[:600] for line in result.stdout.splitlines()))


def long_report_bench(config, chars: int = 3_000_000) -> None:
    """One legitimate report of `chars` characters through the whole pipeline: no stage may turn it into a
    hang (issue 10 measured more than 5 minutes before the quadratic paths were removed)."""
    from wordfreq import top_n_list

    rng = random.Random(3)
    vocabulary = top_n_list("fr", 8000)
    weights = [1 / (i + 1) for i in range(len(vocabulary))]
    paragraphs, total = [], 0
    while total < chars:
        paragraphs.append(" ".join(rng.choices(vocabulary, weights, k=rng.randint(30, 90))).capitalize() + ".")
        total += len(paragraphs[-1]) + 2
    work = Path(tempfile.mkdtemp(prefix="glaneur-bench-"))
    try:
        (work / "raw").mkdir()
        (work / "raw" / "rapport.txt").write_text("Rapport annuel\n\n" + "\n\n".join(paragraphs), "utf-8")
        started = time.perf_counter()
        result = run(work / "raw", work / "clean", config, use_cache=False, progress=False, log=None)
        per_stage = ", ".join(f"{s.name} {s.seconds:.1f}s" for s in result.stats)
        print(f"one report of {total:,} characters: {time.perf_counter() - started:.1f}s ({per_stage})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    config = load(ROOT / "config" / "pipeline.toml")
    extract_bench(config)
    repair_bench(config)
    import ocr_real

    ocr_real.report(config)
    import columns

    columns.main([])  # issue 22: posters read apart, and single-column text left as it stands
    classify_bench(config)
    real_pages_bench()
    dedup_bench(config, (1_000, 10_000, 100_000) if "--quick" not in sys.argv else (1_000, 10_000))
    if "--quick" not in sys.argv:
        long_report_bench(config)
    import report as report_bench

    report_bench.main([])  # issue 21: report.html's size and time to open at 2,000 and 100,000 records
    import scale

    # issue 13's table: every figure a ratio measured in this run (a full run at 2,000 files included)
    scale.main(["--files", "200", "--refresh-files", "200" if "--quick" in sys.argv else "2000"])
