"""What the runner knows about a stage: the `Stage` protocol, the file `Reader`, and their settings.

A stage is built once, `setup` with its own section of the config (it does
its I/O there: word lists, rules, gazetteers; models load when first needed),
then `run` is a pure function of the records it is given.  The runner knows
nothing else about stages: their name and version (for the cache), their
scope, and whether one record may become several.

* `file` scope is the `Reader`: it turns one raw file into records, in a
  worker process, under the per-file limits;
* `corpus` scope sees every record at once (repair learns site chrome,
  deduplicate compares records);
* `record` scope sees records one by one, cached per record (`splits`: one
  record in, several out).

Every stage's work runs on the executor's workers (pipeline/run/executor.py),
in partitions of records.  A corpus stage that can learn its corpus-wide
decision piecewise says so by being a `MapReduce` as well: `prepare` (per
record, optional), `learn` (per record), `decide` (in one place), `apply`
(per partition, or on the whole corpus when `apply_scope` is "corpus"; or group by group, see `Merges`).  Its
`run` must equal those steps on the whole corpus: `apply(records,
decide(learn(records)))`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from .record import Record

Scope = Literal["corpus", "record"]


class Unreadable(Exception):
    """A file the reader cannot read; its message is the one-line quarantine reason."""


@dataclass(frozen=True)
class RawFile:
    """What the reader reads: a file's path (relative to RAW_DIR, '/'-separated) and its bytes."""

    path: str
    data: bytes

    @cached_property
    def sha256(self) -> str:  # hashed once per file, however often it is asked for
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Settings(Mapping[str, Any]):
    """One section of the config, as a stage receives it: its validated values, and the folder the file
    names in it are relative to.  Read like a dict (`settings["key"]`)."""

    section: str
    data: Mapping[str, Any]
    base_dir: Path
    # The data files the section names, as (name relative to base_dir, text, None), read where the run
    # starts (`shipped`): a worker on another machine, or started in another folder, sets the stage up from
    # these (`landed`) and needs nothing but the package.  A file with the bytes of glaneur's own file of
    # that name (config/ as installed, or a copy of it) travels as (name, None, "name:its sha256"): every
    # task carries the bundle, and config/places/ alone is 2.3 MB.  Empty: the files are read from base_dir.
    bundle: tuple[tuple[str, str | None, str | None], ...] = ()

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def data_file(self, name: str) -> Path:
        """A file the section names: beside its config, else glaneur's own config/ (`find_data`)."""
        from .config import find_data

        return find_data(self.base_dir, name)

    def _named_data(self) -> Iterator[tuple[str, str, Path | None]]:
        """(key, name, path or None when absent) of every data file the section names: each `*_file`, and
        each file of each `*_dir` (as "dir/file")."""
        for key, value in sorted(self.data.items()):
            if key.endswith("_file") and value:
                f = self.data_file(value)
                yield key, value, f if f.exists() else None
            if key.endswith("_dir") and value:
                folder = self.data_file(value)
                if not folder.is_dir():
                    yield key, value, None
                    continue
                for f in sorted(folder.glob("*")):
                    if f.is_file():
                        yield key, f"{value}/{f.name}", f

    @property
    def fingerprint(self) -> str:
        """Hash of the values and of the data files and folders they name (`*_file`, `*_dir`), each file by its
        own hash (config/places/ holds 2 MB that need not go through JSON)."""
        payload: dict[str, Any] = {"values": dict(self.data)}
        for key, name, path in self._named_data():
            text = hashlib.sha256(path.read_bytes()).hexdigest() if path else None
            if key.endswith("_file"):
                payload[f"{key}:content"] = text
            else:
                folder = payload.setdefault(f"{key}:content", {})
                if text is None:
                    payload[f"{key}:content"] = None
                else:
                    folder[name.rsplit("/", 1)[1]] = text
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()

    def shipped(self) -> "Settings":
        """These settings with the text of every data file they name, read now, to travel with them; a file
        with the bytes of glaneur's own file of that name travels as its name and hash (`bundle`)."""
        from dataclasses import replace

        from .config import defaults_dir

        bundle = []
        for _, name, path in self._named_data():
            if path is None:
                continue
            data = path.read_bytes()
            own = defaults_dir() / name
            digest = hashlib.sha256(data).hexdigest()
            if _inside(name) and own.is_file() and hashlib.sha256(own.read_bytes()).hexdigest() == digest:  # ours, or a copy
                bundle.append((name, None, f"{name}:{digest}"))
            else:
                bundle.append((name, data.decode("utf-8"), None))
        return replace(self, bundle=tuple(bundle))

    def landed(self, root: Path | None = None) -> "Settings":
        """Settings whose data files are read from their bundle: written once into a folder named by the
        bundle's hash (under `root`, the system's temporary folder by default), which becomes base_dir."""
        if not self.bundle:
            return self
        import tempfile
        from dataclasses import replace

        digest = hashlib.sha256(json.dumps(self.bundle, ensure_ascii=False).encode()).hexdigest()[:20]
        folder = (root or Path(tempfile.gettempdir())) / f"glaneur-data-{digest}"
        if not folder.is_dir():
            import shutil

            staging = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", dir=folder.parent))
            try:
                for name, text, own in self.bundle:
                    target = staging / name
                    if not _inside(name):  # never written outside `folder`
                        from .config import ConfigError

                        raise ConfigError(f"[{self.section}] {name}: a data file a Dask worker is sent must be "
                                          f"named relative to the config's folder, inside it")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(_own_data(str(own)) if text is None else text.encode("utf-8"))
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            try:
                staging.rename(folder)  # whole or not at all: another process may land the same bundle
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)
        return replace(self, base_dir=folder, bundle=())


def _inside(name: str) -> bool:
    """Whether a data file's name stays inside the folder it is relative to (not absolute, no "..")."""
    return not Path(name).is_absolute() and ".." not in Path(name).parts


def _own_data(reference: str) -> bytes:
    """The bytes of the file of glaneur's own config/ that `reference` ("path:sha256") names, as installed
    here; a ConfigError (one line) when this glaneur's file differs from the one the run started with."""
    from .config import ConfigError, defaults_dir

    relative, digest = reference.rsplit(":", 1)
    try:
        data = (defaults_dir() / relative).read_bytes()
    except OSError as exc:
        raise ConfigError(f"config/{relative}: glaneur's own data file cannot be read here "
                          f"({exc.__class__.__name__})") from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise ConfigError(f"config/{relative}: this glaneur's copy differs from the run's (install the same "
                          f"glaneur version on every worker)")
    return data


@runtime_checkable
class Stage(Protocol):
    name: str  # also the config section it reads
    version: str  # bumped when its output changes, so that cached results are recomputed (pipeline/versions.py)
    scope: Scope
    splits: bool  # record scope: one record may become several

    def setup(self, settings: Settings) -> None: ...

    def run(self, records: list[Record]) -> list[Record]: ...


@runtime_checkable
class MapReduce(Protocol):
    """A corpus stage whose corpus-wide decision is learned piecewise, so that its work is spread over workers:

    * `learn(records)` -> one summary per record, what the decision needs from it (a JSON value: it is
      cached per record, so a refresh learns only from the records that changed);
    * `decide(learned)` -> the decision, from every record's summary in the corpus's order, made in one
      place (the same whatever the partitioning);
    * `apply(records, decision)` -> records: per partition when `apply_scope` is "partition" (then cached
      per record under `decision_key(decision)`, unless that is None), else once on the whole corpus
      ("corpus").

    A stage may also `prepare` records one by one before learning (mapped and cached per record, like a
    record stage), when it has a `prepare` method.
    """

    apply_scope: Literal["partition", "corpus"]

    def learn(self, records: list[Record]) -> Any: ...

    def decide(self, learned: list[Any]) -> Any: ...

    def apply(self, records: list[Record], decision: Any) -> list[Record]: ...

    def decision_key(self, decision: Any) -> str | None: ...


@runtime_checkable
class Merges(MapReduce, Protocol):
    """A map-reduce stage whose decision is which records to merge (`apply_scope` "groups"), so that no one
    process needs the records themselves:

    * `decide(learned)` -> (pairs that are certainly one, candidate pairs to compare), as record indexes;
    * `compare(pairs)` -> one value per candidate pair of records (on the workers; None: not the same);
    * `group(n, decision, values)` -> the groups of more than one record, as (indexes, what the merge needs
      to know), decided in one place from indexes and values only;
    * `merge(records, group)` -> one record for a group (on the workers).

    Records in no group go on untouched; the stage's output is in id order.  `apply(records, decision)` does
    the same in one process."""

    def compare(self, pairs: list[tuple[Record, Record]]) -> list[Any]: ...

    def group(self, n: int, decision: Any, values: list[Any]) -> list[Any]: ...

    def merge(self, records: list[Record], group: Any) -> Record: ...


@runtime_checkable
class Reader(Protocol):
    """The first step: one raw file in, its records out (or `Unreadable` with the reason)."""

    name: str
    version: str

    def setup(self, settings: Settings) -> None: ...

    def format_of(self, path: str) -> str | None: ...  # the format a file's name says, None if unsupported

    def read(self, file: RawFile) -> list[Record]: ...


def run_with(stage: Stage, records: list[Record], config: Any) -> list[Record]:
    """One stage on `records`, set up with `config`'s section for it (for tests and one-off use)."""
    stage.setup(config.settings(stage.name))
    return stage.run(records)


def check_pipeline(reader: Reader, stages: list[Stage]) -> None:
    """The order rules, checked where the pipeline list is built: a reader first, then stages with distinct
    names and known scopes."""
    if not isinstance(reader, Reader):
        raise TypeError(f"{reader!r} is not a Reader")
    names = [reader.name]
    for stage in stages:
        if not isinstance(stage, Stage):
            raise TypeError(f"{stage!r} is not a Stage")
        if stage.scope not in ("corpus", "record"):
            raise ValueError(f"stage {stage.name}: scope must be 'corpus' or 'record', not {stage.scope!r}")
        if stage.splits and stage.scope != "record":
            raise ValueError(f"stage {stage.name}: only a record stage may split records")
        names.append(stage.name)
    if len(set(names)) != len(names):
        raise ValueError(f"stage names must be distinct: {names}")
