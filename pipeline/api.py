"""glaneur as a library: what the command line and the benchmarks call (the CLI only parses and prints).

    from pipeline import api
    api.run("raw", "clean")                      # refresh clean/ from raw/
    text, edits = api.repair("Il faut quelgues mois.")
    api.annotate("Le RTES se réunit à Lyon le 4 mars 2023.")
    annotate = api.annotator()                   # many texts, the model loaded once
    api.search("économie solidaire", "clean")

`config` is a `Config` (from `load_config`), a path to a TOML file, or None for
config/pipeline.toml when it exists, else the built-in defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from .config import Config, load
from .record import Edit
from .run import RunResult, run as _run

DEFAULT_CONFIG = Path("config") / "pipeline.toml"


def load_config(config: Config | str | Path | None = None) -> Config:
    """A validated config; a wrong key, type or value raises ConfigError with one line."""
    if isinstance(config, Config):
        return config
    if config is None or Path(config) == DEFAULT_CONFIG and not Path(config).exists():
        if DEFAULT_CONFIG.exists():
            return load(DEFAULT_CONFIG)
        from .config import defaults_dir

        return load(defaults_dir() / "pipeline.toml")  # the shipped one, with its word lists beside it
    return load(config)


def run(raw_dir: str | Path = "raw", out_dir: str | Path = "clean", config: Config | str | Path | None = None,
        **options: Any) -> RunResult:
    """Refresh `out_dir` from `raw_dir` (options: use_cache, progress, log, force); raises FatalError."""
    return _run(Path(raw_dir), Path(out_dir), load_config(config), **options)


def read_text(data: bytes, name: str = "stdin.txt", config: Config | str | Path | None = None) -> str:
    """The text extraction gives for a file's bytes (`name` says the format); raises Unreadable."""
    from .extract import RawFile, extract_file

    return extract_file(RawFile(name, data), load_config(config)).text


def repairer(config: Config | str | Path | None = None) -> Callable[[str], tuple[str, list[Edit]]]:
    """A function repairing texts, with the word lists loaded once."""
    from .repair import context, repair_text

    ctx = context(load_config(config))
    return lambda text: repair_text(text, ctx)


def repair(text: str, config: Config | str | Path | None = None) -> tuple[str, list[Edit]]:
    """The repaired text, and every edit made to it."""
    return repairer(config)(text)


def annotator(config: Config | str | Path | None = None) -> Callable[[str], dict[str, Any]]:
    """A function giving language, entities and dates of a text (offsets into it as given), with the
    gazetteer and the spaCy model loaded once (the model must be installed)."""
    from .classify import annotator as _annotator
    from .validate import check_model

    cfg = load_config(config)
    check_model(cfg)
    return _annotator(cfg)


def annotate(text: str, config: Config | str | Path | None = None) -> dict[str, Any]:
    """Language, entities and dates of `text`, offsets into it as given."""
    return annotator(config)(text)


def export(fmt: str = "jsonld", out_dir: str | Path = "clean", config: Config | str | Path | None = None) -> dict[str, Any]:
    """The records of `out_dir/records.jsonl` as one JSON-LD document: schema.org (`jsonld`) or Dublin Core
    (`dc`); FileNotFoundError without it."""
    import json

    from .classify.gazetteer import of as gazetteer_of
    from .outputs.catalogue import export as _export, place_codes

    path = Path(out_dir) / "records.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found (run `glaneur run` first)")
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    settings = load_config(config).settings("classify")
    gazetteer = gazetteer_of(settings)
    return _export(records, fmt, place_codes(gazetteer))


def search(query: str, out_dir: str | Path = "clean", limit: int = 10) -> list[dict[str, Any]]:
    """The records of `out_dir/corpus.sqlite` that best match `query`; FileNotFoundError without it."""
    from .outputs.sqlite import search as _search

    path = Path(out_dir) / "corpus.sqlite"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found (run `glaneur run` first)")
    return _search(path, query, limit)
