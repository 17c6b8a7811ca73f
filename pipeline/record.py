"""The one record type that flows through every stage, and the change log entry.

A `Record` is what ends up as one line of `clean/records.jsonl` (see
../shared/CONTRACT.md for the meaning of each public field).  Stages never
mutate a record in place: they build a new one with `dataclasses.replace`, so
a stage is a pure function of its input records and its configuration.

Three fields are internal and never written to `records.jsonl`: `changes`
(collected into `changes.jsonl`), `extracted` (the text as extraction gave
it, so that segment can point `source.span` back into it) and `flags`
(segmentation warnings, collected into the manifest).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Edit:
    """What a fix did to text, as the fix itself knows it: operation, before, after, why.  A stage stamps
    it with its own name and the record's path to make a `Change` (fixes never need to know them)."""

    operation: str
    before: str
    after: str
    reason: str | None = None
    span: tuple[int, int] | None = None  # placed (pipeline/text/replay.py): `before`'s place in the text as it stood
    at: int | None = None  # where the fix found `before` in its input, when it knows (a hint for `place`)


@dataclass(frozen=True)
class Change:
    """One explained change to text, in the spirit of ftfy's `fix_and_explain`.

    `record` is the id of the record the change belongs to; it is filled in
    when outputs are written (a change made before a file was split into
    pages is filed under the page whose text it touched).
    """

    stage: str
    operation: str
    before: str
    after: str
    path: str
    record: str | None = None
    reason: str | None = None
    # [start, end] of `before` in the record's text as it stood just before this change: a record's changes
    # with a span, applied in order to its slice of the extracted text, give its text (pipeline/text/replay.py).
    # None: not an edit of this text (extract's, made before the extracted text; a merge's note).
    span: list[int] | None = None
    of: str | None = None  # a merged copy's change: the id of the record whose text it edited

    @classmethod
    def stamp(cls, edits: "list[Edit] | tuple[Edit, ...]", stage: str, path: str) -> "tuple[Change, ...]":
        return tuple(cls(stage, e.operation, e.before, e.after, path, reason=e.reason,
                         span=list(e.span) if e.span is not None else None) for e in edits)

    def to_json(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "path": self.path,
            "stage": self.stage,
            "operation": self.operation,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "span": self.span,
            "of": self.of,
        }


@dataclass(frozen=True)
class Source:
    path: str  # relative to RAW_DIR, '/'-separated
    sha256: str
    format: str  # txt, md, html, pdf, image, docx
    extraction: str  # text, html, pdf-text, ocr
    pages: list[int] | None = None
    span: list[int] | None = None  # [start, end] in the extracted text
    # Added fields (the contract allows additions, never renames):
    encoding: str | None = None  # how a text file was decoded
    ocr_pages: list[int] | None = None  # pages (1-based) that went through OCR
    ocr_confidence: float | None = None  # mean Tesseract word confidence, 0-100


@dataclass(frozen=True)
class Record:
    id: str
    source: Source
    text: str
    title: str | None = None
    language: str | None = None
    doc_type: str = "document"
    published: str | None = None
    updated: str | None = None
    metadata: dict[str, Any] = field(
        default_factory=lambda: {"resource_type": None, "private": None, "category": None}
    )
    entities: list[dict[str, Any]] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    themes_evidence: dict[str, list[str]] = field(default_factory=dict)  # theme -> words that triggered it
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    # Added public fields: the structure of `text` for later stages and the report.
    blocks: list[dict[str, Any]] = field(default_factory=list)  # {kind, start, end}
    sentences: list[list[int]] = field(default_factory=list)  # [start, end] in text
    # internal, not part of records.jsonl
    changes: tuple[Change, ...] = ()
    extracted: str | None = None
    flags: tuple[str, ...] = ()

    def with_changes(self, *changes: Change, **fields: Any) -> "Record":
        """A copy with `fields` replaced and `changes` appended to the log."""
        return replace(self, changes=self.changes + tuple(changes), **fields)

    def to_json(self) -> dict[str, Any]:
        """The public form: exactly the contract's fields, in its order."""
        return {key: plain(getattr(self, key)) for key in PUBLIC_FIELDS}

    @classmethod
    def from_json(cls, data: dict[str, Any], **internal: Any) -> "Record":
        data = dict(data)
        data["source"] = Source(**data["source"])
        return cls(**data, **internal)


PUBLIC_FIELDS = [
    "id", "source", "title", "text", "language", "doc_type", "published", "updated", "metadata", "entities",
    "organisations", "places", "people", "dates", "themes", "duplicates", "blocks", "sentences", "themes_evidence",
]


_ATOMS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """`dataclasses.asdict`'s copy of a record's values, type for type (dataclasses become dicts, lists and
    tuples and dicts are copied), without its `deepcopy` of every string and number: what records hold
    is JSON-shaped, and writing 2,000 records' outputs spent more time in that copy than in the writing."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        return [plain(v) for v in value]
    if kind is dict:
        return {plain(k): plain(v) for k, v in value.items()}
    if kind is tuple:
        return tuple(plain(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    return copy.deepcopy(value)  # anything else, as asdict copies it


def record_id(path: str, content: str, occurrence: int = 0) -> str:
    """Stable id from the record's own content and its file's path.

    `content` is the record's text as its source gives it (its slice of the extracted text), so a page keeps
    its id when the dump it sits in changes elsewhere; `occurrence` tells apart identical pages of one file
    (the first is 0)."""
    digest = hashlib.sha256(f"{path}\x1f{occurrence}\x1f{content}".encode("utf-8", "surrogatepass")).hexdigest()
    return "r" + digest[:15]


def dump(record: Record) -> dict[str, Any]:
    """Full form, changes included, for the cache and for passing between processes."""
    data = record.to_json()
    data["_changes"] = [plain(c) for c in record.changes]
    data["_extracted"] = record.extracted
    data["_flags"] = list(record.flags)
    return data


def load(data: dict[str, Any]) -> Record:
    data = dict(data)
    changes = tuple(Change(**c) for c in data.pop("_changes", []))
    extracted = data.pop("_extracted", None)
    flags = tuple(data.pop("_flags", []))
    return Record.from_json(data, changes=changes, extracted=extracted, flags=flags)
