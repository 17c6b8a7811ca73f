"""manifest.json: every input file with its status, reason, records and flags, and the run's summary."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..record import Record


_RECORD_ID = re.compile(r"\br[0-9a-f]{8,}(?:-[0-9a-f]+)?\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def flag_kind(note: str) -> str:
    """What a flag says without the record or the figures it names: the flags of one kind read alike (the
    run's summary and the report count them so)."""
    return _NUMBER.sub("#", _RECORD_ID.sub("r…", note))


def flags_by_kind(files: list[dict[str, Any]]) -> dict[str, list[tuple[dict[str, Any], list[str]]]]:
    """The manifest's files flagged, by kind of flag (`flag_kind`), kinds and files in the order they come:
    each file with its notes of that kind."""
    kinds: dict[str, list[tuple[dict[str, Any], list[str]]]] = {}
    for f in files:
        found: dict[str, list[str]] = {}
        for note in f.get("flags", []):
            found.setdefault(flag_kind(note), []).append(note)
        for kind, notes in found.items():
            kinds.setdefault(kind, []).append((f, notes))
    return kinds


def build_manifest(results: list[dict[str, Any]], skipped: list[tuple[str, str]], records: list[Record],
                   run_id: str, format_of: Callable[[str], str | None]) -> dict[str, Any]:
    ids_by_path: dict[str, set[str]] = defaultdict(set)
    flags: dict[str, list[str]] = defaultdict(list)
    for record in records:
        ids_by_path[record.source.path].add(record.id)
        flags[record.source.path].extend(record.flags)
        for dup in record.duplicates:
            ids_by_path[dup["path"]].add(record.id)
    files = []
    for res in results:
        entry = {"path": res["path"], "sha256": res["sha256"], "format": res["format"], "status": res["status"],
                 "reason": res["reason"], "records": sorted(ids_by_path.get(res["path"], ())),
                 "flags": sorted(flags.get(res["path"], []))}
        entry.update(res["reading"] or {"extraction": None, "encoding": None, "pages": None,
                                          "ocr_pages": None, "ocr_confidence": None})
        files.append(entry)
    for rel, reason in skipped:
        files.append({"path": rel, "sha256": None, "format": format_of(rel), "status": "skipped",
                      "reason": reason, "records": [], "flags": [], "extraction": None, "encoding": None, "pages": None,
                      "ocr_pages": None, "ocr_confidence": None})
    files.sort(key=lambda f: f["path"])
    counts = {status: sum(f["status"] == status for f in files) for status in ("ok", "quarantined", "skipped")}
    return {"glaneur": __version__, "fingerprint": run_id, "summary": {"files": len(files), **counts,
            "flagged": sum(bool(f["flags"]) for f in files), "records": len(records)}, "files": files}
