"""Repair stage: text that reads as its author wrote it, every change explained.

The stage is `Repair` (pipeline/stage.py's protocol).  It sees the whole corpus so
that it can learn the site chrome that repeats at the top or bottom of many
documents of one folder; every other fix is a pure function of one text:

1. encoding (ftfy, explained) and Unicode form, line by line;
2. typography: apostrophes, quotes, French spacing (typography.py);
3. page furniture of paged documents, then site chrome (chrome.py);
4. debris lines, then damaged words, elisions, glued words and debris tokens
   (words.py, driven by config/ocr_confusions.tsv, lexicon.txt and wordfreq);
5. columns an OCR read straight across, read one after another (columns.py);
6. list markers, hyphenation at line ends, lines broken inside a sentence
   (layout.py);
7. blanks: runs of spaces, blank lines.

The steps are repeated until the text no longer changes (at most four
rounds), so repair is idempotent by construction.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from ..config import Config
from ..record import Change, Edit, Record
from ..text.replay import place
from ..stage import Settings, run_with
from .chrome import ChromePatterns, EdgeCounts, add_edges, chrome_lines, count_edges, drop_chrome, drop_page_furniture
from .columns import Reader, read_columns, reader_from
from .layout import join_lines, list_markers
from .lexicon import Lexicon
from .typography import fix_typography
from ..text.language import LazyLanguages
from .debris import is_debris_line
from .numbers import fix_digits
from .words import ENDS_SENTENCE, repair_words
from ..versions import VERSIONS

NAME = "repair"

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]{2,}|\t")


@dataclass(frozen=True)
class Context:
    cfg: dict[str, Any]
    lexicon: Lexicon
    chrome: ChromePatterns
    columns: Reader | None = None
    learned: frozenset[str] = frozenset()


def context(config: Config, learned: frozenset[str] = frozenset()) -> Context:
    """Repair's word lists and patterns, for repairing one text outside a run (`glaneur repair`)."""
    return _context(config.settings(NAME), learned)


def _context(settings: Settings, learned: frozenset[str] = frozenset()) -> Context:
    return Context(dict(settings), Lexicon.load(settings.base_dir, settings),
                   ChromePatterns.load(settings.data_file(settings["chrome_file"])),
                   reader_from(settings) if settings["columns"] else None, learned)


def fix_encoding(line: str) -> tuple[str, str | None]:
    """ftfy on one line; returns (fixed, explanation or None when unchanged)."""
    import ftfy

    fixed, explanation = ftfy.fix_and_explain(
        line, normalization=None, uncurl_quotes=False, fix_line_breaks=False,
        fix_latin_ligatures=True, fix_character_width=False, remove_control_chars=True,
        explain=True,
    )
    if fixed == line:
        return line, None
    steps = ", ".join(step if not param else f"{step}({param})" for step, param in explanation or [])
    return fixed, steps or "ftfy"


def collapse_spaces(line: str) -> str:
    """Runs of blanks inside a line become one space (a no-break space is kept if the run had one)."""
    return _SPACES.sub(lambda match: _one_blank(match.group(0)), line).strip(" \t")


def _one_blank(run: str) -> str:
    """What a run of blanks becomes: its first no-break space if it held one (the author's, narrow or not:
    "mot \u202f;" keeps its narrow one), the blank it repeats if it is made of one typographic blank (two
    thin spaces: one), else a space."""
    for ch in run:
        if ch in "\u00a0\u202f":
            return ch
    return run[0] if len(set(run)) == 1 and run[0] not in " \t" else " "


@dataclass
class Seen:
    """What one text's rounds of repair already worked out, by the line or the run of lines given: a later
    round gives most of them again unchanged (the last round only to find that nothing changes), and each
    step is a pure function of what it is given.  Made per text and dropped after it, so memory follows one
    text, not the corpus."""

    encoding: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    words: dict[tuple[str, bool, bool], tuple[str, list[Edit]]] = field(default_factory=dict)
    debris: dict[str, bool] = field(default_factory=dict)
    columns: dict[tuple[str, ...], list[list[str]] | None] = field(default_factory=dict)
    damage: int = 0  # the OCR repairs made so far (see _debris_and_words)


def _encoding(text: str, cfg: dict[str, Any], seen: Seen | None = None) -> tuple[str, list[Edit]]:
    """ftfy, line by line."""
    changes: list[Edit] = []
    out = []
    known = seen.encoding if seen is not None else {}
    for line in text.split("\n"):
        if line not in known:
            known[line] = fix_encoding(line)
        fixed, why = known[line]
        if why:
            changes.append(Edit("fix_encoding", line, fixed, reason=why))
        out.append(fixed)
    return "\n".join(out), changes


def _unicode_form(text: str, cfg: dict[str, Any]) -> tuple[str, list[Edit]]:
    form = cfg["unicode_form"]
    normal = unicodedata.normalize(form, text)
    if normal == text:
        return text, []
    changes = [Edit(f"unicode_{form.lower()}", line, new, reason="canonical Unicode form")
               for line, new in zip(text.split("\n"), normal.split("\n")) if line != new]
    return normal, changes


class _FrenchLines:
    """For each line, whether it sits in a French passage (paragraphs are judged one by one, and only when
    a line of theirs has a word to mend): French word repair runs there only; a passage in another language
    keeps its words as written."""

    def __init__(self, text: str, cfg: dict[str, Any]):
        lines = text.split("\n")
        self.every = not cfg["french_only"]
        self.span = [-1] * len(lines)  # each line's paragraph
        spans, start = [], 0
        for i, line in enumerate(lines + [""]):
            if not line.strip():
                if i > start:
                    self.span[start:i] = [len(spans)] * (i - start)
                    spans.append((start, i))
                start = i + 1
        self.languages = LazyLanguages(["\n".join(lines[a:b]) for a, b in spans], cfg["language_seed"],
                                       cfg["language_min_chars"], default="fr")

    def __getitem__(self, i: int) -> bool:
        return self.every or (self.span[i] >= 0 and self.languages[self.span[i]] == "fr")


def _debris_and_words(text: str, ctx: Context, seen: Seen | None = None) -> tuple[str, list[Edit]]:
    """Debris lines dropped, digits and damaged words mended, in French passages.  A word French knows
    ("coté", "précèdent", "tres") is replaced by a far more common spelling only in a text where OCR damage
    shows elsewhere ([repair] known_word_min_damage other repairs): an OCR that lost an accent writes "tres"
    and "role", an author who wrote "coté" or "précèdent" meant it."""
    seen = seen if seen is not None else Seen()
    out, changes = _words_pass(text, ctx, seen, known_too=True)
    known = [_is_known_word_fix(e, ctx.lexicon) for e in changes]
    seen.damage += sum(1 for e, k in zip(changes, known) if not k and _is_damage(e))
    if any(known) and seen.damage < ctx.cfg["known_word_min_damage"]:  # (counted over the text's rounds)
        out, changes = _words_pass(text, ctx, seen, known_too=False)
    return out, changes


_DAMAGE = frozenset({"ocr_word", "ocr_elision", "drop_debris_token", "ocr_digits"})  # what OCR leaves


def _is_damage(edit: Edit) -> bool:
    """A repair that shows OCR damage: a word split off a glued one is not ("nationau" -> "nation au" is a
    title cut short as often as an OCR slip)."""
    return edit.operation in _DAMAGE and not (edit.operation == "ocr_word" and " " in edit.after)


def _is_known_word_fix(edit: Edit, lexicon: Lexicon) -> bool:
    return edit.operation == "ocr_word" and lexicon.french(edit.before)


def _words_pass(text: str, ctx: Context, seen: Seen, known_too: bool) -> tuple[str, list[Edit]]:
    cfg = ctx.cfg
    changes: list[Edit] = []
    out = []
    french: _FrenchLines | None = None  # judged only when some line has a word to repair: most have none
    previous = ""  # the last line kept: a line after a blank one, or after a sentence's end, starts a sentence
    offset = 0  # where the line stands in the text: each edit says where its text is (`place` needs no search)
    for i, line in enumerate(text.split("\n")):
        at, offset = offset, offset + len(line) + 1
        if cfg["debris"] and line not in seen.debris:
            seen.debris[line] = is_debris_line(line, cfg["debris_min_tokens"], cfg["debris_min_words"])
        if cfg["debris"] and seen.debris[line]:
            changes.append(Edit("drop_debris_line", line, "", at=at,
                                reason="not language in any script: symbols, junk tokens and loose letters"))
            continue
        if cfg["ocr_digits"]:
            line, found = fix_digits(line)
            changes += found
        if cfg["ocr_words"]:
            key = (line, not previous.strip() or bool(ENDS_SENTENCE.search(previous)), known_too)
            if key not in seen.words:
                seen.words[key] = repair_words(line, ctx.lexicon, key[1], known_too)
            new, found = seen.words[key]
            if found:
                french = french if french is not None else _FrenchLines(text, cfg)
                if french[i]:
                    # (digits put back one for one leave the words where they stood: each place is checked)
                    changes += [replace(e, at=at + e.at) if e.at is not None and text.startswith(e.before, at + e.at)
                                else replace(e, at=None) for e in found]
                    if not new.strip():
                        continue
                    line = new
        out.append(line)
        previous = line
    return "\n".join(out), changes


def _blanks(text: str, cfg: dict[str, Any]) -> tuple[str, list[Edit]]:
    changes: list[Edit] = []
    lines = []
    at = 0  # where the line starts in the text
    for line in text.split("\n"):
        collapsed = collapse_spaces(line) if cfg["collapse_spaces"] else line.rstrip()
        if collapsed != line.strip(" \t"):  # trimming line ends alone is layout, not a change
            changes += _inner_runs(line, at)
        lines.append(collapsed)
        at += len(line) + 1
    joined = "\n".join(lines)
    limit = "\n" * (cfg["max_blank_lines"] + 1)
    return re.sub(r"\n{%d,}" % (cfg["max_blank_lines"] + 2), limit, joined).strip("\n"), changes


def _inner_runs(line: str, at: int) -> list[Edit]:
    """One change per run of blanks that collapse_spaces makes one: the run itself, where it stands (`at`:
    the line's place in the text), not the whole line rewritten.  Blanks at the line's ends that go are
    layout (trim_blanks); a no-break space left there is this change's."""
    edits = []
    for match in _SPACES.finditer(line):
        run, one = match.group(0), _one_blank(match.group(0))
        if match.start() == 0:  # what the line's trimming leaves of it (a no-break space stays)
            one = one.lstrip(" \t")
        if match.end() == len(line):
            one = one.rstrip(" \t")
        if one and run != one:  # nothing left: layout, trim_blanks
            edits.append(Edit("collapse_spaces", run, one, reason="runs of blanks inside a line", at=at + match.start()))
    return edits


_FORM_FEED = re.compile(r"\n?\f\n?")


def _page_breaks(text: str) -> tuple[str, list[Edit]]:
    return _FORM_FEED.sub("\n\n", text), []


def _round(text: str, ctx: Context, seen: Seen) -> tuple[str, list[Edit]]:
    """One round of the steps; each step's edits are placed against what it was given (`place`), and a
    difference it did not explain is filed under its own operation and reason."""
    cfg = ctx.cfg
    changes: list[Edit] = []

    def step(fix: Any, operation: str, reason: str, *args: Any) -> None:
        nonlocal text
        new, edits = fix(text, *args)
        if new != text:
            changes.extend(place(text, new, edits, Edit(operation, "", "", reason)))
        text = new

    if cfg["ftfy"]:
        step(_encoding, "fix_encoding", "ftfy", cfg, seen)
    step(_unicode_form, f"unicode_{cfg['unicode_form'].lower()}", "canonical Unicode form", cfg)
    step(fix_typography, "typography", "a mark standing for an apostrophe", cfg["apostrophe"])
    if cfg["page_furniture"]:
        step(drop_page_furniture, "drop_page_furniture", "running header or footer (repeats on the pages)",
             cfg["furniture_min_share"])
    step(_page_breaks, "page_break", "a page break: a blank line between the pages' text")
    step(drop_chrome, "drop_chrome", "site chrome", ctx.chrome, ctx.learned)
    step(_debris_and_words, "collapse_spaces", "blanks left where a token was dropped", ctx, seen)
    if ctx.columns is not None:
        step(read_columns, "columns_read_apart", "columns read straight across: read one after another", ctx.columns,
             seen.columns)
    if cfg["layout"]:
        step(list_markers, "list_marker", "one list item marker: '- '")
        step(join_lines, "join_lines", "line broken inside a sentence", ctx.lexicon)
    step(_blanks, "trim_blanks", "blank lines and blanks at line ends: layout, not text", cfg)
    return text, changes


def repair_text(text: str, ctx: Context) -> tuple[str, list[Edit]]:
    """Repair one text; returns the repaired text and every change made."""
    changes: list[Edit] = []
    seen = Seen()
    for _ in range(4):
        new, found = _round(text, ctx, seen)
        changes += found
        if new == text:
            break
        text = new
    return text, changes


def folder(path: str) -> str:
    return str(PurePosixPath(path).parent)


class Repair:
    """The repair stage: corpus scope, since site chrome is learned from the edges of a folder's documents;
    a map-reduce (edge lines counted per record, the chrome decided once, every text repaired per
    partition and cached per record under the chrome it was repaired with)."""

    name = NAME
    version = VERSIONS[NAME]
    scope = "corpus"
    splits = False
    apply_scope = "partition"

    def setup(self, settings: Settings) -> None:
        self.settings = settings
        self.context = _context(settings)

    def learn(self, records: list[Record]) -> list[EdgeCounts]:
        """Per record (cached): the lines at the edges of its text, counted under its folder."""
        if not self.settings["chrome_auto"]:
            return [{} for _ in records]
        edge = self.settings["chrome_auto_edge_lines"]
        return [count_edges({folder(r.source.path): [r.text.replace("\f", "\n")]}, edge) for r in records]

    def decide(self, learned: list[EdgeCounts]) -> frozenset[str]:
        """The site chrome: edge lines of enough of one folder's documents."""
        cfg = self.settings
        if not cfg["chrome_auto"]:
            return frozenset()
        return chrome_lines(add_edges(learned), cfg["chrome_auto_min_docs"], cfg["chrome_auto_min_share"])

    def decision_key(self, learned: frozenset[str]) -> str:
        return json.dumps(sorted(learned), ensure_ascii=False)

    def apply(self, records: list[Record], learned: frozenset[str]) -> list[Record]:
        ctx = replace(self.context, learned=learned)
        out = []
        for record in records:
            text, edits = repair_text(record.text, ctx)
            out.append(record.with_changes(*Change.stamp(edits, NAME, record.source.path), text=text))
        return out

    def run(self, records: list[Record]) -> list[Record]:
        return self.apply(records, self.decide(self.learn(records)))


def run(records: list[Record], config: Config) -> list[Record]:
    """The stage on `records` with `config`'s [repair] section (for tests and one-off use)."""
    return run_with(Repair(), records, config)
