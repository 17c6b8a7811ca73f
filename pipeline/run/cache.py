"""Content-addressed cache of stage results.

A key is a hash of everything a result depends on: the input (file bytes
and path, or the record itself), the stage's name and version, and the
config sections it reads.  Entries are JSON files written atomically, so a
cache shared by concurrent runs never holds half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import tempfile
from pathlib import Path
from typing import Any


# Bumped whenever what the cache stores changes shape, so old entries are never read.
CACHE_FORMAT = "5"


def key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class Cache:
    def __init__(self, root: Path | str | None):
        self.root = Path(root) if root is not None else None

    def _path(self, stage: str, digest: str) -> Path:
        assert self.root is not None
        return self.root / stage / digest[:2] / f"{digest}.json"

    def get(self, stage: str, digest: str) -> Any | None:
        if self.root is None:
            return None
        path = self._path(stage, digest)
        try:
            value = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        _mark_used(path)
        return value

    def has(self, stage: str, digest: str) -> bool:
        """Whether the entry is there (marked used, as by `get`)."""
        if self.root is None:
            return False
        return _mark_used(self._path(stage, digest))

    def put(self, stage: str, digest: str, value: Any, strict: bool = False) -> None:
        """Write an entry atomically.  A cache that cannot be written only costs time; with `strict` (the
        record store, which the run cannot do without) the OSError is raised."""
        if self.root is None:
            return
        path = self._path(stage, digest)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            if strict:
                raise


# An entry is marked used ("used now": what `glaneur cache prune` goes by) when it was last marked more than
# this many seconds ago: writing a time costs a refresh of 2,000 documents 1.5 s for its 27,000 lookups,
# looking at it almost nothing, and prune counts in days.
USED_EVERY = 3600


def _mark_used(path: Path) -> bool:
    """Whether the entry at `path` is there; marked used now if it was not within USED_EVERY seconds."""
    try:
        if time.time() - os.stat(path).st_mtime > USED_EVERY:
            os.utime(path)
        return True
    except OSError:
        return False


_ENTRY = re.compile(r"^[0-9a-f]{64}\.json$")
_TMP = re.compile(r"^tmp\w+\.tmp$")


def prune(root: Path, older_than_days: float, now: float | None = None) -> tuple[int, int]:
    """Remove the entries of the cache at `root` that no run has used for `older_than_days` days, and the
    half-written files of interrupted writes; only files of the cache's own shape
    (`STAGE/xx/<sha256>.json`) are ever removed.  Entries are marked used at most once an hour
    (USED_EVERY): under an hour, "unused" may mean used within the hour.  Returns (files removed, bytes
    freed)."""
    limit = (time.time() if now is None else now) - older_than_days * 86400
    removed = freed = 0
    if not root.is_dir():
        return 0, 0
    for stage in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()):
        for shard in sorted(p for p in stage.iterdir() if p.is_dir() and not p.is_symlink() and len(p.name) == 2):
            for entry in sorted(shard.iterdir()):
                if not entry.is_file() or entry.is_symlink():
                    continue
                ours = _ENTRY.match(entry.name) and entry.name.startswith(shard.name) or _TMP.match(entry.name)
                info = entry.stat()
                if ours and info.st_mtime < limit:
                    entry.unlink()
                    removed, freed = removed + 1, freed + info.st_size
            if not any(shard.iterdir()):
                shard.rmdir()
    return removed, freed


def cache_root(cache_dir: str, out_dir: Path) -> Path:
    """Where the cache lives: `cache_dir` as given when absolute, else beside the output folder (in the
    project that holds clean/), whatever folder the command runs from."""
    path = Path(cache_dir).expanduser()
    return path if path.is_absolute() else (Path(out_dir).resolve().parent / path).resolve()
