"""CLEAN_DIR: refused when it is not ours to replace, written beside it, swapped in whole.

* `--out` may not be RAW_DIR, lie inside it, or contain it;
* an existing CLEAN_DIR is replaced only when it is empty or is a previous
  glaneur output (its manifest says glaneur, and it holds nothing but the
  files glaneur writes): a folder holding anything else is refused, never
  emptied;
* outputs are written to `.NAME.tmp-PID` beside CLEAN_DIR, created before
  any work so that an unwritable place is found at once, then swapped in by
  two renames; a run killed at any moment leaves either the old or the new
  CLEAN_DIR, or the old one set aside as `.NAME.old-PID`, which the next run
  puts back before anything else (`recover`), removing the leftovers of dead
  runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from ..errors import FatalError

OUTPUT_MARKER = "manifest.json"  # a folder holding it, written by glaneur, is an output folder

def display_name(fs_name: str) -> str:
    """A file name as text: valid UTF-8 as is, any other byte as `\\xNN`."""
    return os.fsencode(fs_name).decode("utf-8", "backslashreplace")


def is_glaneur_output(folder: Path) -> bool:
    """A folder written by `glaneur run`: its manifest, parsed, names glaneur and a run's fingerprint."""
    try:
        data = json.loads((folder / OUTPUT_MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "glaneur" in data and "fingerprint" in data


def inside(path: Path, root: Path) -> bool:
    """`path` is `root` or lies under it (both resolved)."""
    return path == root or root in path.parents


# Every name glaneur writes into CLEAN_DIR; anything else there is the user's.
OWN_NAMES = frozenset({"records.jsonl", "records.parquet", "entities.parquet", "changes.jsonl", "extracted.jsonl", OUTPUT_MARKER,
                       "corpus.sqlite", "report.html", "run.js", "records.js", "report.js", "names.html", "names.js", "pager.js"})
# report.html's pages and thumbnails, and its search index: a folder of ours holds nothing else
OWN_FOLDERS = {"pages": (".html", ".png", ".jpg"), "search": (".js",)}


def _foreign(folder: Path) -> list[str]:
    """What in `folder` glaneur did not write (names, a sub-folder's as folder/name)."""
    out = []
    for name in sorted(os.listdir(folder)):
        path = folder / name
        if name in OWN_FOLDERS and path.is_dir() and not path.is_symlink():
            out += [f"{name}/{n}" for n in sorted(os.listdir(path)) if not n.endswith(OWN_FOLDERS[name])
                    or not (path / n).is_file()]
        elif name not in OWN_NAMES or path.is_dir():
            out.append(name)
    return out


def check_out_dir(raw_dir: Path, out_dir: Path) -> None:
    """Refuse (FatalError, one line) an output folder whose replacement could destroy the user's files."""
    raw, out = raw_dir.resolve(), out_dir.resolve()
    if out == raw:
        raise FatalError(f"CLEAN_DIR {out_dir} is RAW_DIR itself: choose another --out")
    if inside(out, raw):
        raise FatalError(f"CLEAN_DIR {out_dir} is inside RAW_DIR {raw_dir}: outputs would be read back as "
                         f"documents; choose an --out outside it")
    if inside(raw, out):
        raise FatalError(f"CLEAN_DIR {out_dir} contains RAW_DIR {raw_dir}: replacing it would delete the corpus; "
                         f"choose another --out")
    if out_dir.is_symlink():
        raise FatalError(f"CLEAN_DIR {out_dir} is a symbolic link: give the folder itself")
    if out_dir.exists() and not out_dir.is_dir():
        raise FatalError(f"CLEAN_DIR {out_dir} exists and is not a folder")
    if out_dir.is_dir():
        try:
            names = sorted(os.listdir(out_dir))
        except OSError as exc:
            raise FatalError(f"CLEAN_DIR {out_dir} cannot be read: {exc.strerror or exc}") from None
        if names and not is_glaneur_output(out_dir):
            raise FatalError(f"CLEAN_DIR {out_dir} is not empty and is not a glaneur output (no glaneur "
                             f"manifest.json): refusing to replace it; choose an empty or new --out")
        foreign = _foreign(out_dir)
        if foreign:
            raise FatalError(f"CLEAN_DIR {out_dir} holds files glaneur did not write ({display_name(foreign[0])}"
                             f"{f' and {len(foreign) - 1} more' if len(foreign) > 1 else ''}): refusing to replace "
                             f"it; move them or choose another --out")


_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>[0-9]+)\Z")  # ASCII digits: a pid


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a leftover with our own pid is from a dead run whose pid we reuse
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no such process; or a number no process has ever had
        return False
    except OSError:
        return True  # exists, not ours to signal
    return True


_SQLITE_SIDE_FILES = frozenset({"corpus.sqlite-journal", "corpus.sqlite-wal", "corpus.sqlite-shm"})
# The record store a run without a cache keeps inside its temporary folder (run/__init__.py STORE): removed
# before the folder is swapped in, so found only in what a killed run left, and then only of its own shape
STORE = ".store"
_STORE_FILE = re.compile(r"^records/(?P<shard>[0-9a-f]{2})/(?:(?P=shard)[0-9a-f]{62}\.json|tmp\w+\.tmp)$")


def _store_only(folder: Path) -> bool:
    """Whether `folder` holds nothing but a record store's files (records/xx/<sha256>.json), no link."""
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        if any((here / d).is_symlink() for d in dirs):
            return False
        for name in files:
            path = here / name
            if path.is_symlink() or not path.is_file() or not _STORE_FILE.match(path.relative_to(folder).as_posix()):
                return False
    return True


def _only_ours(folder: Path, leftover: bool = False) -> bool:
    """Whether `folder` holds only what glaneur writes; a `leftover` (a killed run's temporary folder) may also
    hold its record store."""
    try:
        foreign = _foreign(folder)
        if leftover:  # killed while writing: SQLite's own files beside the database it was writing
            foreign = [name for name in foreign if name not in _SQLITE_SIDE_FILES or not (folder / name).is_file()
                       or (folder / name).is_symlink()]
        if leftover and STORE in foreign and _store_only(folder / STORE):
            foreign.remove(STORE)
        return not foreign
    except OSError:
        return False


def recover(out_dir: Path) -> list[str]:
    """Undo what a killed run left beside CLEAN_DIR; returns what was done, for the log."""
    parent = out_dir.parent
    done: list[str] = []
    if not parent.is_dir():
        return done
    leftovers = []
    for name in sorted(os.listdir(parent)):
        m = _LEFTOVER.match(name)
        if m and m.group("name") == out_dir.name and not _alive(int(m.group("pid"))):
            path = parent / name
            if path.is_dir() and not path.is_symlink() and _only_ours(path, leftover=m.group("kind") == "tmp"):
                leftovers.append((m.group("kind"), path))
    # A run killed between its two renames left the previous outputs set aside: put them back first.
    for kind, path in leftovers:
        if kind == "old" and not out_dir.exists():
            os.replace(path, out_dir)
            done.append(f"restored {out_dir} from {path.name} (a run was interrupted while swapping)")
    for kind, path in leftovers:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed {path.name}, left by an interrupted run")
    return done


def make_tmp(out_dir: Path) -> Path:
    """The folder this run writes into, created now: an unwritable CLEAN_DIR stops the run before any work."""
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        probe = tmp / OUTPUT_MARKER
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise FatalError(f"CLEAN_DIR {out_dir} cannot be written: {exc.strerror or exc}") from None
    return tmp


def discard_tmp(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)


def swap(tmp: Path, out_dir: Path) -> None:
    """Put the new outputs in place.  Killed between the renames, `recover` restores the old folder."""
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)
