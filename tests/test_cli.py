"""`glaneur repair -` and `glaneur annotate -`: stdin is decoded like a file, output is always UTF-8."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

CP1252 = "Le comité régional se réunit à Lyon le 4 mars 2023.\nDeuxième ligne du compte rendu.\n".encode("cp1252")


def glaneur(*args: str, data: bytes, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], input=data, capture_output=True, cwd=ROOT,
                          env=env)


def test_repair_from_stdin_decodes_cp1252_and_keeps_every_line():
    done = glaneur("repair", "-", data=CP1252)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert "comité régional" in out and "Deuxième ligne" in out
    assert "\ufffd" not in out


def test_annotate_from_stdin_in_a_c_locale_gives_utf8_json():
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")} | {"LANG": "C", "LC_ALL": "C",
                                                                            "PYTHONIOENCODING": "ascii"}
    done = glaneur("annotate", "-", data=CP1252, env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.decode("utf-8"))
    assert {"text": "Lyon", "label": "LOC"}.items() <= result["entities"][0].items()
    assert result["dates"][0]["start"] == "2023-03-04"


def test_repair_of_empty_stdin_says_so_in_one_line():
    done = glaneur("repair", "-", data=b"")
    assert done.returncode == 1
    assert done.stderr.decode().strip() == "glaneur: error: -: empty file"
