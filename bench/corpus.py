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


RESOURCE_TYPES = ("Ressources du réseau", "Publications", "Actualités", "Fiches expériences")
OCR_SLIPS = (("l'", "I'"), ("quelques", "quelgues"), ("ça", "¢a"), ("objet", "obiet"), ("jour", "iour"))


def _bullets(rng: random.Random, pool: list[str]) -> str:
    mark = rng.choice(("•", "●", "▪", "-"))
    return "\n".join(f"{mark} {sentence(rng, pool)[:rng.randint(30, 90)].rstrip()}" for _ in range(rng.randint(2, 5)))


def dump(rng: random.Random, pool: list[str], i: int) -> str:
    """Several scraped pages one after another, as a site export gives them: a site header and cookie line,
    then for each page a title, a date line, a body (paragraphs, a list), a metadata block ("Type de
    ressource … Résumé") and a summary that repeats the body, sometimes with one sentence more."""
    parts = ["Réseau des territoires solidaires", "Ce site utilise des cookies. Accepter Refuser"]
    for k in range(rng.randint(2, 4)):
        commune = rng.choice(COMMUNES)
        title = f"{rng.choice(pool).split(',')[0].rstrip('.')[:60]} à {commune}"
        body = [" ".join(sentence(rng, pool) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 4))]
        body.insert(rng.randint(0, len(body)), f"À {commune}, {rng.randint(12, 4000)} personnes, projet n° {i}-{k}.")
        if rng.random() < 0.5:
            body.insert(rng.randint(0, len(body)), _bullets(rng, pool))
        summary = list(body)
        if rng.random() < 0.3:
            summary[-1] += " " + sentence(rng, pool)
        parts += [title, f"Publié le {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2025)}", *body,
                  f"Type de ressource\n{rng.choice(RESOURCE_TYPES)}\nRessource privée\n{rng.choice(('Oui', 'Non'))}\nRésumé",
                  *summary[:rng.randint(1, len(summary))]]
    parts.append("Mentions légales · Plan du site · Contact")
    return "\n\n".join(parts) + "\n"


def scanned(rng: random.Random, pool: list[str], i: int) -> str:
    """A text as OCR gives it: lines wrapped at about 60 characters, words cut by a hyphen at a line end,
    a few OCR slips, a page number, debris lines, blanks doubled."""
    paragraphs = []
    for _ in range(rng.randint(2, 5)):
        words = " ".join(sentence(rng, pool) for _ in range(rng.randint(2, 4))).split()
        lines, line = [], ""
        for word in words:
            if len(line) + len(word) > 60:
                lines.append(line)
                line = ""
            line = f"{line}  {word}" if line and rng.random() < 0.03 else f"{line} {word}".strip()
        lines.append(line)
        text = "\n".join(lines)
        for right, wrong in OCR_SLIPS:
            if rng.random() < 0.3:
                text = text.replace(right, wrong, 1)
        paragraphs.append(text)
    if rng.random() < 0.5:
        paragraphs.insert(rng.randint(0, len(paragraphs)), "~ ~~ | ¦ ■ ■")
    paragraphs.append(f"- {rng.randint(1, 40)} -")
    return "\n\n".join(paragraphs) + "\n"


KINDS = {"page": document, "dump": dump, "scanned": scanned}


def write_corpus(raw: Path, files: int, seed: int = 0, folders: int = 20, kinds: tuple[str, ...] = ("page",)) -> int:
    """`files` documents under `raw` in `folders` folders, of the `kinds` of `KINDS` in turn (the scale
    benchmarks use pages alone, so their figures stay comparable); returns the number of words written."""
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
            text = KINDS[kinds[i % len(kinds)]](rng, pool, i)
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
