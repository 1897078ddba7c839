"""Material's search box finds pages of the reader's language first."""

import pytest

pytestmark = pytest.mark.e2e


# What the result list shows now, or None while Material has neither results nor "no result".
SEARCH_STATE = """
() => {
    const config = JSON.parse(document.getElementById("__config").textContent);
    const meta = document.querySelector(".md-search-result__meta");
    const items = document.querySelector(".md-search-result__list");
    const noneText = config.translations["search.result.none"];
    const none = meta !== null && meta.textContent.trim() === noneText;
    return items.children.length > 0 || none ? meta.textContent + items.innerHTML : null;
}
"""


def search(tab, query: str) -> list[str]:
    """Type ``query`` into the search box; return the paths of the results a reader sees, best
    first."""
    tab.page.locator(
        "label.md-header__button[for=__search]:visible, .md-search__input"
    ).first.click()
    tab.page.locator("input.md-search__input").press_sequentially(query, delay=20)
    # Material searches after each key: wait until the list stops changing.
    shown, stable = None, 0
    for _ in range(200):
        tab.page.wait_for_timeout(50)
        now = tab.page.evaluate(SEARCH_STATE)
        stable = stable + 1 if now is not None and now == shown else 0
        shown = now
        if stable == 4:
            break
    else:
        raise AssertionError(f"search results for {query!r} never settled")
    results = tab.page.locator(".md-search-result__item > a.md-search-result__link:visible")
    return [
        tab.page.evaluate("href => new URL(href, location.href).pathname", href)
        for href in results.evaluate_all("links => links.map(link => link.href)")
    ]


# A word of each language, and the class name `Parameter`, which the Spanish pages use too.
QUERIES = [("es", "parámetro"), ("en", "parameter"), ("es", "Parameter")]


@pytest.mark.parametrize(("lang", "query"), QUERIES)
def test_a_query_from_a_page_ranks_a_page_of_its_language_first(site, tab, lang, query):
    tab.open(site.prefixes[lang])
    found = search(tab, query)
    assert found, f"no result for {query!r}"
    assert site.language_of(found[0]) == lang, (
        f"searching {query!r} from {site.prefixes[lang]} ranks {found[0]} first: {found}"
    )


@pytest.mark.parametrize(("lang", "query"), QUERIES)
def test_search_shows_only_pages_of_the_readers_language(site, tab, lang, query):
    # One index serves every language (mkdocs-static-i18n); overrides/main.html hides the
    # results in other languages.
    tab.open(site.prefixes[lang])
    found = search(tab, query)
    others = [path for path in found if site.language_of(path) != lang]
    assert found, f"no result for {query!r}"
    assert not others, f"searching {query!r} from {site.prefixes[lang]} also shows {others}"
