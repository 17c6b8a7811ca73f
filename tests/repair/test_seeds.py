"""Repair on the real documents of ../shared/seeds."""

from __future__ import annotations

import pytest

from conftest import SEEDS, needs_seeds
from pipeline.repair import context, repair_text

WORD_OPERATIONS = {"ocr_word", "ocr_elision", "drop_debris_token", "drop_debris_line", "dehyphenate"}


@pytest.fixture(scope="module")
def ctx(config):
    return context(config)


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text("utf-8")


@needs_seeds
def test_ocr_poster_is_repaired(ctx):
    text, changes = repair_text(seed("002"), ctx)
    for wrong in ("I'objet", "|'expertise", "quelgues", "publigue", "¢a", "ceuvrent", "déebut", "systémes",
                  "étre", "peut-é&tre", "surles", "gu'on", "quelgu'un", "logistigue", "Aif,é#@@%", "@\\i@\\",
                  "95}7", "France o QxS i"):
        assert wrong not in text, wrong
    # logo names are words, not debris: a logo line of names stays (dropping real words is the worse harm)
    assert "COCAGNE" in text and "Daniel&Nina" in text
    for right in ("l'objet", "l'expertise", "quelques", "publique", "ça tient", "œuvrent", "début 2021",
                  "systèmes", "être", "peut-être", "sur les", "qu'on", "quelqu'un", "logistique"):
        assert right in text, right
    kinds = {c.operation for c in changes}
    assert {"ocr_word", "ocr_elision", "drop_debris_token", "drop_debris_line"} <= kinds


@needs_seeds
def test_names_survive_untouched(ctx):
    text, _ = repair_text(seed("002"), ctx)
    for name in ("CIVAM", "UGESS", "GESRA", "VivreS", "Castanet-Tolosan", "VRAC", "Montpellier", "Marseille"):
        assert name in text, name


@needs_seeds
@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_clean_seeds_almost_unchanged(ctx, prefix):
    """Share of words changed by word repair on clean text (quotes, spaces, chrome aside): at most 0.1%."""
    original = seed(prefix)
    _, changes = repair_text(original, ctx)
    changed = sum(max(1, len(c.before.split())) for c in changes if c.operation in WORD_OPERATIONS)
    assert changed / len(original.split()) <= 0.001, [c for c in changes if c.operation in WORD_OPERATIONS]


@needs_seeds
def test_clean_seeds_lose_only_chrome(ctx):
    dropped = []
    for prefix in ("000", "001", "003", "004"):
        _, changes = repair_text(seed(prefix), ctx)
        dropped += [c.before for c in changes if c.after == "" and c.before.strip() and c.operation != "drop_chrome"]
    assert dropped == []
