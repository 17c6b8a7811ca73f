"""config/pipeline.toml: every key documented, wrong keys and types stopped with one line."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, write_config
from pipeline.config import SCHEMA, ConfigError, load

SHIPPED = ROOT / "config" / "pipeline.toml"


def write(tmp_path, text):
    return write_config(tmp_path, text)


def test_shipped_config_sets_every_key_to_its_default():
    import tomllib

    raw = tomllib.loads(SHIPPED.read_text("utf-8"))
    for section, keys in SCHEMA.items():
        for key, spec in keys.items():
            assert key in raw[section], f"[{section}] {key} is not in config/pipeline.toml"
            assert raw[section][key] == spec.default, f"[{section}] {key} differs from the code's default"


def test_every_key_has_a_comment_just_above_it():
    lines = SHIPPED.read_text("utf-8").splitlines()
    table = None
    for i, line in enumerate(lines):
        if line.startswith("["):
            table = line
            if "." in line:  # a table of values: the reason stands above its header
                assert lines[i - 1].startswith("#"), f"no reason given above {line}"
            continue
        if re.match(r"^\w+\s*=", line) and "." not in (table or ""):
            assert lines[i - 1].startswith("#"), f"no reason given above: {line}"


def test_unknown_key_names_section_and_key(tmp_path):
    with pytest.raises(ConfigError) as err:
        load(write(tmp_path, "[extract]\nocr_langage = 'fra'\n"))
    message = str(err.value)
    assert "[extract]" in message and "ocr_langage" in message and "\n" not in message


def test_unknown_section(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown section \[extracts\]"):
        load(write(tmp_path, "[extracts]\n"))


def test_wrong_type(tmp_path):
    with pytest.raises(ConfigError, match=r"\[extract\] ocr_dpi must be a whole number, got 'high'"):
        load(write(tmp_path, "[extract]\nocr_dpi = 'high'\n"))


def test_bool_is_not_a_number(tmp_path):
    with pytest.raises(ConfigError, match="column_gap must be a number"):
        load(write(tmp_path, "[extract]\ncolumn_gap = true\n"))


def test_value_out_of_range_and_choices(tmp_path):
    with pytest.raises(ConfigError, match="ocr_dpi must be at least 72"):
        load(write(tmp_path, "[extract]\nocr_dpi = 10\n"))
    with pytest.raises(ConfigError, match="executor must be one of 'local', 'dask'"):
        load(write(tmp_path, "[run]\nexecutor = 'ray'\n"))


def test_invalid_toml_gives_position(tmp_path):
    with pytest.raises(ConfigError, match=r"invalid TOML: .*line 2"):
        load(write(tmp_path, "[run]\nexecutor = \n"))


def test_missing_data_file(tmp_path):
    path = write(tmp_path, "[segment]\ntitle_skip_file = 'nope.txt'\n")
    with pytest.raises(ConfigError, match="title_skip_file: file not found"):
        load(path)


def test_partial_config_takes_defaults_for_the_rest(tmp_path):
    config = load(write(tmp_path, "[extract]\nocr_dpi = 200\n"))
    assert config.section("extract")["ocr_dpi"] == 200
    assert config.section("extract")["ocr_language"] == "fra"


def test_fingerprint_follows_the_section_only(tmp_path):
    a = load(write(tmp_path, "[extract]\nocr_dpi = 200\n"))
    b = load(write(tmp_path, "[extract]\nocr_dpi = 300\n"))
    assert a.fingerprint("extract") != b.fingerprint("extract")
    assert a.fingerprint("repair") == b.fingerprint("repair")


def test_cli_bad_config_exits_2_with_one_line(tmp_path):
    path = write(tmp_path, "[repair]\nftfy = 'yes'\n")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(ROOT / "raw"), "--out",
                           str(tmp_path / "out"), "--config", str(path)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "[repair] ftfy must be true or false" in lines[0]
    assert not (tmp_path / "out").exists()


# --- what a value means, checked before any work ------------------------------------------------------

def assert_stops_before_work(tmp_path, config_path, words):
    """`glaneur run` with this config exits 2 with one line holding `words`, and writes nothing."""
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(ROOT / "raw"), "--out",
                           str(tmp_path / "out"), "--config", str(config_path), "--no-cache"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], lines
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, words", [
    ("[deduplicate]\nnear_threshold = nan\n", "finite"),
    ("[extract]\nmax_file_mb = inf\n", "finite"),
    ("[extract]\ntext_encodings = ['utf-9']\n", "unknown encoding 'utf-9'"),
])
def test_values_that_pass_their_type_but_mean_nothing_are_refused(tmp_path, text, words):
    with pytest.raises(ConfigError, match=re.escape(words)):
        load(write(tmp_path, text))


@pytest.mark.parametrize("name, content, words", [
    ("themes.toml", "[themes\nbroken", "invalid TOML"),
    ("segment.toml", "label = ", "invalid TOML"),
    ("gazetteer/organisations.tsv", b"\xff\xfe\x00binary\x00", "not UTF-8"),
])
def test_data_files_that_do_not_parse_stop_the_run_at_load(tmp_path, name, content, words):
    path = write(tmp_path, "")
    target = tmp_path / name
    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ConfigError, match=words):
        load(path)


@pytest.mark.parametrize("text, words", [
    ("[classify]\nspacy_model = 'fr_core_news_xxl'\n", "is not installed"),
    ("[extract]\nocr_language = 'xxx'\n", "Tesseract has no xxx"),
    ("[run]\nexecutor = 'dask'\ndask_scheduler = 'tcp://127.0.0.1:9'\n", "does not answer"),
])
def test_runtime_checks_stop_the_cli_before_any_work_with_one_line(tmp_path, text, words):
    if "ocr_language" in text and not __import__("shutil").which("tesseract"):
        pytest.skip("tesseract-ocr is not installed")
    assert_stops_before_work(tmp_path, write(tmp_path, text), words)


def test_the_run_section_does_not_make_outputs_stale(tmp_path, config):
    from pipeline.run import run

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Le réseau accompagne les collectivités de Bretagne dans leurs projets.", "utf-8")
    run(raw, tmp_path / "clean", config, use_cache=False, progress=False, log=None)
    other = load(write(tmp_path, f"[run]\nworkers = 1\ncache_dir = '{tmp_path / 'ailleurs'}'\n"))
    assert run(raw, tmp_path / "clean", other, progress=False, log=None).up_to_date


@pytest.mark.parametrize("name, content, words", [
    ("themes.toml", "min_hits = 'deux'\n", "min_hits must be a whole number"),
    ("themes.toml", "[themes.x]\nlabel = 'x'\n", "must have exactly 'label' and 'triggers'"),
    ("segment.toml", "[[block_field]]\nlabel = 'Catégorie'\nclef = 'category'\n", "unknown key 'clef'"),
    ("segment.toml", "[[date_line]]\npattern = '(publié'\n", "invalid pattern"),
])
def test_word_list_tables_are_checked_like_the_config_before_any_work(tmp_path, name, content, words):
    path = write(tmp_path, "")
    (tmp_path / name).write_text(content, "utf-8")
    assert_stops_before_work(tmp_path, path, words)


def test_a_copy_of_the_config_elsewhere_finds_the_shipped_data_files(tmp_path):
    """Issue 27: an unmodified copy of config/pipeline.toml passed from another folder runs: the word lists,
    patterns and gazetteers it names are looked up beside it, then in glaneur's own config/."""
    from pipeline.config import defaults_dir, load
    from pipeline.repair import context
    from pipeline.segment import rules_for

    copy = tmp_path / "pipeline.toml"
    copy.write_text((defaults_dir() / "pipeline.toml").read_text("utf-8"), "utf-8")
    config = load(copy)
    assert config.data_file("chrome.txt") == defaults_dir() / "chrome.txt"
    assert context(config).lexicon.confusions and rules_for(config).labels
    (tmp_path / "chrome.txt").write_text("Ma ligne\n", "utf-8")  # one beside the copy is preferred
    assert load(copy).data_file("chrome.txt") == tmp_path / "chrome.txt"


def test_a_missing_data_file_names_both_places(tmp_path):
    import pytest

    from pipeline.config import ConfigError, defaults_dir, load

    copy = tmp_path / "pipeline.toml"
    copy.write_text((defaults_dir() / "pipeline.toml").read_text("utf-8").replace(
        'chrome_file = "chrome.txt"', 'chrome_file = "absent.txt"'), "utf-8")
    with pytest.raises(ConfigError) as error:
        load(copy)
    message = str(error.value)
    assert "\n" not in message and str(tmp_path / "absent.txt") in message and str(defaults_dir() / "absent.txt") in message


def test_a_data_file_that_cannot_be_read_is_an_error_not_an_empty_list(tmp_path):
    """Issue 29: a word list that has gone missing (a worker that cannot see config/) stops with one line
    rather than repairing with no word list at all."""
    import pytest

    from pipeline.config import ConfigError, data_lines

    with pytest.raises(ConfigError) as error:
        data_lines(tmp_path / "absent.txt")
    assert "absent.txt" in str(error.value) and "\n" not in str(error.value)


def test_a_relative_config_names_its_files_absolutely(tmp_path, monkeypatch):
    """A config given as config/NAME.toml reaches the workers with absolute paths: a worker started in
    another folder reads the same files."""
    import shutil

    from pipeline.config import defaults_dir, load

    (tmp_path / "config").mkdir()
    shutil.copy(defaults_dir() / "pipeline.toml", tmp_path / "config" / "mine.toml")
    monkeypatch.chdir(tmp_path)
    settings = load("config/mine.toml").settings("repair")
    assert settings.base_dir.is_absolute() and settings.base_dir == tmp_path / "config"
