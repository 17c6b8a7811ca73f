"""Repair measured on real French OCR written by others (ICDAR 2017, ../shared/external).

For each document: the character error rate of the OCR as given (the bare input), after ftfy alone (the
library repair builds on), and after glaneur's repair; and how many letters repair dropped.  Repair must
never raise the error rate of a document, nor drop more than a few characters of real text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
ICDAR = ROOT.parent / "shared" / "external" / "icdar2017-fr-monograph-dev.jsonl"


def normalise(text: str) -> str:
    """As the ICDAR measure asks: NFC, typographic apostrophes folded, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[’‘`´]", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def cer(hypothesis: str, truth: str) -> float:
    a, b = normalise(hypothesis), normalise(truth)
    return Levenshtein.distance(a, b) / max(1, len(b))


def documents() -> list[dict[str, str]]:
    if not ICDAR.exists():
        return []
    return [json.loads(line) for line in ICDAR.read_text("utf-8").splitlines() if line.strip()]


def measure(config) -> list[dict[str, float | str | int]]:
    import ftfy

    from pipeline.repair import context, repair_text

    ctx = context(config)
    rows = []
    for doc in documents():
        repaired, changes = repair_text(doc["ocr"], ctx)
        dropped = sum(sum(ch.isalpha() for ch in c.before) for c in changes if c.operation.startswith("drop_"))
        rows.append({"file": doc["file"], "chars": len(doc["truth"]), "ocr": cer(doc["ocr"], doc["truth"]),
                     "ftfy": cer(ftfy.fix_text(doc["ocr"]), doc["truth"]),
                     "glaneur": cer(repaired, doc["truth"]), "dropped_letters": dropped})
    return rows


def report(config) -> None:
    rows = measure(config)
    if not rows:
        print("ICDAR 2017 (real French OCR): skipped, ../shared/external is absent")
        return
    print(f"{'ICDAR 2017 fr document':<28} {'chars':>6} {'CER ocr':>8} {'ftfy':>8} {'glaneur':>8} {'dropped':>8}")
    for r in rows:
        print(f"{r['file'][:28]:<28} {r['chars']:>6} {r['ocr']:>8.4f} {r['ftfy']:>8.4f} {r['glaneur']:>8.4f} "
              f"{r['dropped_letters']:>8}")
    total = sum(r["chars"] for r in rows)
    mean = {k: sum(r[k] * r["chars"] for r in rows) / total for k in ("ocr", "ftfy", "glaneur")}
    print(f"{'all (weighted by length)':<28} {total:>6} {mean['ocr']:>8.4f} {mean['ftfy']:>8.4f} "
          f"{mean['glaneur']:>8.4f} {sum(r['dropped_letters'] for r in rows):>8}")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    from pipeline.config import load

    report(load(ROOT / "config" / "pipeline.toml"))
