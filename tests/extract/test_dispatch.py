"""Which files are read how, and the reasons given for those that cannot be read."""

import pytest

from conftest import RAW, TRUTH, extract_path, write_config
from pipeline.config import load
from pipeline.extract import RawFile, Unreadable, detect_format, extract_file


@pytest.mark.parametrize("name, fmt", [
    ("a.TXT", "txt"), ("a.md", "md"), ("a.htm", "html"), ("a.HTML", "html"), ("a.pdf", "pdf"),
    ("a.png", "image"), ("a.jpeg", "image"), ("a.tif", "image"), ("a.docx", "docx"), ("a.doc", None),
    ("sans-extension", None),
])
def test_formats_by_extension(name, fmt):
    assert detect_format(name) == fmt


def test_cp1252_sample_decoded(config):
    record = extract_path(RAW / "archives" / "lettre-info-2019.txt", config)
    assert record.source.encoding == "cp1252"
    assert record.text.rstrip("\n") == (TRUTH / "lettre-info-2019.txt").read_text("utf-8").rstrip("\n")


def test_markdown_sample_loses_markers_not_words(config):
    record = extract_path(RAW / "notes" / "atelier-monnaies-locales.md", config)
    assert "**" not in record.text and "](" not in record.text and "# " not in record.text
    assert "Les monnaies locales circulent" in record.text
    assert any(c.operation == "markdown_link" and c.after == "guide du réseau" for c in record.changes)


@pytest.mark.parametrize("name, data, reason", [
    ("notes.doc", b"\xd0\xcf\x11\xe0", "unknown extension '.doc'"),
    ("LISEZMOI", b"texte", "unknown extension '(none)'"),
    ("vide.txt", b"", "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary content"),
    ("photo.jpg", b"\xff\xd8\xff\xe0 tronque", "corrupt or unsupported image"),
])
def test_unreadable_files_have_reasons(config, name, data, reason):
    with pytest.raises(Unreadable, match=reason.replace("(", r"\(").replace(")", r"\)")):
        extract_file(RawFile(name, data), config)


def test_too_large_file(tmp_path):
    path = write_config(tmp_path, "[extract]\nmax_file_mb = 0.001\n")
    with pytest.raises(Unreadable, match="larger than max_file_mb"):
        extract_file(RawFile("gros.txt", b"a" * 5000), load(path))


def test_span_covers_the_whole_text(config):
    record = extract_path(RAW / "archives" / "lettre-info-2019.txt", config)
    assert record.source.span == [0, len(record.text)]
