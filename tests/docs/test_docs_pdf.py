"""scripts/build_pdf.py prints each language's book with every chapter title, without errors."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from site_helpers import ROOT

from docs_support import pdf

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("playwright")
if not pdf.CHROMIUM.exists():
    pytest.skip(
        f"{pdf.CHROMIUM} is missing: run scripts/install_chromium.sh", allow_module_level=True
    )


@pytest.fixture(scope="module")
def printed(first_build, tmp_path_factory):
    # A copy: the script links the PDF from the home pages, and the build tests read the original.
    site = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(first_build.dir, site)
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_pdf.py"), str(site)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return run, site


def test_the_script_reports_no_error(printed):
    run, _ = printed
    assert (run.returncode, run.stderr) == (0, "")


@pytest.mark.parametrize("lang", pdf.LANGS)
def test_the_pdf_has_every_chapter_title_in_its_outline_and_text(printed, lang):
    _, site = printed
    path = site / "downloads" / pdf.pdf_name(lang)
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    outline = pdf.outline_titles(path)
    titles = [
        path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
        for path in sorted((ROOT / "docs" / lang).glob("[0-9][0-9]-*.md"))
    ]
    missing = [title for title in titles if title not in outline]
    assert titles and not missing, f"not in the outline: {missing}; it holds {outline}"
    assert all(title in text for title in titles)
    # No block failed (chapter 04 prints anomaly detection's "Traceback of forward call").
    assert "Traceback (most recent call last)" not in text
    # Under each chapter, its sections: as many as the pages have second-level headings.
    sections = sum(
        line.startswith("## ")
        for path in (ROOT / "docs" / lang).glob("[0-9][0-9]-*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
    )
    assert len(outline) == len(titles) + sections


@pytest.mark.parametrize("lang", pdf.LANGS)
def test_links_between_chapters_lead_inside_the_pdf(printed, lang):
    _, site = printed
    reader = pypdf.PdfReader(site / "downloads" / pdf.pdf_name(lang))
    places = set(reader.named_destinations)
    inside, outside = [], []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A") or {}
            if "/Dest" in annotation:
                inside.append(str(annotation["/Dest"]))
            elif "/URI" in action:
                outside.append(str(action["/URI"]))
    assert inside and set(inside) <= {name.removeprefix("/") for name in places} | places
    # A chapter's link to another chapter (01-parameter-and-module/#...) no longer leaves it.
    assert not [uri for uri in outside if "127.0.0.1" in uri and "/0" in uri.split("/", 3)[-1]]


@pytest.mark.parametrize("lang", pdf.LANGS)
def test_each_home_page_links_its_pdf(printed, lang):
    _, site = printed
    home = (site / pdf.LANGS[lang] / "index.html").read_text(encoding="utf-8")
    assert f'{pdf.pdf_name(lang)}" download>' in home
    assert pdf.PDF_MARKER not in home
