"""Precision, recall and F1 per label of classify's output against golden annotations (tests/golden/classify.json,
and the held-out set tests/golden/heldout/classify.json): used by the tests (with floors) and by `make bench`
(beside the bare model).  Names are compared folded (case, accents, a leading article, hyphens ignored):
"La CRESS" is "CRESS"; what is scored is finding the thing, not its spelling."""

from __future__ import annotations

import json
from pathlib import Path

from .text.fold import fold_name

LABELS = ("ORG", "LOC", "PER", "DATE")


def found_by_label(record: dict) -> dict[str, set[str]]:
    return {
        "ORG": {fold_name(x) for x in record["organisations"]},
        "LOC": {fold_name(x) for x in record["places"]},
        "PER": {fold_name(x) for x in record["people"]},
        "DATE": {d["start"] for d in record["dates"] if d["start"]},
    }


def score(records: list[dict], golden_path: Path) -> dict[str, dict[str, float]]:
    golden = json.loads(golden_path.read_text("utf-8"))["records"]
    counts = {label: [0, 0, 0] for label in LABELS}  # true positives, found, expected
    by_title = {r["title"]: r for r in records}
    for title, expected in golden.items():
        found = found_by_label(by_title[title])
        for label in LABELS:
            want = {fold_name(x) if label != "DATE" else x for x in expected[label]}
            got = found[label]
            counts[label][0] += len(want & got)
            counts[label][1] += len(got)
            counts[label][2] += len(want)
    out = {}
    for label, (tp, found, expected) in counts.items():
        precision = tp / found if found else 1.0
        recall = tp / expected if expected else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}
    return out
