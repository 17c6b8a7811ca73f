"""`glaneur repair -` and `glaneur annotate -`: stdin is decoded like a file, output is always UTF-8."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT  # noqa: F401  (hostile_run comes from conftest)

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


def test_repair_of_empty_stdin_says_so_in_one_line():  # a fatal problem with the input: exit 2
    done = glaneur("repair", "-", data=b"")
    assert done.returncode == 2
    assert done.stderr.decode().strip() == "glaneur: error: -: empty file"


def test_version_and_help_on_bare_glaneur():
    done = glaneur("--version", data=b"")
    assert done.returncode == 0 and done.stdout.decode().startswith("glaneur ")
    bare = glaneur(data=b"")
    assert bare.returncode == 0 and b"usage: glaneur" in bare.stdout and b"examples:" in bare.stdout
    assert b"shared/CONTRACT" not in bare.stdout


def test_every_option_has_help_text():
    from pipeline.cli import _parser

    parser = _parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            assert action.help, (name, action.dest)


def test_exit_codes_usage_and_fatal_are_2_nothing_found_is_1(hostile_run):
    assert glaneur("repair", "/nonexistent/fichier.txt", data=b"").returncode == 2
    assert glaneur("search", "economie", "--limit", "0", "--out", str(hostile_run), data=b"").returncode == 2
    assert glaneur("search", "  ", "--out", str(hostile_run), data=b"").returncode == 2
    assert glaneur("search", "introuvable", "--out", str(hostile_run), data=b"").returncode == 1
    assert glaneur("search", "economie", "--out", str(hostile_run), data=b"").returncode == 0


def test_search_json_gives_one_object_per_record(hostile_run):
    done = glaneur("search", "proximité", "--json", "--out", str(hostile_run), data=b"")
    assert done.returncode == 0
    hits = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [h["path"] for h in hits] == ["autre.txt"] and {"id", "title", "snippet", "score"} <= hits[0].keys()


def test_annotate_and_repair_read_json_lines_and_keep_their_fields():
    lines = (json.dumps({"id": "a", "text": "Le RTES se réunit à Rennes le 4 mars 2023."}) + "\n"
             + json.dumps({"id": "b", "text": "Il faut quelgues mois."}) + "\n").encode("utf-8")
    annotated = glaneur("annotate", "--jsonl", data=lines)
    assert annotated.returncode == 0, annotated.stderr
    out = [json.loads(x) for x in annotated.stdout.decode("utf-8").splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert any(e["text"] == "Rennes" for e in out[0]["entities"]) and out[0]["dates"][0]["start"] == "2023-03-04"
    repaired = glaneur("repair", "--jsonl", data=lines)
    out = [json.loads(x) for x in repaired.stdout.decode("utf-8").splitlines()]
    assert out[1]["text"] == "Il faut quelques mois." and out[1]["edits"][0]["operation"] == "ocr_word"
    bad = glaneur("repair", "--jsonl", data=b'{"id": 1}\n')
    assert bad.returncode == 2 and b"line 1" in bad.stderr


def _locale(**names: str) -> dict:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANG"} | names


def test_the_command_line_speaks_french_under_a_french_locale_english_otherwise():
    french = glaneur("--help", data=b"", env=_locale(LANG="fr_FR.UTF-8"))
    assert french.returncode == 0, french.stderr
    out = french.stdout.decode("utf-8")
    assert "usage : glaneur" in out and "actualise CLEAN_DIR à partir de RAW_DIR" in out
    assert "options :" in out and "affiche cette aide et quitte" in out
    english = glaneur("--help", data=b"", env=_locale(LANG="fr_FR.UTF-8", LC_ALL="C.UTF-8"))  # LC_ALL first
    assert "refresh CLEAN_DIR from RAW_DIR" in english.stdout.decode("utf-8")
    error = glaneur("search", "--limit", "0", "x", data=b"", env=_locale(LC_MESSAGES="fr_FR.UTF-8"))
    assert error.returncode == 2
    assert "glaneur search : erreur : argument --limit: doit être un nombre entier à partir de 1" in \
        error.stderr.decode("utf-8")


def test_every_word_the_command_line_says_has_its_french():
    """Each message id given to `say` in the command line's modules (found in their source) has a French
    text in the catalogue, with the same %(name)s values."""
    import ast
    import re

    from pipeline import cli
    from pipeline.outputs.report.words import _catalog

    catalog = _catalog("fr")
    said = [cli.DESCRIPTION, cli.EXAMPLES, cli.CONFIG_HELP]
    for module in ("cli.py", "run/summary.py", "run/__init__.py", "run/files.py"):
        tree = ast.parse((ROOT / "pipeline" / module).read_text("utf-8"))
        said += [node.args[0].value for node in ast.walk(tree) if isinstance(node, ast.Call)
                 and getattr(node.func, "id", None) == "say" and isinstance(node.args[0], ast.Constant)]
    assert len(said) > 40
    for msgid in said:
        message = catalog.get(msgid)
        assert message is not None and message.string, f"no French for {msgid!r}"
        assert sorted(re.findall(r"%\((\w+)\)s", message.string)) == sorted(re.findall(r"%\((\w+)\)s", msgid)), msgid
    # say_n's messages agree with their number: French in both forms, with the same values
    agreeing = [(node.args[0].value, node.args[1].value) for module in ("run/summary.py", "run/__init__.py")
                for node in ast.walk(ast.parse((ROOT / "pipeline" / module).read_text("utf-8")))
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say_n"]
    assert len(agreeing) >= 6
    for singular, plural in agreeing:
        message = catalog.get(singular)
        assert message is not None and message.id == (singular, plural), singular
        assert len(message.string) == 2 and all(message.string), singular
        for form in message.string:
            assert re.findall(r"%\((\w+)\)s", form) == re.findall(r"%\((\w+)\)s", singular), form


def test_an_empty_raw_dir_is_said_but_not_an_error(tmp_path):
    """A run over a folder with nothing to read exited 0 with "0 fichiers" and no word about it."""
    (tmp_path / "raw").mkdir()
    done = glaneur("run", str(tmp_path / "raw"), "--out", str(tmp_path / "clean"), data=b"",
                   env=_locale(LANG="fr_FR.UTF-8"))
    assert done.returncode == 0, done.stderr
    assert f"glaneur : {tmp_path / 'raw'} ne contient aucun fichier à lire (0 ignoré)" in done.stderr.decode("utf-8")
    assert (tmp_path / "clean" / "records.jsonl").read_text("utf-8") == ""


def test_a_reader_that_stops_early_ends_the_command_quietly():
    """`glaneur repair - | head -1`: the reader goes away before the output is written; no traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "repair", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.close()  # the reader has gone
    _, err = proc.communicate(("Une ligne du compte rendu de la réunion.\n" * 20_000).encode("utf-8"), timeout=300)
    assert proc.returncode == 141, err
    assert b"Traceback" not in err and b"BrokenPipe" not in err
    # the reader takes a first part and goes: a pipe may take part of a write and say nothing (exit 0 then)
    proc = subprocess.Popen(f"{sys.executable} -m pipeline repair - | head -c 100 > /dev/null; "
                            "echo ${PIPESTATUS[0]} >&2", shell=True, executable="/bin/bash", stdin=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT)
    _, err = proc.communicate(("Une ligne du compte rendu de la réunion.\n" * 50_000).encode("utf-8"), timeout=300)
    assert err.decode().strip().splitlines()[-1] == "141", err
    assert b"Traceback" not in err


def test_a_broken_pipe_that_is_not_the_output_is_not_hidden(monkeypatch):
    from pipeline import cli

    def broken(argv):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "_main", broken)
    monkeypatch.setattr(cli, "_stdout_gone", lambda: False)
    with pytest.raises(BrokenPipeError):
        cli.main(["run", "raw"])


def test_ctrl_c_is_one_line_and_status_130(monkeypatch, capsys):
    import os

    from pipeline import cli

    def interrupted(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_main", interrupted)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    assert os.environ["LANG"] == "fr_FR.UTF-8"
    assert cli.main(["run", "raw"]) == 130
    err = capsys.readouterr().err
    assert err == ("glaneur : interrompu ; aucun dossier de sortie n'est laissé à moitié écrit (le passage suivant "
                   "remet le précédent en place s'il le faut)\n")
