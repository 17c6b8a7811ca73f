"""Word documents: headings, paragraphs, list items and tables in order."""

import pytest

from conftest import RAW, TRUTH, extract_path
from pipeline.extract import RawFile, Unreadable, extract_file


def test_docx_text_equals_truth(config):
    record = extract_path(RAW / "fiches" / "fiche-action-mobilite.docx", config)
    assert record.text == (TRUTH / "fiche-action-mobilite.txt").read_text("utf-8").rstrip("\n")
    assert record.source.extraction == "text" and record.source.format == "docx"


def test_corrupt_docx_is_refused(config):
    with pytest.raises(Unreadable, match="corrupt .docx"):
        extract_file(RawFile("x.docx", b"PK\x03\x04 not really a zip"), config)
