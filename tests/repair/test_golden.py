"""Golden repair cases from tests/golden/repair.toml: what must change, and what must not."""

from __future__ import annotations

import tomllib

import pytest

from conftest import ROOT
from pipeline.repair import context, repair_text

CASES = tomllib.loads((ROOT / "tests" / "golden" / "repair.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def ctx(config):
    return context(config)


@pytest.mark.parametrize("case", CASES["fix"], ids=[c["why"] for c in CASES["fix"]])
def test_fix(case, ctx):
    text, changes = repair_text(case["input"], ctx)
    assert text == case["expected"]
    assert changes, "a repair that changed text must record it"


@pytest.mark.parametrize("case", CASES["keep"], ids=[c["why"] for c in CASES["keep"]])
def test_keep(case, ctx):
    text, changes = repair_text(case["input"], ctx)
    assert text == case["input"]
    assert changes == []
