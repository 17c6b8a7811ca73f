"""Extraction under limits from config, and inputs that used to be misread: each quarantined with a
reason or read right, never a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest

from conftest import needs_tesseract
from pipeline.extract import RawFile, Unreadable, extract_file, has_visible_text
from pipeline.extract.pdf import _usable


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _text_image(mode: str = "L"):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1400, 220), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=48)
    draw.text((40, 40), "Le réseau des territoires", fill=0, font=font)
    draw.text((40, 120), "accompagne les projets locaux", fill=0, font=font)
    return image


@needs_tesseract
def test_a_16_bit_grayscale_scan_is_read_not_clipped_white(config):
    import numpy as np
    from PIL import Image

    eight = np.asarray(_text_image(), dtype=np.uint16)
    values = (eight * 257 // 4 + 30000).astype("<u2")  # far above 255: Pillow's convert("L") clipped them white
    sixteen = Image.frombytes("I;16", (values.shape[1], values.shape[0]), values.tobytes())
    record = extract_file(RawFile("scan16.png", _png(sixteen)), config)
    assert "territoires" in record.text and "projets locaux" in record.text


def test_an_image_larger_than_max_pixels_is_refused_before_it_is_decoded(config):
    from PIL import Image

    data = _png(Image.new("1", (12000, 12000), 1))  # 144 Mpx of white: a few KB of PNG
    small = config.sections["extract"] | {"max_pixels": 100_000_000}
    with pytest.raises(Unreadable, match="max_pixels"):
        extract_file(RawFile("grand.png", data), type(config)({**config.sections, "extract": small}, config.path))


def test_a_docx_member_past_the_limit_is_refused_before_it_is_unzipped(config):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (120 * 1024 * 1024))
    with pytest.raises(Unreadable, match="max_docx_member_mb=100"):
        extract_file(RawFile("bombe.docx", buffer.getvalue()), config)


@pytest.mark.parametrize("text", ["\u200b\u200c\u200d\ufeff", "\u00ad\u2060\n\u200b", " \t\u00a0\u3000\n"])
def test_invisible_only_text_is_quarantined(config, text):
    assert not has_visible_text(text)
    with pytest.raises(Unreadable, match="no text"):
        extract_file(RawFile("invisible.txt", text.encode("utf-8")), config)


def test_text_longer_than_max_text_chars_is_quarantined_with_the_number(config):
    small = config.sections["extract"] | {"max_text_chars": 5000}
    cfg = type(config)({**config.sections, "extract": small}, config.path)
    with pytest.raises(Unreadable, match="max_text_chars=5000"):
        extract_file(RawFile("long.txt", ("mot " * 3000).encode()), cfg)


@pytest.mark.parametrize("layer, usable", [
    ("Le réseau des collectivités accompagne les projets locaux de la région.", True),
    ("r(cid:1)seau (cid:12)(cid:13)(cid:14) de(cid:3) (cid:5)(cid:6)(cid:7)(cid:8) collectivit(cid:9)s (cid:10)(cid:11)", False),
    ("\x01\x02\x03\x04\x05 \x06\x07\x08 abcdefghijklmnopqrstuvwxyz \x0e\x0f\x10\x11\x12\x13\x14\x15\x16", False),
    ("¤¶§ ÷×ØÞ ¤¶§¤ ¶§÷× ØÞ¤¶ §÷×Ø Þ¤¶§ ÷×ØÞ abcdefghijklmnopqrstuvwxyz", False),
    ("هذه فقرة باللغة العربية عن الاقتصاد الاجتماعي", True),
])
def test_a_garbage_text_layer_is_not_taken_as_text(layer, usable):
    assert _usable(layer, 25) is usable
