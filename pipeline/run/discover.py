"""Finding the files of RAW_DIR, and reading them without ever leaving it.

What glaneur promises here (README, "What glaneur will never do"):

* only regular files are read; a named pipe, socket or device is listed as
  `skipped` with its kind, never opened (opening a FIFO blocks forever);
* a symbolic link is followed only when its target is a regular file inside
  RAW_DIR; a link that leads out of it, or to a folder, is listed as skipped;
* files inside a folder matched by `[extract] skip` (a hidden `.git/`) are
  listed as skipped, not left out of the manifest;
* a folder that holds glaneur's own outputs (its manifest says so) is never
  read back in as documents;
* a name that is not valid UTF-8 is kept, its odd bytes escaped (`\\xe9`),
  and processed like any other.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..outputs.folder import display_name, inside, is_glaneur_output
from ..stage import Unreadable



@dataclass(frozen=True)
class Found:
    rel: str  # '/'-separated, relative to RAW_DIR, odd bytes escaped: the name shown everywhere
    fs_path: str  # the name on disk, for opening


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "another kind of file"


def discover(raw_dir: Path, skip: list[str], exclude: tuple[Path, ...] = ()) -> tuple[list[Found], list[tuple[str, str]]]:
    """Files to process, and (path, reason) of everything listed as skipped; both sorted by path.

    `exclude` are folders never entered (CLEAN_DIR, the cache) when they lie inside RAW_DIR."""
    root = raw_dir.resolve()
    excluded = {p.resolve() for p in exclude}
    found: list[Found] = []
    skipped: list[tuple[str, str]] = []

    def walk(folder: Path, rel_parts: tuple[str, ...], skipped_because: str | None) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(("/".join(rel_parts) or ".", f"folder cannot be read: {exc.strerror or exc}"))
            return
        for entry in entries:
            parts = rel_parts + (display_name(entry.name),)
            rel = "/".join(parts)
            path = Path(entry.path)
            pattern = next((p for p in skip if fnmatch.fnmatch(parts[-1], p)), None)
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                skipped.append((rel, f"cannot be read: {exc.strerror or exc}"))
                continue
            if stat.S_ISLNK(info.st_mode):
                reason = _link_reason(path, root)
                if reason:
                    skipped.append((rel, reason))
                    continue
                target_info = os.stat(path)
                mode = target_info.st_mode
            else:
                mode = info.st_mode
            if stat.S_ISDIR(mode):
                if path.resolve() in excluded:
                    continue  # our own outputs or cache: never input, and not the user's documents
                if is_glaneur_output(path):
                    skipped.append((rel + "/", "a glaneur output folder: never read back as input"))
                    continue
                because = skipped_because or (f"inside a folder whose name matches '{pattern}' in [extract] skip"
                                              if pattern else None)
                walk(path, parts, because)
                continue
            if not stat.S_ISREG(mode):
                skipped.append((rel, f"{_kind(mode)}, not a regular file: never opened"))
            elif skipped_because:
                skipped.append((rel, skipped_because))
            elif pattern:
                skipped.append((rel, f"name matches '{pattern}' in [extract] skip"))
            else:
                found.append(Found(rel, str(path)))

    walk(raw_dir, (), None)
    return sorted(found, key=lambda f: f.rel), sorted(skipped)


def _link_reason(path: Path, root: Path) -> str | None:
    """Why a symbolic link is not followed, or None when it leads to a file inside RAW_DIR."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "symbolic link to nothing (broken or a loop): not followed"
    if not inside(target, root):
        return "symbolic link to a place outside RAW_DIR: not followed"
    if target.is_dir():
        return "symbolic link to a folder: not followed (its files are read where they are)"
    return None


def read_regular(fs_path: str, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file; anything else (swapped in since discovery) is refused, never waited on."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(fs_path, flags)
    except OSError as exc:
        raise Unreadable(f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"{_kind(info.st_mode)}, not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise Unreadable(f"larger than max_file_mb={max_bytes / 1024 / 1024:g} (config [extract])")
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
