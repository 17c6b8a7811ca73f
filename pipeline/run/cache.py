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
import tempfile
from pathlib import Path
from typing import Any


# Bumped whenever what the cache stores changes shape, so old entries are never read.
CACHE_FORMAT = "4"


def key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class Cache:
    def __init__(self, root: Path | None):
        self.root = root

    def _path(self, stage: str, digest: str) -> Path:
        assert self.root is not None
        return self.root / stage / digest[:2] / f"{digest}.json"

    def get(self, stage: str, digest: str) -> Any | None:
        if self.root is None:
            return None
        try:
            return json.loads(self._path(stage, digest).read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, stage: str, digest: str, value: Any) -> None:
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
            pass  # a cache that cannot be written only costs time
