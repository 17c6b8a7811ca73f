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

import difflib
import hashlib
import math
import re
from collections import Counter
from dataclasses import replace
from typing import Any

from .config import Config
from .record import Change, Record
from .text.fold import fold_words

NAME = "deduplicate"
VERSION = "3"
SCOPE = "corpus"
SECTIONS = ("deduplicate", "segment")

_SENTENCES = re.compile(r"(?<=[.!?…])[\"»)]?\s+")
_TOKEN = re.compile(r"\w+", re.U)
_NAME_OR_NUMBER = re.compile(r"\b(?:[A-ZÀ-Þ][\w'-]+|\d[\d.,/]*)\b")


def sentence_keys(paragraph: str) -> list[str]:
    keys = []
    for line in paragraph.split("\n"):
        keys += [fold_words(s) for s in _SENTENCES.split(line) if fold_words(s)]
    return keys


def near(a: str, b: str, threshold: float) -> float:
    """How much two paragraphs are one passage: the higher of the character ratio of
    their folded texts and the share of the shorter's words found, in order, in the
    longer (a copy that drops three words or adds a clause is still the same
    passage).  Cheap bounds first; 0.0 when clearly below `threshold`."""
    ta, tb = _TOKEN.findall(a.casefold()), _TOKEN.findall(b.casefold())
    if not ta or not tb:
        return 0.0
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(set(short) & set(long_)) < threshold * len(set(short)):
        return 0.0
    words = difflib.SequenceMatcher(None, short, long_, autojunk=False)
    # the shorter's words found in order in the longer, if their lengths are comparable
    comparable = len(short) >= 6 and len(short) >= 0.6 * len(long_)  # a heading inside a paragraph is not a copy
    contained = sum(block.size for block in words.get_matching_blocks()) / len(short) if comparable else 0.0
    if contained >= threshold:
        return contained  # enough said: the character ratio (quadratic) is not needed
    fa, fb = " ".join(ta), " ".join(tb)
    chars = 0.0
    if min(len(fa), len(fb)) / max(len(fa), len(fb)) >= threshold:
        chars = difflib.SequenceMatcher(None, fa, fb, autojunk=False).ratio()
    return max(contained, chars)


# --- inside one record ----------------------------------------------------------------------------

class _Candidates:
    """Which kept paragraphs can pass `near`'s first test (the shorter's words, a `threshold` share of them
    found in the other), without comparing every pair: linear where the pairwise loop was quadratic.

    If the shorter paragraph S shares at least ceil(t·|S|) of its words with the other, then any
    |S| - ceil(t·|S|) + 1 of its words include a shared one.  Each paragraph's rarest such words (its
    prefix, rarest in this record first) are indexed, and so are all its words: a paragraph's prefix is looked
    up among all kept words, and all its words among the kept prefixes.  `near` itself decides."""

    def __init__(self, paragraphs: list[str], threshold: float):
        self.threshold = threshold
        df: Counter[str] = Counter()
        for paragraph in paragraphs:
            df.update(set(_TOKEN.findall(paragraph.casefold())))
        self.df = df
        self.all_words: dict[str, set[int]] = {}
        self.prefixes: dict[str, set[int]] = {}

    def _prefix(self, words: set[str]) -> list[str]:
        size = len(words) - math.ceil(self.threshold * len(words)) + 1
        return sorted(words, key=lambda w: (self.df[w], w))[:max(1, size)]

    def find(self, paragraph: str) -> list[int]:
        words = set(_TOKEN.findall(paragraph.casefold()))
        found: set[int] = set()
        for word in self._prefix(words):
            found |= self.all_words.get(word, set())
        for word in words:
            found |= self.prefixes.get(word, set())
        return sorted(found)

    def add(self, i: int, paragraph: str) -> None:
        words = set(_TOKEN.findall(paragraph.casefold()))
        for word in words:
            self.all_words.setdefault(word, set()).add(i)
        for word in self._prefix(words):
            self.prefixes.setdefault(word, set()).add(i)


def dedup_paragraphs(record: Record, threshold: float) -> tuple[list[str], list[Change]]:
    path = record.source.path
    kept: list[str] = []
    changes: list[Change] = []
    known: Counter[str] = Counter()  # sentence keys of the kept paragraphs, kept up to date as they change
    paragraphs = record.text.split("\n\n")
    candidates = _Candidates(paragraphs, threshold)
    for paragraph in paragraphs:
        keys = sentence_keys(paragraph)
        if not keys:
            kept.append(paragraph)
            continue
        if all(known[k] > 0 for k in keys):
            changes.append(Change(NAME, "drop_repeated_paragraph", paragraph, "", path,
                                  reason="every sentence of it stands already in this record"))
            continue
        match = None
        for i in candidates.find(paragraph):
            other = kept[i]
            score = near(paragraph, other, threshold)
            if score >= threshold and names_agree(paragraph, other, 1.0):
                match = (i, score)
                break
        if match is None:
            candidates.add(len(kept), paragraph)
            kept.append(paragraph)
            known.update(keys)
            continue
        i, score = match
        if len(fold_words(paragraph)) > len(fold_words(kept[i])):
            changes.append(Change(NAME, "keep_fuller_paragraph", kept[i], paragraph, path,
                                  reason=f"near-identical paragraphs (similarity {score:.2f}): the fuller one is kept"))
            known.subtract(sentence_keys(kept[i]))
            known.update(keys)
            kept[i] = paragraph
            candidates.add(i, paragraph)  # the old words stay indexed too: more candidates, never fewer
        else:
            changes.append(Change(NAME, "drop_near_paragraph", paragraph, "", path,
                                  reason=f"near-identical to a fuller paragraph of this record (similarity {score:.2f})"))
    return kept, changes


# --- across records ---------------------------------------------------------------------------------

def shingles(text: str, size: int) -> set[str]:
    tokens = _TOKEN.findall(text.casefold())
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def names(text: str) -> set[str]:
    """Capitalised words and numbers after the first word of each sentence: what tells two template pages apart."""
    found = set()
    for sentence in _SENTENCES.split(text):
        for m in _NAME_OR_NUMBER.finditer(sentence):
            if m.start() > 0:
                found.add(m.group(0).casefold())
    return found


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def names_agree(a: str, b: str, threshold: float) -> bool:
    """The names and numbers of one text are those of the other, or a part of them."""
    na, nb = names(a), names(b)
    return na <= nb or nb <= na or jaccard(na, nb) >= threshold


def same_content(a: Record, b: Record, sa: set[str], sb: set[str], cfg: dict[str, Any]) -> float | None:
    """The confirmed similarity of two records, or None when they are not the same content."""
    score = jaccard(sa, sb)
    smaller = min(len(sa), len(sb))
    containment = len(sa & sb) / smaller if smaller >= cfg["containment_min_shingles"] else 0.0
    if score < cfg["near_threshold"] and containment < cfg["containment_threshold"]:
        return None
    if not names_agree(a.text, b.text, cfg["names_threshold"]):
        return None  # same template, different organisations, people, places or numbers
    return round(score, 4)


def completeness(record: Record) -> tuple:
    """Sort key: the best copy first (longest, most fields, earliest path and span)."""
    filled = sum(v is not None for v in (record.title, record.published, record.updated))
    span = record.source.span or [0, 0]
    return (-len(record.text), -filled, record.source.path, span[0], record.id)


class _Groups:
    """Union-find over record indexes."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def candidate_pairs(texts: list[str], cfg: dict[str, Any]) -> list[tuple[int, int]]:
    """Pairs LSH says may be near duplicates (never all pairs).  Shingle sets are
    made one at a time and not kept: only the signatures stay in memory."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=cfg["lsh_threshold"], num_perm=cfg["num_perm"])
    first = MinHash(num_perm=cfg["num_perm"], seed=cfg["seed"])
    permutations, scheme = first.permutations, first.scheme  # drawn once, not per record
    pairs: set[tuple[int, int]] = set()
    for i, text in enumerate(texts):
        shingle_set = shingles(text, cfg["shingle_size"])
        if not shingle_set:
            continue
        signature = MinHash(num_perm=cfg["num_perm"], seed=cfg["seed"], permutations=permutations, scheme=scheme)
        signature.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
        for j in lsh.query(signature):
            pairs.add((j, i))
        lsh.insert(i, signature)
    return sorted(pairs)


def merge_records(records: list[Record], cfg: dict[str, Any]) -> list[Record]:
    n = len(records)
    groups = _Groups(n)
    similarity: dict[tuple[int, int], tuple[str, float]] = {}
    by_hash: dict[str, int] = {}
    for i, record in enumerate(records):
        digest = hashlib.sha256(fold_words(record.text).encode()).hexdigest()
        if digest in by_hash and fold_words(record.text):
            groups.union(by_hash[digest], i)
            similarity[(by_hash[digest], i)] = ("exact", 1.0)
        else:
            by_hash.setdefault(digest, i)
    if cfg["near"]:
        for i, j in candidate_pairs([r.text for r in records], cfg):
            if groups.find(i) == groups.find(j):
                continue
            size = cfg["shingle_size"]
            score = same_content(records[i], records[j], shingles(records[i].text, size),
                                 shingles(records[j].text, size), cfg)
            if score is not None:
                groups.union(i, j)
                similarity[(i, j)] = ("near", score)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(groups.find(i), []).append(i)
    out = []
    for indexes in members.values():
        if len(indexes) == 1:
            out.append(records[indexes[0]])
            continue
        out.append(_merge_group([records[i] for i in indexes], indexes, similarity, cfg))
    return out


def _pair_info(a: int, b: int, similarity: dict[tuple[int, int], tuple[str, float]]) -> tuple[str, float]:
    return similarity.get((a, b)) or similarity.get((b, a)) or ("near", 0.0)


def _merge_group(group: list[Record], indexes: list[int], similarity: dict, cfg: dict[str, Any]) -> Record:
    order = sorted(range(len(group)), key=lambda k: completeness(group[k]))
    keep = group[order[0]]
    paragraphs = keep.text.split("\n\n")
    duplicates = list(keep.duplicates)
    changes: list[Change] = []
    for k in order[1:]:
        other = group[k]
        kind, score = _pair_info(indexes[order[0]], indexes[k], similarity)
        if kind == "near" and score == 0.0:  # joined through a third copy: measure it against the kept one
            sa, sb = shingles(keep.text, cfg["shingle_size"]), shingles(other.text, cfg["shingle_size"])
            score = round(jaccard(sa, sb), 4)
        duplicates.append({"path": other.source.path, "span": other.source.span, "kind": kind, "similarity": score})
        duplicates.extend(other.duplicates)
        changes.append(Change(NAME, f"merge_{kind}_duplicate", other.source.path, keep.source.path, keep.source.path,
                              reason=f"record {other.id} has the same content (similarity {score:.2f}); "
                                     "the most complete copy is kept"))
        known = {key for p in paragraphs for key in sentence_keys(p)}
        for paragraph in other.text.split("\n\n"):
            keys = sentence_keys(paragraph)
            threshold = cfg["paragraph_similarity"]
            if keys and not all(key in known for key in keys) and \
                    not any(near(paragraph, p, threshold) >= threshold and names_agree(paragraph, p, 1.0)
                            for p in paragraphs):
                paragraphs.append(paragraph)
                known.update(keys)
                changes.append(Change(NAME, "add_paragraph_from_duplicate", "", paragraph, keep.source.path,
                                      reason=f"only the copy in {other.source.path} had it"))
        changes.extend(other.changes)
    duplicates.sort(key=lambda d: (d["path"], d["span"] or [0, 0]))
    return keep.with_changes(*changes, text="\n\n".join(paragraphs), duplicates=duplicates)


def _restructure(record: Record, paragraphs: list[str], rules: Any) -> Record:
    from .segment import structure

    text, blocks, sentences = structure(paragraphs, rules)
    return replace(record, text=text, blocks=blocks, sentences=sentences)


def run(records: list[Record], config: Config) -> list[Record]:
    from .segment import rules_for

    cfg = config.section(NAME)
    rules = rules_for(config)
    out = []
    for record in records:
        if cfg["paragraphs"]:
            kept, changes = dedup_paragraphs(record, cfg["paragraph_similarity"])
            if changes:
                record = _restructure(record.with_changes(*changes), kept, rules)
        out.append(record)
    if cfg["records"]:
        before = {r.id: r.text for r in out}
        out = merge_records(out, cfg)
        out = [_restructure(r, r.text.split("\n\n"), rules) if before.get(r.id) != r.text else r for r in out]
    return sorted(out, key=lambda r: r.id)
