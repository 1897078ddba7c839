"""The language switcher keeps the reader on the same page."""

import pytest

pytestmark = pytest.mark.e2e


def switch(tab, lang: str) -> None:
    """Open the header's language menu and click ``lang``, as a reader does."""
    tab.page.locator(".md-header__option .md-select > button").hover()
    link = tab.page.locator(f'.md-select__list a.md-select__link[hreflang="{lang}"]')
    with tab.page.expect_navigation():
        link.click()
    tab.settle()


def test_the_switcher_leads_to_the_same_page_in_the_other_language_and_back(site, tab):
    # From every page of the first language to each other language and back: every page of
    # every language is passed through once.
    first, *others = site.languages
    problems = []
    for page in site.pages_in(first):
        for other in others:
            tab.open(page.url)
            switch(tab, other)
            there = site.counterpart(page, other)
            if tab.path() != there:
                problems.append(f"{page}: switching to {other} led to {tab.path()}, not {there}")
                continue
            switch(tab, first)
            if tab.path() != page.url:
                problems.append(f"{there}: switching back to {first} led to {tab.path()}")
    assert others, "the site has one language"
    assert not problems, "\n" + "\n".join(problems)
