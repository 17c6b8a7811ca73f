"""report.html: the analyst's view of a run, static files that open from disk, in the reader's language.

* `report.html`: the run at a glance (files by status, records, flagged files, duplicates merged, changes by
  what they did, the files to look at with their reasons), charts (inline SVG), and the records table with
  its filters (words, type, language, folder, theme, flagged; also from the address:
  `report.html?q=…&type=…`).  The page stays small whatever the corpus: its table holds the first
  `FIRST_ROWS` records; `records.js` beside it holds one compact row per record, which `report.js` filters
  and pages through.
* `names.html`: places, organisations and people, each with the records that name it.
* `pages/ID.html`: a record's own page: its fields in words, the clean text with entities highlighted,
  the extracted text with what was removed struck through, every change grouped by what it did (small
  rewrites word by word), and where else the same content was found.

Pages are rendered from Jinja2 templates (`templates/`) with autoescaping: a document holding `<script>`
shows it as text.  Their words come from the message catalogue (`words.py`, `locale/`), French by
default.  The pages are deterministic; only `run.js` (the stage times of the last run) differs between two
runs of the same input.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ...record import Record
from . import views
from .fragments import word_diff
from .search import write_index
from .views import FIRST_ROWS, LABEL_COLOURS, PAGES, Changes, count_changes, date_text, page_href
from .words import Words, translations

__all__ = ["FIRST_ROWS", "PAGES", "Changes", "count_changes", "date_text", "page_href", "render", "render_assets",
           "page_key", "render_names", "render_page", "run_js", "scans", "word_diff", "write_report"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = ("records.js", "report.js", "pager.js", "names.html", "names.js")  # written beside report.html
STAGE_NAMES = ("extract", "repair", "segment", "deduplicate", "classify", "resolve")


@lru_cache(maxsize=4)
def environment(language: str) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                                                                                        default_for_string=True),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.install_gettext_translations(translations(language), newstyle=True)
    env.globals.update(colours=LABEL_COLOURS, words=Words(language))
    return env


def write_report(out: Path, records: list[Record], manifest: dict[str, Any], changed: Changes,
                 language: str = "fr") -> None:
    """report.html, the files beside it (`ASSETS`) and its search index (`search/`, from out/corpus.sqlite),
    into `out`; the records are put in order and made rows once for all of them."""
    words = Words(language)
    ordered = views.in_order(records)
    rows = views.record_rows(ordered, changed[1], words)
    (out / "report.html").write_text(_index_page(ordered, rows, manifest, changed, words), "utf-8")
    for name, content in _assets(ordered, rows, language).items():
        (out / name).write_text(content, "utf-8")
    write_index(out / "corpus.sqlite", out, {r.id: i for i, r in enumerate(ordered)})


def render(records: list[Record], manifest: dict[str, Any], changed: Changes | None = None,
           language: str = "fr") -> str:
    """The index page.  `records` may be headers (outputs.header: no text, no changes) when `changed` counts
    their changes."""
    words = Words(language)
    changed = changed or count_changes(records)
    ordered = views.in_order(records)
    return _index_page(ordered, views.record_rows(ordered, changed[1], words), manifest, changed, words)


def render_assets(records: list[Record], manifest: dict[str, Any], changed: Changes,
                  language: str = "fr") -> dict[str, str]:
    """The files beside report.html: records.js (every row of the table), report.js (its script), names.html."""
    ordered = views.in_order(records)
    return _assets(ordered, views.record_rows(ordered, changed[1], Words(language)), language)


def _index_page(ordered: list[Record], rows: list[dict[str, Any]], manifest: dict[str, Any], changed: Changes,
                words: Words) -> str:
    stage_words = {"stage": words("stage"), "calculated": words("calculated"), "cached": words("cached"),
                   "seconds": words("seconds"), "run": words("run in %(seconds)s s", seconds="{seconds}"),
                   "decimal": words.number(0.5, 1)[1],
                   "stages": {s: words.code("stage", s) for s in STAGE_NAMES}}
    return environment(words.language).get_template("report.html").render(
        summary=manifest["summary"], pages=PAGES,
        counts={k: words.number(int(manifest["summary"][k])) for k in ("files", "records")},
        overview=views.overview(manifest, ordered, changed, words),
        charts=views.charts(ordered, words), filters=views.filters(ordered, words), rows=rows[:FIRST_ROWS],
        total=len(rows), page_size=FIRST_ROWS, stage_words=stage_words)


def _assets(ordered: list[Record], rows: list[dict[str, Any]], language: str) -> dict[str, str]:
    compact = [[r["href"], r["title"], r["path"], r["type"], r["type_words"], r["lang"], r["folder"],
                1 if r["flagged"] else 0, r["themes"], r["entities"], r["duplicates"], r["changes"], r["names"],
                r["lang_words"]] for r in rows]
    data = json.dumps(compact, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    words = Words(language)
    entries = views.names_index(ordered, words)
    names = json.dumps(views.names_data(entries), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return {"records.js": f"window.GLANEUR_RECORDS = {data};\n",
            "report.js": (TEMPLATES / "report.js").read_text("utf-8"),
            "pager.js": (TEMPLATES / "pager.js").read_text("utf-8"),
            "names.html": render_names(ordered, language, entries),
            "names.js": f"window.GLANEUR_NAMES = {names};\n" + (TEMPLATES / "names.js").read_text("utf-8")}


def render_names(records: list[Record], language: str = "fr", entries: list[dict[str, Any]] | None = None) -> str:
    """names.html: the index of names, the most named first, searchable and paged by names.js."""
    words = Words(language)
    entries = views.names_index(records, words) if entries is None else entries
    return environment(language).get_template("names.html").render(index=views.names_page(records, entries, words))


def render_page(r: Record, pictures: list[int] | None = None, language: str = "fr",
                shown: list[dict[str, Any]] | None = None) -> str:
    """A record's own page (`pages/ID.html`); `pictures`: the pages of its source shown (`ID-pN.png`, a
    thumbnail, linked to `ID-pN.jpg`, the page at full size, beside it); `shown`: its changes replayed
    (`pieces`), when the caller has them."""
    return environment(language).get_template("page.html").render(record=views.record_page(r, Words(language),
                                                                                           pictures or [], shown))


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Hash of glaneur's code, templates and catalogues, and of the libraries that render pages and scans:
    a page is a function of its record, the config and these (any change to them renders every page
    again)."""
    import hashlib
    from importlib.metadata import version

    package = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for library in ("jinja2", "markupsafe", "babel", "pillow", "pypdfium2"):
        digest.update(f"{library} {version(library)}\0".encode())
    for path in sorted(p for p in package.rglob("*") if p.suffix in {".py", ".html", ".js", ".po"} and p.is_file()):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def page_key(*parts: str, language: str = "fr") -> str:
    """What a record's page (and its scans) is made from: `parts` (the run's config fingerprint and the
    record whole: its records.jsonl line, its changes, its extracted text and flags), the language and
    glaneur's code.  Two runs giving a record the same key give its page the same bytes."""
    import hashlib

    digest = hashlib.sha256(f"{_code_digest()}\0{language}".encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


MAX_SCAN_PAGES = 20  # pages of a scanned source shown on its record's page (a courtesy, bounded per record)
FULL_WIDTH = 2400  # the page at full size: the scan's own pixels up to this width (a 2,339 px A4 at 200 dpi stays whole)


def scans(data: bytes, fmt: str, pages: list[int], width: int = 480) -> list[tuple[int, bytes, bytes]]:
    """For each page of `pages` (1-based) of an OCR'd source (an image, or a scanned PDF), at most
    MAX_SCAN_PAGES: (page, a PNG thumbnail `width` wide, the page at full size as JPEG); [] when they cannot
    be made (a picture is a courtesy: never a reason for the run to fail)."""
    import io

    from PIL import Image, ImageSequence

    def encode(image: Any) -> tuple[bytes, bytes]:
        image = image.convert("L")
        full = image.copy()
        full.thumbnail((FULL_WIDTH, FULL_WIDTH * 4))
        small = image.copy()
        small.thumbnail((width, width * 4))
        a, b = io.BytesIO(), io.BytesIO()
        small.save(a, format="PNG", optimize=False)
        full.save(b, format="JPEG", quality=85)
        return a.getvalue(), b.getvalue()

    out = []
    try:
        if fmt == "pdf":
            import pypdfium2

            pdf = pypdfium2.PdfDocument(data)
            try:
                for number in pages[:MAX_SCAN_PAGES]:
                    page = pdf[number - 1]
                    out.append((number, *encode(page.render(scale=min(FULL_WIDTH / page.get_size()[0], 200 / 72)).to_pil())))
            finally:
                pdf.close()
        else:
            Image.MAX_IMAGE_PIXELS = None  # the file was read under [extract] max_pixels already
            frames = ImageSequence.Iterator(Image.open(io.BytesIO(data)))
            for number, frame in enumerate(frames, start=1):
                if number in pages[:MAX_SCAN_PAGES]:
                    out.append((number, *encode(frame)))
        return out
    except Exception:
        return []


def run_js(stats: list[Any], seconds: float) -> str:
    data = {"seconds": round(seconds, 3), "stages": [
        {"name": s.name, "computed": s.computed, "cached": s.cached, "seconds": round(s.seconds, 3)} for s in stats]}
    return f"window.GLANEUR_RUN = {json.dumps(data)};\n"
