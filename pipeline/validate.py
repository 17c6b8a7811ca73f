"""What a config value means, checked before any work: each failure one line, the run stopped (exit 2).

`config.load` checks types, ranges, encodings and that the data files parse;
this module checks what depends on the machine: the spaCy model is installed,
Tesseract knows the OCR language, the Dask scheduler answers.
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
from urllib.parse import urlparse

from .config import Config, ConfigError


def check_model(config: Config) -> None:
    name = config.section("classify")["spacy_model"]
    if importlib.util.find_spec(name.replace("-", "_")) is None:
        raise ConfigError(f"{config.where}: [classify] spacy_model {name!r} is not installed "
                          f"(pip install {name.replace('_', '-')})")


def check_ocr(config: Config) -> None:
    """Tesseract, when present, must know the configured language (absent, images are quarantined)."""
    if shutil.which("tesseract") is None:
        return
    import pytesseract

    wanted = config.section("extract")["ocr_language"]
    try:
        have = set(pytesseract.get_languages(config=""))
    except Exception:  # a broken Tesseract install: extraction will quarantine the images with its error
        return
    missing = [lang for lang in wanted.split("+") if lang not in have]
    if missing:
        raise ConfigError(f"{config.where}: [extract] ocr_language {wanted!r}: Tesseract has no "
                          f"{'+'.join(missing)} data (installed: {', '.join(sorted(have)) or 'none'})")


def check_scheduler(config: Config) -> None:
    run = config.section("run")
    if run["executor"] != "dask" or not run["dask_scheduler"]:
        return
    address = run["dask_scheduler"]
    parsed = urlparse(address if "://" in address else f"tcp://{address}")
    try:
        with socket.create_connection((parsed.hostname or "", parsed.port or 8786), timeout=5):
            pass
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{config.where}: [run] dask_scheduler {address!r} does not answer "
                          f"({exc.__class__.__name__}: {exc})") from None


def check_runtime(config: Config) -> None:
    check_model(config)
    check_ocr(config)
    check_scheduler(config)
