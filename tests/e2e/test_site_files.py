"""The built site as files: its pages in every language, its links, its 404 page."""

import re

import pytest

pytestmark = pytest.mark.e2e


def test_every_language_has_a_home_page_and_a_chapter(site):
    assert site.languages, "the home page names no hreflang alternates"
    for lang in site.languages:
        pages = site.pages_in(lang)
        assert any(page.is_home for page in pages), f"no home page in {lang}"
        assert any(page.is_chapter for page in pages), f"no chapter in {lang}: {pages}"


def test_every_page_exists_in_every_language(site):
    by_language = {lang: {page.rel for page in site.pages_in(lang)} for lang in site.languages}
    everywhere = set.intersection(*by_language.values())
    missing = [
        f"{site.counterpart(page, other)} (the {other} version of {page})"
        for page in site.pages
        for other in site.languages
        if page.rel not in everywhere and page.rel not in by_language[other]
    ]
    assert not missing, "pages missing:\n" + "\n".join(missing)


def test_every_internal_link_and_anchor_resolves(site):
    problems = site.broken_links()
    assert not problems, "\n" + "\n".join(problems)


def test_the_404_page_exists_and_speaks_every_language(site):
    page = site.root / "404.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    for lang in site.languages:
        assert f'lang="{lang}"' in text or f'hreflang="{lang}"' in text, f"404 page has no {lang}"


def test_every_home_page_links_the_wheel_of_this_checkout(site, tmp_path):
    from docs_support.wheel import build_wheel

    expected = build_wheel(tmp_path).read_bytes()
    for lang in site.languages:
        home = next(page for page in site.pages_in(lang) if page.is_home)
        links = re.findall(r'<a href="([^"]+\.whl)" download>', home.file.read_text("utf-8"))
        assert len(links) == 1, f"{home}: {links}"
        target = home.file.parent / links[0]
        assert target.resolve().read_bytes() == expected, f"{home} links another wheel"
