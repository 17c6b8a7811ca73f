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
from ..record import Change, Edit, Record
from ..text.replay import anchors, place
from ..stage import Settings, run_with
from ..text.structure import Structure, paragraph_structures, rebuild
from .compare import near, names_agree, sentence_keys, shingles
from .paragraphs import dedup_paragraphs
from .records import Candidates, Group, Print, candidates, compare, fingerprint, groups, merge_group, merge_records
from ..versions import VERSIONS

NAME = "deduplicate"

__all__ = ["Deduplicate", "dedup_paragraphs", "merge_records", "names_agree", "near", "run", "sentence_keys",
           "shingles"]


_PARAGRAPHS = Edit("drop_repeated_paragraph", "", "", reason="a paragraph said twice in this record: kept once")
_ADDED = Edit("add_paragraph_from_duplicate", "", "", reason="only a copy merged into this record had it")


def _restructure(record: Record, paragraphs: list[str], known: dict[str, Structure]) -> Record:
    text, blocks, sentences = rebuild(paragraphs, known)
    return replace(record, text=text, blocks=blocks, sentences=sentences)


def _placed(keeper: Record, merged: Record) -> Record:
    """The merged record with the paragraphs it gained placed where they were added (its own changes of
    this merge come after the keeper's; the copies' changes are theirs, `of` their records)."""
    edits: list[Edit] = []
    notes: list[Change] = []
    for c in merged.changes[len(keeper.changes):]:
        if c.of is None and c.operation == _ADDED.operation:
            edits.append(Edit(c.operation, c.before, c.after, c.reason))
        else:
            notes.append(c)
    placed = Change.stamp(place(keeper.text, merged.text, edits, _ADDED), NAME, keeper.source.path)
    return replace(merged, changes=keeper.changes + tuple(notes) + placed)


class Deduplicate:
    """The deduplicate stage: corpus scope, since records are compared with each other; a map-reduce that
    merges groups (`Merges` in pipeline/stage.py).

    prepare (per record, cached): paragraphs said twice inside the record; learn (per record, cached): its
    fingerprint (folded-text hash, LSH band keys); decide (once, indexes only): exact pairs and the pairs
    sharing a band; compare (on the workers): each candidate pair confirmed; group (once): union-find;
    merge (on the workers): each group into one record."""

    name = NAME
    version = VERSIONS[NAME]
    scope = "corpus"
    splits = False
    apply_scope = "groups"

    def setup(self, settings: Settings) -> None:
        self.settings = settings

    def prepare(self, records: list[Record]) -> list[Record]:
        if not self.settings["paragraphs"]:
            return records
        out = []
        for record in records:
            kept, edits, where = dedup_paragraphs(record, self.settings["paragraph_similarity"])
            if edits:
                known = paragraph_structures(record.text, record.blocks, record.sentences)
                new = _restructure(record, kept, known)
                placed = place(record.text, new.text, edits, _PARAGRAPHS, anchors(record.text, kept, where))
                record = new.with_changes(*Change.stamp(placed, NAME, record.source.path))
            out.append(record)
        return out

    def learn(self, records: list[Record]) -> list[Print | None]:
        return [fingerprint(r.text, self.settings) if self.settings["records"] else None for r in records]

    def decide(self, learned: list[Print | None]) -> Candidates:
        return candidates(learned, self.settings) if self.settings["records"] else ([], [])

    def decision_key(self, found: Candidates) -> None:  # applied group by group: never cached per record
        return None

    def compare(self, pairs: list[tuple[Record, Record]]) -> list[float | None]:
        return compare(pairs, self.settings)

    def group(self, n: int, found: Candidates, scores: list[float | None]) -> list[Group]:
        return groups(n, found, scores)

    def merge(self, records: list[Record], group: Group) -> Record:
        """One group (its records in the group's order) as one record; a paragraph it gained from a copy
        keeps the structure it had there."""
        merged = merge_group(records, group, self.settings)
        keeper = next(r for r in records if r.id == merged.id)
        if keeper.text == merged.text:
            return merged
        merged = _placed(keeper, merged)
        known: dict[str, Structure] = {}
        copies = {(r.source.path, tuple(r.source.span or ())): r for r in records}
        places = [(d["path"], tuple(d["span"] or ())) for d in merged.duplicates]
        for copy in [keeper, *(copies[p] for p in places if p in copies)]:
            for paragraph, structure in paragraph_structures(copy.text, copy.blocks, copy.sentences).items():
                known.setdefault(paragraph, structure)
        return _restructure(merged, merged.text.split("\n\n"), known)

    def apply(self, records: list[Record], found: Candidates) -> list[Record]:
        """Every step after `decide`, in this process (the runner spreads them over workers instead)."""
        if not self.settings["records"]:
            return sorted(records, key=lambda r: r.id)
        scores = self.compare([(records[i], records[j]) for i, j in found[1]])
        out = list(records)
        for group in self.group(len(records), found, scores):
            indexes = group[0]
            out[indexes[0]] = self.merge([records[i] for i in indexes], group)
            for i in indexes[1:]:
                out[i] = None  # type: ignore[call-overload]
        return sorted((r for r in out if r is not None), key=lambda r: r.id)

    def run(self, records: list[Record]) -> list[Record]:
        records = self.prepare(records)
        return self.apply(records, self.decide(self.learn(records)))


def run(records: list[Record], config: Config) -> list[Record]:
    """The stage on `records` with `config`'s [deduplicate] section (for tests and one-off use)."""
    return run_with(Deduplicate(), records, config)
