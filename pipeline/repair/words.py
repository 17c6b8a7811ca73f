"""French OCR repair inside lines: damaged words, elisions, glued words, debris.

A correction is made only when the word is not protected (lexicon, acronym,
capital inside, proper noun in mid-sentence, number, URL, e-mail) and the
candidate from the confusion table is clearly more frequent in French.  Lines
that read as English are left alone.  Debris — tokens and lines that are not
language — is dropped by measurable signals: share of letters, share of
known words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..record import Edit
from .debris import URLISH, is_debris_token
from .lexicon import LETTERS, Lexicon, zipf

_SPLIT = re.compile(r"(\s+)")
_EDGES = re.compile(r"^([(\[\"«“‘'»]*)(.*?)([)\]\".,;:!?»”’…]*)$", re.S)
_NUMBERISH = re.compile(r"^[\d.,:/h€%°+\-–]+[a-zA-Z]{0,3}$")
_ELISION = re.compile(r"^([A-Za-z|]{1,6})(['’])(.+)$")  # the author's apostrophe, plain or typographic
_OPENING = re.compile(r"[«\"“(\[—–]+")  # opening marks alone: the sentence goes on after them
ENDS_SENTENCE = re.compile(r"[.!?…][»\"”)]?\s*$")  # a sentence's end, a closing mark after it allowed
_SINGLE_WORDS = {"a", "à", "y", "ô", "A", "À", "Y"}


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _protected(part: str, lexicon: Lexicon, sentence_start: bool) -> bool:
    if part in lexicon.protected or len(part) < 2 or not re.fullmatch(rf"[{LETTERS}¢&|]+", part):
        return True
    if part.isupper():
        return True  # acronym
    if any(ch.isupper() for ch in part[1:]):
        return True  # VivreS, RepèrESS
    if part[0].isupper() and not sentence_start:
        return True  # a proper noun in mid-sentence
    return False


@lru_cache(maxsize=200_000)
def _fix_part(part: str, lexicon: Lexicon, sentence_start: bool, known_too: bool = True) -> tuple[str, str | None]:
    """`known_too`: a word French knows ("coté", "précèdent") may be replaced by a far more common spelling
    too (what an OCR that lost an accent gives: "tres", "role"); else it stays as written."""
    if _protected(part, lexicon, sentence_start):
        return part, None
    lower = part.lower()
    if not known_too and lexicon.french(lower):
        return part, None
    best = lexicon.correction(lower)
    if best is None:
        return part, None
    fixed = best[0].upper() + best[1:] if part[0].isupper() else best
    if part[0].isupper() and fixed[1:] == part[1:]:
        return part, None  # only an accent on a capital: French usage allows it without (Evaluation)
    common = zipf(best.split()[0] if " " in best else best)
    if lexicon.french(lower):  # a word; replaced only in a text OCR damaged (see _debris_and_words)
        return fixed, (f"'{part}' is a word (zipf {zipf(lower):.2f}), but in a text damaged by OCR '{best}' is far "
                       f"more common ({common:.2f})")
    return fixed, f"'{part}' is rare in French (zipf {zipf(lower):.2f}); '{best}' is common ({common:.2f})"


def _fix_elision(core: str, lexicon: Lexicon, capital: bool = False) -> tuple[str, str | None]:
    """An elision OCR damaged ("I'objet", "quelgu'un"), mended; `capital`: the word starts a sentence or a
    paragraph, where the mended form takes a capital ("I'association a voté." -> "L'association …") as
    the OCR'd capital said; elsewhere it is lower case ("de I'objet" -> "de l'objet")."""
    m = _ELISION.match(core)
    if not m:
        return core, None
    prefix, mark, rest = m.group(1) + "'", m.group(2), m.group(3)
    if prefix == "I'" and re.match(r"(?:m|ll|ve|d|re|s)\b", rest):
        return core, None  # English quoted in a French line: "I'm", "I'll", "I've", "I'd"
    for wrong, right in lexicon.confusions:
        if not wrong.endswith("'") or not rest[:1].isalpha():
            continue
        if not rest[:1].islower() and not (prefix == wrong == "I'" and len(rest) >= 2):
            continue  # before a capital only "I'": no language writes "I'Ouest", "I'ESS" (l'Ouest, l'ESS)
        # a one-letter elision must be the whole prefix (I'objet); a longer one may end it (quelgu'un)
        if prefix == wrong or len(wrong) >= 3 and prefix.endswith(wrong):
            fixed = prefix[: len(prefix) - len(wrong)] + right
            if fixed.endswith("'"):
                fixed = fixed[:-1] + mark  # "I’objet" -> "l’objet": the author's apostrophe stays
            if capital and core[:1].isupper():
                fixed = fixed[:1].upper() + fixed[1:]
            return fixed + rest, f"'{wrong}' before a word is OCR for '{right}'"
    return core, None


def english_line(line: str) -> bool:
    """More words known only in English than only in French."""
    only_en = only_fr = 0
    for word in re.findall(rf"[{LETTERS}]{{3,}}", line.lower()):
        fr, en = zipf(word, "fr"), zipf(word, "en")
        if en >= 3.0 and fr < 3.0:
            only_en += 1
        elif fr >= 3.0 and en < 3.0:
            only_fr += 1
    return only_en > only_fr


def repair_words(line: str, lexicon: Lexicon, starts_sentence: bool = True, known_too: bool = True
                 ) -> tuple[str, list[Edit]]:
    """Fix damaged words and drop debris tokens in one line; `starts_sentence`: the line's first word starts
    a sentence or a paragraph (the line before is blank or ends one), so that a mended elision there takes
    its capital.  Each edit says where its text stands in the line (`at`) when that is certain.  `known_too`:
    see `_fix_part`."""
    if not line.strip():
        return line, []
    changes: list[Edit] = []
    fix_words = not english_line(line)
    out: list[str] = []
    sentence_start = True
    capital = starts_sentence
    start = 0  # where the piece stands in the line
    for piece in _SPLIT.split(line):
        start += len(piece)
        if not piece or piece.isspace():
            out.append(piece)
            continue
        new, edits = _repair_piece(piece, lexicon, fix_words, sentence_start, capital, known_too)
        for edit in edits:  # where each edit's text stands in the line, when the piece holds it once
            found = piece.find(edit.before)
            exact = found >= 0 and piece.find(edit.before, found + 1) < 0
            changes.append(replace(edit, at=start - len(piece) + found) if exact else edit)
        if new is None:
            continue
        out.append(new)
        sentence_start = bool(re.search(r"[.!?:]$", piece)) or piece in ("-", "•", "e")
        if not _OPENING.fullmatch(piece):  # an opening quote alone leaves the next word where the sentence is
            capital = bool(ENDS_SENTENCE.search(piece)) or piece in ("-", "•", "e")
    joined = "".join(out)
    if joined.strip() != line.strip() and not joined.strip():
        return "", changes
    return re.sub(r"[ \t]{2,}", " ", joined) if changes else line, changes


@lru_cache(maxsize=200_000)
def _repair_piece(piece: str, lexicon: Lexicon, fix_words: bool, sentence_start: bool,
                  capital: bool, known_too: bool = True) -> tuple[str | None, tuple[Edit, ...]]:
    """One whitespace-free piece of a line, repaired (None: dropped as debris), and the edits that say how.
    A pure function of the piece and where it stands, cached: the words of a text repeat."""
    if is_debris_token(piece):
        return None, (Edit("drop_debris_token", piece, "", reason="not language: odd symbols, few letters"),)
    changes: list[Edit] = []
    lead, core, trail = _EDGES.match(piece).groups()
    new_core = core
    if fix_words and core and not URLISH.search(core) and not any(ch.isdigit() for ch in core):
        new_core, why = _fix_elision(core, lexicon, capital and (not lead or bool(_OPENING.fullmatch(lead))))
        if why:
            changes.append(Edit("ocr_elision", core, new_core, reason=why))
        cut = max(new_core.rfind("'"), new_core.rfind("’"))
        head, sep, tail = (new_core[:cut], new_core[cut], new_core[cut + 1:]) if cut >= 0 else ("", "", new_core)
        parts = re.split(r"([-/])", tail)
        fixed_parts = []
        for i, part in enumerate(parts):
            if part in ("-", "/"):
                fixed_parts.append(part)
                continue
            fixed, why = _fix_part(part, lexicon, sentence_start and not head and i == 0, known_too)
            if why:
                changes.append(Edit("ocr_word", part, fixed, reason=why))
            fixed_parts.append(fixed)
        new_core = head + sep + "".join(fixed_parts)
    return lead + new_core + trail, tuple(changes)
