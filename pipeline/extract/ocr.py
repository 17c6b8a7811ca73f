"""OCR with Tesseract, and reading order recovered from word boxes.

Tesseract's own text output reads a two-column poster line by line across
both columns when the lines of the columns are aligned (see
../shared/seeds/002_*.txt).  We take its word boxes instead
(`image_to_data`) and order them ourselves with a recursive X-Y cut:

* a region with a vertical white gutter running through all of it (wider
  than `column_gap` x the median word height) is split into columns, read
  left to right;
* otherwise the region is cut into horizontal bands at its white rows; runs
  of consecutive bands that share a gutter are grouped (they are the lines of
  a multi-column part), a band without a gutter (a title, a footer) stands
  alone; each group is ordered recursively;
* a region with neither is a block of text: words are clustered into lines
  by their vertical centre and read left to right, and a gap between lines
  larger than `paragraph_gap` x the median line height starts a paragraph.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from .errors import Unreadable


@dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def words_from_data(data: dict[str, list[Any]]) -> list[Word]:
    """Tesseract's `image_to_data` dict to Word boxes (empty entries dropped)."""
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        left, top = int(data["left"][i]), int(data["top"][i])
        words.append(Word(text, left, top, left + int(data["width"][i]),
                          top + int(data["height"][i]), conf))
    return words


def drop_specks(words: list[Word]) -> list[Word]:
    """Drop boxes far smaller than the text that hold no letter or digit (dust, not words)."""
    if not words:
        return words
    unit = statistics.median(w.height for w in words)
    return [w for w in words if w.height >= 0.35 * unit or any(ch.isalnum() for ch in w.text)]


def _gaps(intervals: list[tuple[int, int]], min_width: float) -> list[tuple[int, int]]:
    """White intervals between covered intervals, at least `min_width` wide."""
    intervals = sorted(intervals)
    gaps = []
    reach = intervals[0][1]
    for start, end in intervals[1:]:
        if start - reach >= min_width and start > reach:
            gaps.append((reach, start))
        reach = max(reach, end)
    return gaps


def _split_columns(words: list[Word], gap: float) -> list[list[Word]]:
    cuts = _gaps([(w.left, w.right) for w in words], gap)
    if not cuts:
        return [words]
    columns: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
    for w in words:
        index = sum(1 for _, end in cuts if w.left >= end)
        columns[index].append(w)
    return [c for c in columns if c]


def _bands(words: list[Word]) -> list[list[Word]]:
    """Horizontal bands separated by white rows, top to bottom."""
    ordered = sorted(words, key=lambda w: (w.top, w.left))
    bands: list[list[Word]] = []
    reach = None
    for w in ordered:
        if reach is None or w.top > reach:
            bands.append([w])
            reach = w.bottom
        else:
            bands[-1].append(w)
            reach = max(reach, w.bottom)
    return bands


def _has_gutter(words: list[Word], gap: float) -> bool:
    return bool(_gaps([(w.left, w.right) for w in words], gap))


def _lines(words: list[Word], unit: float) -> list[list[Word]]:
    """Cluster words into lines by vertical centre, each line left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.middle, w.left)):
        if lines and abs(w.middle - statistics.fmean(x.middle for x in lines[-1])) < unit / 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.left) for line in lines]


def order_words(words: list[Word], column_gap: float = 1.5, paragraph_gap: float = 0.9) -> list[list[list[Word]]]:
    """Words in reading order, as paragraphs of lines of words."""
    if not words:
        return []
    unit = statistics.median(w.height for w in words) or 1
    gap = column_gap * unit
    paragraphs: list[list[list[Word]]] = []

    def block(region: list[Word]) -> None:
        lines = _lines(region, unit)
        current: list[list[Word]] = []
        previous_bottom = None
        for line in lines:
            top = min(w.top for w in line)
            if previous_bottom is not None and top - previous_bottom > paragraph_gap * unit:
                paragraphs.append(current)
                current = []
            current.append(line)
            previous_bottom = max(w.bottom for w in line)
        if current:
            paragraphs.append(current)

    def region(region_words: list[Word], depth: int = 0) -> None:
        columns = _split_columns(region_words, gap)
        if len(columns) > 1 and depth < 12:
            for column in columns:
                region(column, depth + 1)
            return
        # Consecutive bands stay in one group while they share a white gutter:
        # the lines of a multi-column part, including a last line that only one
        # column has.  A band that bridges the gutter (a title) starts a new group.
        groups: list[list[Word]] = []
        for band in _bands(region_words):
            if groups and _has_gutter(groups[-1] + band, gap):
                groups[-1].extend(band)
            else:
                groups.append(list(band))
        if len(groups) == 1 or depth >= 12:
            block(region_words)
            return
        # Consecutive gutter-free bands are one block of text (a paragraph).
        pending: list[Word] = []
        for g in groups:
            if _has_gutter(g, gap):
                if pending:
                    block(pending)
                    pending = []
                region(g, depth + 1)
            else:
                pending.extend(g)
        if pending:
            block(pending)

    region(words)
    return paragraphs


def layout_text(paragraphs: list[list[list[Word]]]) -> str:
    return "\n\n".join("\n".join(" ".join(w.text for w in line) for line in para) for para in paragraphs)


def grayscale(image: Any) -> Any:
    """8-bit grayscale for Tesseract.  A 16- or 32-bit image is rescaled from its own range: Pillow's
    `convert("L")` clips values above 255, which turns a 16-bit scan white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.convert("F") if image.mode != "F" else image
        low, high = image.getextrema()
        if high <= low:
            return image.convert("L")
        scale = 255.0 / (high - low)
        return image.point(lambda v: (v - low) * scale).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        from PIL import Image

        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("L")  # transparent is paper, not black
    return image.convert("L")


def ocr_image(image: Any, cfg: dict[str, Any]) -> tuple[str, float | None]:
    """OCR one PIL image; return (text in reading order, mean word confidence)."""
    import pytesseract

    try:
        data = pytesseract.image_to_data(
            grayscale(image),
            lang=cfg["ocr_language"],
            config=f"--psm {cfg['ocr_psm']} --dpi {cfg['ocr_dpi']}",
            output_type=pytesseract.Output.DICT,
        )
    except pytesseract.TesseractNotFoundError:
        raise Unreadable("needs OCR but Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-fra)") from None
    except pytesseract.TesseractError as exc:
        raise Unreadable(f"Tesseract failed: {exc.message.strip().splitlines()[-1] if exc.message else exc}") from None
    words = drop_specks([w for w in words_from_data(data) if w.conf >= cfg["ocr_min_confidence"]])
    confidence = round(statistics.fmean(w.conf for w in words), 2) if words else None
    text = layout_text(order_words(words, cfg["column_gap"], cfg["paragraph_gap"]))
    return text, confidence
