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
from .records import Candidates, Print, candidates, fingerprint, merge_records

NAME = "deduplicate"

__all__ = ["Deduplicate", "dedup_paragraphs", "merge_records", "names_agree", "near", "run", "sentence_keys",
           "shingles"]


def _restructure(record: Record, paragraphs: list[str], known: dict[str, Structure]) -> Record:
    text, blocks, sentences = rebuild(paragraphs, known)
    return replace(record, text=text, blocks=blocks, sentences=sentences)


class Deduplicate:
    """The deduplicate stage: corpus scope, since records are compared with each other; a map-reduce.

    prepare (per record, cached): paragraphs said twice inside the record; learn (per record, cached): its
    fingerprint (folded-text hash, MinHash signature); decide (once): exact pairs and LSH
    candidates over the signatures; apply (on the corpus): candidates confirmed, groups merged."""

    name = NAME
    version = "4"
    scope = "corpus"
    splits = False
    apply_scope = "corpus"

    def setup(self, settings: Settings) -> None:
        self.settings = settings

    def prepare(self, records: list[Record]) -> list[Record]:
        if not self.settings["paragraphs"]:
            return records
        out = []
        for record in records:
            kept, changes = dedup_paragraphs(record, self.settings["paragraph_similarity"])
            if changes:
                known = paragraph_structures(record.text, record.blocks, record.sentences)
                record = _restructure(record.with_changes(*changes), kept, known)
            out.append(record)
        return out

    def learn(self, records: list[Record]) -> list[Print | None]:
        return [fingerprint(r.text, self.settings) if self.settings["records"] else None for r in records]

    def decide(self, learned: list[Print | None]) -> Candidates:
        return candidates(learned, self.settings) if self.settings["records"] else ([], [])

    def decision_key(self, found: Candidates) -> None:  # applied on the whole corpus: never cached per record
        return None

    def apply(self, records: list[Record], found: Candidates) -> list[Record]:
        if not self.settings["records"]:
            return sorted(records, key=lambda r: r.id)
        before = {r.id: r for r in records}
        at = {(r.source.path, tuple(r.source.span or ())): r for r in records}
        out = []
        for record in merge_records(records, self.settings, found):
            if before[record.id].text != record.text:  # a merge added paragraphs: their structure, from the copies
                known: dict[str, Structure] = {}
                copies = [at[place] for place in ((d["path"], tuple(d["span"] or ())) for d in record.duplicates)
                          if place in at]
                for copy in [before[record.id], *copies]:
                    for paragraph, structure in paragraph_structures(copy.text, copy.blocks,
                                                                     copy.sentences).items():
                        known.setdefault(paragraph, structure)
                record = _restructure(record, record.text.split("\n\n"), known)
            out.append(record)
        return sorted(out, key=lambda r: r.id)

    def run(self, records: list[Record]) -> list[Record]:
        records = self.prepare(records)
        return self.apply(records, self.decide(self.learn(records)))


def run(records: list[Record], config: Config) -> list[Record]:
    """The stage on `records` with `config`'s [deduplicate] section (for tests and one-off use)."""
    return run_with(Deduplicate(), records, config)
