"""A generated corpus of any size for the scale benchmarks, written from our own documents (never the seeds).

Each document is a scraped page in the style of raw/sites: a site header
line shared by its folder (chrome that repair learns), a title, and
paragraphs of sentences drawn from our sample texts and of words drawn by
their frequency in French (wordfreq), with a number and a commune of its own so that two documents are not the same content.  One
document in twenty is a near copy of an earlier one (a word changed), one in
fifty an exact copy at another path: deduplicate has work to do.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "samples" / "src").glob("*.txt")) + sorted((ROOT / "raw").rglob("*.md")) + \
    sorted((ROOT / "raw").rglob("*.txt"))
COMMUNES = ("Rennes", "Brest", "Quimper", "Lorient", "Vannes", "Saint-Brieuc", "Nantes", "Angers", "Tours",
            "Limoges", "Poitiers", "Niort", "Pau", "Bayonne", "Albi", "Rodez", "Cahors", "Figeac", "Millau", "Gap")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre", "novembre")


def sentences() -> list[str]:
    """The sentences of our own sample texts (headings, lists and short lines left out)."""
    found: list[str] = []
    for path in SOURCES:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")  # raw/archives holds an old Windows-1252 newsletter on purpose
        for paragraph in re.split(r"\n\s*\n", text):
            flat = " ".join(paragraph.split())
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", flat):
                if len(sentence.split()) >= 8 and sentence[-1] in ".!?" and not sentence.startswith(("=", "#", "-")):
                    found.append(sentence)
    return sorted(set(found))


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[str], list[float]]:
    from wordfreq import top_n_list

    words = top_n_list("fr", 20000)
    return words, [1 / (rank + 1) for rank in range(len(words))]


def sentence(rng: random.Random, pool: list[str]) -> str:
    """One of our sentences (a page quotes the network's texts), or, twice as often, words drawn by their
    frequency in French, so that two pages share what real pages share and not every sentence."""
    if rng.random() < 0.33:
        return rng.choice(pool)
    words, weights = vocabulary()
    return " ".join(rng.choices(words, weights, k=rng.randint(10, 25))).capitalize() + "."


def document(rng: random.Random, pool: list[str], i: int) -> str:
    commune = rng.choice(COMMUNES)
    title = f"{rng.choice(pool).split(',')[0].rstrip('.')[:70]} à {commune}"
    paragraphs = [f"Réseau des territoires solidaires — Accueil › Ressources › Fiche {i}", title,
                  f"Publié le {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2025)}"]
    for _ in range(rng.randint(4, 8)):
        paragraphs.append(" ".join(sentence(rng, pool) for _ in range(rng.randint(2, 4))))
    paragraphs.insert(4, f"À {commune}, {rng.randint(12, 4000)} personnes ont pris part au projet n° {i}.")
    paragraphs.append("Mentions légales · Plan du site · Contact")
    return "\n\n".join(paragraphs) + "\n"


def write_corpus(raw: Path, files: int, seed: int = 0, folders: int = 20) -> int:
    """`files` documents under `raw` in `folders` folders; returns the number of words written."""
    rng = random.Random(seed)
    pool = sentences()
    written: list[str] = []
    words = 0
    for i in range(files):
        if written and rng.random() < 0.02:
            text = rng.choice(written)
        elif written and rng.random() < 0.05:
            tokens = rng.choice(written).split(" ")
            tokens[rng.randrange(len(tokens))] = "territoire"
            text = " ".join(tokens)
        else:
            text = document(rng, pool, i)
        written.append(text)
        words += len(text.split())
        path = raw / f"site-{i % folders:02d}" / f"page-{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return words


def clean_texts(records_jsonl: Path) -> list[str]:
    """The texts a run wrote (what the bare model is timed on)."""
    import json

    return [json.loads(line)["text"] for line in records_jsonl.read_text("utf-8").splitlines()]
