"""Records on storage: the partitions that travel between stages.

A record is written once, under the hash of its full form (`dump`), to the
store; what moves between the main process and the workers is a `Ref` — the
record's content hash, its id, its path and where it starts in its file —
never its text.  A worker reads the records of its partition from the store,
runs a stage, writes what it made back and returns the new refs: the main
process never holds record texts, so its memory does not grow with the
corpus (datatrove's and NeMo Curator's shape: partitions on storage, stages
mapped over them).

The store is the run's cache folder (`[run] cache_dir`) when the cache is on,
so that a refresh finds the records of the last run; with `--no-cache` it is
a folder glaneur makes inside its temporary output folder and that goes with
it.  Entries are JSON written atomically (cache.py): a store shared by
workers on several machines, or by two runs, never holds half a record.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

from ..record import Record, dump, load
from .cache import Cache

NAMESPACE = "records"


class Ref(NamedTuple):
    """A record as the main process knows it: where its content is, and what orders it."""

    digest: str  # sha256 of the record's full form: its name in the store
    id: str
    path: str
    start: int  # where the record starts in its file's extracted text (0 when unknown)

    @property
    def order(self) -> tuple[str, int]:
        """Source order: by file, then place in it."""
        return self.path, self.start


def digest_of(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Store:
    """Records by content hash, in a folder reached by every worker (a local path or a shared file system)."""

    def __init__(self, root: str):
        self.root = root
        self._cache = Cache(root)

    def put(self, record: Record) -> Ref:
        return self._write(record)[0]

    def keep(self, record: Record) -> tuple[Ref, Record]:
        """Write `record` and give its ref and the record as the store gives it back (what `get` would
        read, made in memory: a stage after it in the same task sees exactly what it would see after a
        round trip through the store)."""
        ref, data = self._write(record)
        return ref, load(json.loads(json.dumps(data, ensure_ascii=False)))

    def _write(self, record: Record) -> tuple[Ref, dict[str, Any]]:
        data = dump(record)
        digest = digest_of(data)
        if not self._cache.has(NAMESPACE, digest):
            self._cache.put(NAMESPACE, digest, data, strict=True)
        return Ref(digest, record.id, record.source.path, (record.source.span or [0])[0]), data

    def get(self, ref: Ref | str) -> Record:
        digest = ref if isinstance(ref, str) else ref.digest
        data = self._cache.get(NAMESPACE, digest)
        if data is None:
            raise LookupError(f"record {digest} is missing from the store {self.root}")
        return load(data)

    def has(self, digest: str) -> bool:
        return self._cache.has(NAMESPACE, digest)

    def get_all(self, refs: list[Ref]) -> list[Record]:
        return [self.get(r) for r in refs]

    def put_all(self, records: list[Record]) -> list[Ref]:
        return [self.put(r) for r in records]


def refs_from(entry: Any, store: Store) -> list[Ref] | None:
    """Refs kept in a cache entry (lists of their fields), or None when the entry is unreadable or one of
    its records has left the store (`glaneur cache prune`): a miss, never an error."""
    try:
        refs = [Ref(str(d), str(i), str(p), int(s)) for d, i, p, s in entry]
    except (TypeError, ValueError):
        return None
    return refs if all(store.has(r.digest) for r in refs) else None
