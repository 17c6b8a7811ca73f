"""Deduplicate stage: each passage once, nothing lost, duplicates traced.

Entry point: `run(records, config) -> records` (the whole corpus at once).

Inside a record (a scraped page repeats its body as a "Résumé"):
* a paragraph whose sentences all stand already in the record is dropped;
* of two near-identical paragraphs (see `near`, >= `paragraph_similarity`)
  the fuller one is kept, in the place of the first;
* a paragraph found in only one of the copies is always kept (the summary of
  seed 001's RepèrESS page holds an e-mail address its body does not).

Across records and files:
* exact duplicates share the hash of their folded text;
* near duplicates are found with MinHash LSH (datasketch) over word shingles,
  so the work grows about linearly with the corpus; every candidate pair is
  then confirmed by the real Jaccard similarity of the shingle sets and by
  the names and numbers of the two texts (two pages of one template about
  different organisations or speakers differ there), before any merge;
* a group of duplicates becomes one record: the most complete copy (longest
  text, then most fields), then the earliest path and span; its `duplicates`
  lists every other place, with kind and similarity; a paragraph that only
  another copy has is added to it, so nothing is lost.

Every dropped, replaced or added paragraph and every merge is a Change.
"""

from __future__ import annotations

from dataclasses import replace

from ..config import Config
from ..record import Record
from ..stage import Settings, run_with
from ..text.structure import Structure, paragraph_structures, rebuild
from .compare import near, names_agree, sentence_keys, shingles
from .paragraphs import dedup_paragraphs
from .records import merge_records

NAME = "deduplicate"

__all__ = ["Deduplicate", "dedup_paragraphs", "merge_records", "names_agree", "near", "run", "sentence_keys",
           "shingles"]


def _restructure(record: Record, paragraphs: list[str], known: dict[str, Structure]) -> Record:
    text, blocks, sentences = rebuild(paragraphs, known)
    return replace(record, text=text, blocks=blocks, sentences=sentences)


class Deduplicate:
    """The deduplicate stage: corpus scope, since records are compared with each other."""

    name = NAME
    version = "3"
    scope = "corpus"
    splits = False

    def setup(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, records: list[Record]) -> list[Record]:
        cfg = self.settings
        known: dict[str, Structure] = {}  # each paragraph's structure, as segment found it
        for record in records:
            for paragraph, structure in paragraph_structures(record.text, record.blocks, record.sentences).items():
                known.setdefault(paragraph, structure)
        out = []
        for record in records:
            if cfg["paragraphs"]:
                kept, changes = dedup_paragraphs(record, cfg["paragraph_similarity"])
                if changes:
                    record = _restructure(record.with_changes(*changes), kept, known)
            out.append(record)
        if cfg["records"]:
            before = {r.id: r.text for r in out}
            out = merge_records(out, cfg)
            out = [_restructure(r, r.text.split("\n\n"), known) if before.get(r.id) != r.text else r for r in out]
        return sorted(out, key=lambda r: r.id)


def run(records: list[Record], config: Config) -> list[Record]:
    """The stage on `records` with `config`'s [deduplicate] section (for tests and one-off use)."""
    return run_with(Deduplicate(), records, config)
