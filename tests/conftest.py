"""Shared fixtures: paths, the built-in config, and one pipeline run over raw/."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import os

import pytest
from hypothesis import settings

from pipeline.config import load

# Property tests are deterministic by default (the same examples on every run and machine, no
# timing deadline on a noisy 2-core CI); HYPOTHESIS_PROFILE=explore searches new random examples.
settings.register_profile("default", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=1000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The compiled tokenizer expressions (pipeline/text/compiled.py) kept in a folder of this test session, not
# the user's ~/.cache; the processes the tests start find them there too.
if "GLANEUR_COMPILED_DIR" not in os.environ:
    import atexit
    import tempfile

    os.environ["GLANEUR_COMPILED_DIR"] = tempfile.mkdtemp(prefix="glaneur-compiled-")
    atexit.register(shutil.rmtree, os.environ["GLANEUR_COMPILED_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
TRUTH = ROOT / "samples" / "truth"
SEEDS = ROOT.parent / "shared" / "seeds"

HAS_TESSERACT = shutil.which("tesseract") is not None
needs_tesseract = pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr is not installed")
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")


@pytest.fixture(scope="session")
def config():
    return load(ROOT / "config" / "pipeline.toml")


def normalise(text: str) -> str:
    """For comparing OCR output with truth: NFC, one apostrophe and quote form, blanks folded."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[“”«»]", '"', text)
    return re.sub(r"\s+", " ", text).strip()


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate: edit distance / reference length, after `normalise`."""
    a, b = normalise(hypothesis), normalise(reference)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] / max(1, len(b))


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory, config):
    """The pipeline over the project's raw/ corpus, once per session (OCR and spaCy are slow)."""
    from pipeline.run import run

    base = tmp_path_factory.mktemp("sample-run")
    out = base / "clean"
    result = run(RAW, out, config, use_cache=False, progress=False, log=None)
    return out, result


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory, config):
    """The pipeline over ../shared/seeds, once per session (the tests that use it are marked needs_seeds)."""
    from pipeline.run import run

    out = tmp_path_factory.mktemp("seeds") / "clean"
    run(SEEDS, out, config, use_cache=False, progress=False, log=None)
    return out


@pytest.fixture(scope="session")
def generated_out(tmp_path_factory, config):
    """The pipeline over a corpus generated as bench/corpus.py writes it: scraped pages, dumps of several
    pages with metadata blocks and summaries, and OCR-like texts, with exact and near copies."""
    import sys

    from pipeline.run import run

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import write_corpus

    raw = tmp_path_factory.mktemp("generated") / "raw"
    write_corpus(raw, 48, seed=7, folders=4, kinds=("dump", "page", "dump", "scanned"))
    out = raw.parent / "clean"
    run(raw, out, config, use_cache=False, progress=False, log=None)
    return out


@pytest.fixture(scope="session")
def samples():
    """samples/make_samples.py as a module, to build variants of the sample documents."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract_path(path: Path, config, name: str | None = None):
    from pipeline.extract import RawFile, extract_file

    return extract_file(RawFile(name or path.name, path.read_bytes()), config)


def write_config(folder: Path, text: str) -> Path:
    """A config file in `folder`, with the project's word lists copied beside it."""
    for data in (ROOT / "config").iterdir():
        if data.is_dir():
            shutil.copytree(data, folder / data.name, dirs_exist_ok=True)
        elif data.suffix in (".txt", ".tsv", ".toml") and data.name != "pipeline.toml":
            shutil.copy(data, folder / data.name)
    path = folder / "pipeline.toml"
    path.write_text(text, "utf-8")
    return path


HOSTILE = ("<script>document.title='pwned'; console.error('pwned')</script>\n\n"
           "Une fiche <img src=x onerror=\"console.error('img')\"> sur l'économie sociale à Lyon, "
           "écrite par un site peu soigneux, avec des balises dans le texte.\n")


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory, config):
    """A tiny corpus with a page full of markup, for the report's escaping and the search."""
    from pipeline.run import run

    raw = tmp_path_factory.mktemp("hostile") / "raw"
    raw.mkdir()
    (raw / "fiche-hostile.txt").write_text(HOSTILE, "utf-8")
    (raw / "autre.txt").write_text("Le Réseau des collectivités publie une étude sur les tiers-lieux ruraux et "
                                   "l'économie de proximité en Bretagne. Les acteurs y œuvrent ensemble.\n", "utf-8")
    out = raw.parent / "clean"
    run(raw, out, config, use_cache=False, progress=False, log=None)
    return out


