"""The wheel: built from the project, installed outside the checkout, it runs on raw/ with the config it
ships (a non-editable install found no themes.toml before) and gives the same records."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import RAW, ROOT


@pytest.mark.slow
def test_the_built_wheel_runs_outside_the_checkout_with_its_shipped_config(tmp_path, sample_run):
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(wheels)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    assert "Warning" not in build.stderr  # no license or package-data warnings from setuptools
    wheel = next(wheels.glob("glaneur-*.whl"))
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                              str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    env = dict(os.environ, PYTHONPATH=str(target))
    done = subprocess.run([sys.executable, "-c", "import pipeline, sys; print(pipeline.__file__)"],
                          capture_output=True, text=True, cwd=elsewhere, env=env)
    assert done.stdout.strip().startswith(str(target)), done.stdout  # the installed copy, not the checkout
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(RAW), "--out", str(elsewhere / "clean"),
                           "--no-cache", "--quiet"], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert done.returncode == 0, done.stderr
    out, _ = sample_run
    assert (elsewhere / "clean" / "records.jsonl").read_bytes() == (out / "records.jsonl").read_bytes()
