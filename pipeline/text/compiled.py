"""Large regular expressions compiled once per machine, not once per process.

spaCy's French tokenizer keeps "a word is whole" as one regular expression of
1.4 MB (`token_match`: 266 alternatives, each with Unicode letter classes read
case-insensitively).  Python compiles it again in every process that loads the
model: about 2.5 s of a cold load of 3.8 s on the bench machine, in each run,
each one-file refresh, each worker that loads its own model.  `re` cannot keep
a compiled expression between processes (a pattern pickles as its text), so
this module keeps what `re`'s compiler makes of it (the matcher's code, a list
of integers) in a folder of this machine, as Python keeps its compiled modules
in `__pycache__`, and puts the pattern object built from that code into `re`'s
own cache before spaCy asks for it: spaCy's `re.compile` then finds it there.

The object is the one `re.compile` would give: built by the same steps as
`re._compiler.compile` (parse, code, `_sre.compile`), from code that this
Python made for this pattern; the entry's name is a hash of the pattern,
Python's version and the matcher's format (`_sre.MAGIC`), so another Python
never reads it.  Two pattern objects are equal when their text, flags and code
are (tests/text/test_compiled.py holds both to `re.compile`).  Anything amiss
(no folder, an entry cut short or not ours, a Python whose `re` is built
otherwise) only costs the compile: the pattern is then compiled as usual.

The folder: `$GLANEUR_COMPILED_DIR` ("off" for none), else
`$XDG_CACHE_HOME/glaneur/compiled` (`~/.cache/glaneur/compiled`).  It holds
one file per pattern (about 0.8 MB for spaCy's); removing it only costs the
next load its compile.
"""

from __future__ import annotations

import array
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

FORMAT = "1"  # bumped when what an entry holds changes shape
ENV = "GLANEUR_COMPILED_DIR"


def folder() -> Path | None:
    """The folder entries are kept in (None: off, or no home folder to keep them in)."""
    named = os.environ.get(ENV)
    try:
        if named is not None:
            return None if named.strip().lower() in ("", "off", "0", "no") else Path(named).expanduser()
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # a relative one is to be ignored (the XDG spec)
            base = str(Path.home() / ".cache")
        return Path(base) / "glaneur" / "compiled"
    except (RuntimeError, KeyError, OSError):  # no home folder (an unknown user, HOME unset)
        return None


def entry_key(pattern: str) -> str:
    import _sre

    parts = (FORMAT, sys.version, sys.byteorder, str(_sre.MAGIC), str(_sre.CODESIZE), pattern)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _digest(pattern: str, head: dict[str, Any], body: bytes) -> str:
    """What an entry's head vouches for: the pattern, the head's other values and the code, so that a changed
    byte is never used."""
    values = json.dumps({k: v for k, v in head.items() if k != "sha256"}, sort_keys=True).encode("utf-8")
    return hashlib.sha256(pattern.encode("utf-8", "surrogatepass") + b"\x00" + values + b"\x00" + body).hexdigest()


def _from_code(pattern: str, flags: int, code: list[int], groups: int, groupindex: dict[str, int]) -> re.Pattern[str]:
    """The pattern object `re._compiler.compile` makes from its parts (its last step)."""
    import _sre

    if not 0 < groups <= 10_000 or any(not 0 < i < groups for i in groupindex.values()):
        raise ValueError("groups out of range")
    indexgroup: list[str | None] = [None] * groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return _sre.compile(pattern, flags, code, groups - 1, groupindex, tuple(indexgroup))


def compile_parts(pattern: str) -> tuple[re.Pattern[str], dict[str, Any]]:
    """`pattern` compiled by the steps of `re._compiler.compile`, and the parts an entry keeps of it."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, 0)
    code = _compiler._code(parsed, 0)
    parts = {"flags": parsed.state.flags, "code": list(code), "groups": parsed.state.groups,
             "groupindex": dict(parsed.state.groupdict)}
    return _from_code(pattern, parts["flags"], parts["code"], parts["groups"], parts["groupindex"]), parts


def _typecode() -> str:
    import _sre

    return "I" if _sre.CODESIZE == 4 else "H"


def entry_bytes(pattern: str, parts: dict[str, Any]) -> bytes:
    """An entry: one line of JSON (flags, groups, names of groups, the code's length, a hash of the pattern and
    the code), then the code as unsigned integers of the matcher's size, in this machine's byte order."""
    body = array.array(_typecode(), parts["code"]).tobytes()
    head = {"flags": parts["flags"], "groups": parts["groups"], "groupindex": parts["groupindex"],
            "length": len(parts["code"])}
    head["sha256"] = _digest(pattern, head, body)
    return json.dumps(head, sort_keys=True).encode("utf-8") + b"\n" + body


def from_entry(pattern: str, data: bytes | None) -> re.Pattern[str] | None:
    """The pattern object an entry gives; None when it cannot give one (not an entry of ours, cut short,
    code the matcher refuses)."""
    if not data:
        return None
    try:
        head_line, _, body = data.partition(b"\n")
        head = json.loads(head_line)
        if head["sha256"] != _digest(pattern, head, body):
            return None  # a byte changed (a write cut short, another hand): compiled again
        code = array.array(_typecode())
        code.frombytes(body)
        if len(code) != int(head["length"]):
            return None
        return _from_code(pattern, int(head["flags"]), code.tolist(), int(head["groups"]),
                          {str(k): int(v) for k, v in head["groupindex"].items()})
    except Exception:  # anything an entry that is not ours could raise: compiled as usual
        return None


def _read(where: Path, digest: str) -> bytes | None:
    try:
        return (where / f"{digest}.bin").read_bytes()
    except OSError:
        return None


def _write(where: Path, digest: str, data: bytes) -> None:
    """Written whole or not at all (a temporary file renamed); a folder that cannot be written costs only the
    next process its compile."""
    tmp = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, where / f"{digest}.bin")
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:  # not renamed: no half-written file stays behind
            try:
                os.unlink(tmp)
            except OSError:
                pass


def seed(patterns: Iterable[str], where: Path | None | str = "default") -> int:
    """Make `re.compile(p)` cheap in this process for each of `patterns`: from the folder's entry when there
    is one, else compiled now (as `re` would) and kept there for the next process.  `where`: the folder
    (default: `folder()`; None: keep nothing).  Returns how many came from the folder."""
    place = folder() if where == "default" else where
    # where re.compile(pattern) looks (Python 3.11 to 3.13: `re._cache`, keyed by the pattern's type, text and
    # flags): re then hands the object put there out as its own
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return 0  # a Python whose re keeps its cache otherwise: spaCy compiles as usual
    found = 0
    for pattern in patterns:
        try:
            found += _seed_one(pattern, None if place is None else Path(place), cache)
        except Exception:  # noqa: BLE001 - whatever goes wrong here only costs the compile, never the run
            continue
    return found


def _seed_one(pattern: str, place: Path | None, cache: dict[Any, Any]) -> int:
    if not isinstance(pattern, str) or (str, pattern, 0) in cache:
        return 0
    digest = entry_key(pattern)
    compiled = from_entry(pattern, _read(place, digest)) if place is not None else None
    found = compiled is not None
    if compiled is None:
        try:
            compiled, parts = compile_parts(pattern)
        except (ImportError, AttributeError, TypeError, re.error):  # a Python whose re is built otherwise, or
            return 0  # a pattern re refuses: the caller's re.compile says so itself
        if place is not None:
            _write(place, digest, entry_bytes(pattern, parts))
    cache[(str, pattern, 0)] = compiled
    return int(found)
