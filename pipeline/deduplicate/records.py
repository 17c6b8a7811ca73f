"""Across records and files: exact and near duplicates (MinHash LSH, then confirmed) merged into one record
that lists every other place and gains any paragraph only another copy had."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..record import Change, Record
from ..text.fold import fold_words
from .compare import jaccard, names_agree, near, sentence_keys, shingles

NAME = "deduplicate"


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


# A record's folded-text hash and its LSH band keys, 16 hex digits a band, one after the other in one string
# (None: no shingles): the main process holds one per record until the decision (a list of 25 strings took
# four times the memory).
Print = tuple[str, "str | None"]
KEY_DIGITS = 16
Candidates = tuple[list[tuple[int, int]], list[tuple[int, int]]]  # exact pairs, near-duplicate candidates
Similarity = dict[tuple[int, int], tuple[str, float]]  # (i, j) -> kind ("exact", "near"), similarity
Group = tuple[list[int], Similarity]  # the indexes of a group of duplicates, the similarities found among them


@lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[Any, str]:
    """MinHash's permutations, drawn once per process (drawing them costs more than hashing a record)."""
    from datasketch import MinHash

    first = MinHash(num_perm=num_perm, seed=seed)
    return first.permutations, first.scheme


@lru_cache(maxsize=4)
def bands(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The LSH bands (start, end) that datasketch's `MinHashLSH` chooses for this threshold: its own
    optimisation of false positives and negatives, so the candidates are the ones its index would give."""
    from datasketch import MinHashLSH

    return tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)


def fingerprint(text: str, cfg: dict[str, Any]) -> Print:
    """What the index needs of one record (the map step, on the workers): the hash of its folded text and,
    for each LSH band, a 64-bit key of its MinHash signature's values in that band (two records share a key
    when their band is the same).  Neither the shingles nor the signature are kept."""
    from datasketch import MinHash

    folded = fold_words(text)
    digest = hashlib.sha256(folded.encode()).hexdigest() if folded else ""
    shingle_set = shingles(text, cfg["shingle_size"])
    if not (cfg["near"] and shingle_set):
        return digest, None
    permutations, scheme = _permutations(cfg["num_perm"], cfg["seed"])
    signature = MinHash(num_perm=cfg["num_perm"], seed=cfg["seed"], permutations=permutations, scheme=scheme)
    signature.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    values = signature.hashvalues
    return digest, "".join(hashlib.blake2b(values[a:b].tobytes(), digest_size=KEY_DIGITS // 2).hexdigest()
                           for a, b in bands(cfg["lsh_threshold"], cfg["num_perm"]))


def candidates(prints: list[Print], cfg: dict[str, Any]) -> Candidates:
    """Exact pairs (same folded text) and the pairs that share an LSH band (never all pairs): the reduce
    step, in one place, over the band keys only (16 hex digits a band, about 25 bands a record), one band
    at a time."""
    exact: list[tuple[int, int]] = []
    by_hash: dict[str, int] = {}
    for i, (digest, _) in enumerate(prints):
        if digest and digest in by_hash:
            exact.append((by_hash[digest], i))
        elif digest:
            by_hash[digest] = i
    if not cfg["near"]:
        return exact, []
    pairs: set[tuple[int, int]] = set()
    keyed = [(i, keys) for i, (_, keys) in enumerate(prints) if keys]
    for start in range(0, max((len(keys) for _, keys in keyed), default=0), KEY_DIGITS):  # band by band: one
        buckets: dict[str, list[int]] = {}  # band's buckets in memory at a time, not every band's
        for i, keys in keyed:
            bucket = buckets.setdefault(keys[start:start + KEY_DIGITS], [])
            pairs.update((j, i) for j in bucket)
            bucket.append(i)
    return exact, sorted(pairs)


def compare(pairs: list[tuple[Record, Record]], cfg: dict[str, Any]) -> list[float | None]:
    """Each candidate pair confirmed or not (on the workers): its similarity, or None."""
    shingles_of = lru_cache(maxsize=4096)(lambda text: shingles(text, cfg["shingle_size"]))  # bounded
    return [same_content(a, b, shingles_of(a.text), shingles_of(b.text), cfg) for a, b in pairs]


def groups(n: int, found: Candidates, scores: list[float | None]) -> list[Group]:
    """Groups of duplicates among `n` records (in one place: indexes only), from the exact pairs and the
    candidates' confirmed similarities (`scores`, one per candidate pair).  A candidate pair whose records
    are already grouped through others is not counted (as when it is never compared)."""
    exact, near_pairs = found
    union = _Groups(n)
    similarity: Similarity = {}
    for i, j in exact:
        union.union(i, j)
        similarity[(i, j)] = ("exact", 1.0)
    for (i, j), score in zip(near_pairs, scores):
        if score is not None and union.find(i) != union.find(j):
            union.union(i, j)
            similarity[(i, j)] = ("near", score)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(union.find(i), []).append(i)
    out = []
    for indexes in members.values():
        if len(indexes) > 1:
            inside = set(indexes)
            out.append((indexes, {p: v for p, v in similarity.items() if p[0] in inside}))
    return out


def merge_group(records: list[Record], group: Group, cfg: dict[str, Any]) -> Record:
    """One group of duplicates (`records`, in the order of the group's indexes) as one record."""
    indexes, similarity = group
    return _merge_group(records, indexes, similarity, cfg)


def merge_records(records: list[Record], cfg: dict[str, Any], found: Candidates | None = None) -> list[Record]:
    """Groups of duplicates merged, each into its most complete copy, in one process; `found`: `candidates`
    of the records' fingerprints, when the workers have made them."""
    if found is None:
        found = candidates([fingerprint(r.text, cfg) for r in records], cfg)
    scores = _scores(records, found, cfg)
    merged: dict[int, Record] = {}
    grouped: set[int] = set()
    for group in groups(len(records), found, scores):
        merged[group[0][0]] = merge_group([records[i] for i in group[0]], group, cfg)
        grouped.update(group[0])
    return [merged.get(i, r) for i, r in enumerate(records) if i in merged or i not in grouped]


def _scores(records: list[Record], found: Candidates, cfg: dict[str, Any]) -> list[float | None]:
    """The candidates compared in order, skipping (None) a pair already joined through the exact pairs or
    earlier candidates, which `groups` does not count either way: no confirmation wasted in one process."""
    union = _Groups(len(records))
    for i, j in found[0]:
        union.union(i, j)
    pairs = found[1]
    shingles_of = lru_cache(maxsize=4096)(lambda i: shingles(records[i].text, cfg["shingle_size"]))  # bounded
    out: list[float | None] = []
    for i, j in pairs:
        score = None
        if union.find(i) != union.find(j):
            score = same_content(records[i], records[j], shingles_of(i), shingles_of(j), cfg)
            if score is not None:
                union.union(i, j)
        out.append(score)
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
        # where the copy came from (its record is gone: only its file says which it was)
        said = ("has the same text" if kind == "exact" else f"is nearly the same (similarity {score:.2f})")
        changes.append(Change(NAME, f"merge_{kind}_duplicate", other.source.path, keep.source.path, keep.source.path,
                              reason=f"record {other.id} of {other.source.path} {said}; "
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
        changes.extend(c if c.of is not None else replace(c, of=other.id) for c in other.changes)
    duplicates.sort(key=lambda d: (d["path"], d["span"] or [0, 0]))
    return keep.with_changes(*changes, text="\n\n".join(paragraphs), duplicates=duplicates)
