"""The PDF's outline is written from the places the printed pages name, so a chapter that was
not printed is an error, never a shorter outline (docs_support/pdf.py)."""

from __future__ import annotations

import pytest

from docs_support import pdf

pypdf = pytest.importorskip("pypdf")


def test_a_chapter_the_pdf_has_no_place_for_is_reported(tmp_path):
    path = tmp_path / "book.pdf"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    writer.add_named_destination("chapter-0", 1)
    writer.write(path)
    missing = pdf.write_outline(
        path, [("00 · Motivation", "chapter-0", [("The data", "c0-the-data")])]
    )
    assert missing == ["'The data' (#c0-the-data) is not in book.pdf"]
    assert pdf.outline_titles(path) == ["00 · Motivation"]
    [chapter] = pypdf.PdfReader(path).outline
    assert pypdf.PdfReader(path).get_destination_page_number(chapter) == 1
