"""Material's search box looks at the pages of the reader's language only, and counts them."""

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


# The "N matching documents" line, and the text it must show for the results listed, one item
# per page (Material's own translations: "search.result.other" with # for the number...).
COUNT_LINE = """
() => {
    const count = [...document.querySelectorAll(".md-search-result__item")]
        .filter(item => item.checkVisibility()).length;
    const config = JSON.parse(document.getElementById("__config").textContent);
    const key = count === 0 ? "search.result.none" : count === 1 ? "search.result.one"
        : "search.result.other";
    return {
        shown: document.querySelector(".md-search-result__meta").textContent.trim(),
        expected: config.translations[key].replace("#", count),
        count: count,
    };
}
"""


def search(tab, query: str) -> list[str]:
    """Type ``query`` into the search box; return the paths of the results a reader sees, best
    first (all of them: the list is scrolled until Material renders no more)."""
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
    # Material renders ten results, then four more each time the end of the list comes into
    # view: scroll away and back to the end until the list has stopped growing for a while (a
    # busy machine renders a batch in more than 100 ms).
    items = tab.page.locator(".md-search-result__item")
    wrap = tab.page.locator(".md-search__scrollwrap")
    count, unchanged = items.count(), 0
    while unchanged < 5:
        wrap.evaluate("wrap => wrap.scrollTo(0, 0)")
        tab.page.wait_for_timeout(50)  # a frame for the observer to see the end leave the view
        wrap.evaluate("wrap => wrap.scrollTo(0, 1e9)")
        tab.page.wait_for_timeout(100)
        now = items.count()
        count, unchanged = now, (unchanged + 1 if now == count else 0)
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
    # Each language has its own index (split_search_index in docs_support/mkdocs_hooks.py).
    tab.open(site.prefixes[lang])
    found = search(tab, query)
    others = [path for path in found if site.language_of(path) != lang]
    assert found, f"no result for {query!r}"
    assert not others, f"searching {query!r} from {site.prefixes[lang]} also shows {others}"


# The class name and a word that every chapter of both languages uses.
COUNTED = [("es", "Parameter"), ("en", "Parameter"), ("es", "minimodel"), ("en", "minimodel")]


@pytest.mark.parametrize(("lang", "query"), COUNTED)
def test_the_count_of_matching_documents_is_the_number_of_results_listed(site, tab, lang, query):
    tab.open(site.prefixes[lang] + "02-optim/")
    found = search(tab, query)
    assert found, f"no result for {query!r}"
    line = tab.page.evaluate(COUNT_LINE)
    assert line["count"] == len(set(found))
    assert line["shown"] == line["expected"], (
        f"searching {query!r} from {site.prefixes[lang]}02-optim/ lists {line['count']} pages: "
        f"{sorted(set(found))}"
    )


def test_a_spanish_reader_finds_the_spanish_api_reference(site, tab):
    # The API reference's text is the same in both languages: mkdocs-static-i18n drops such
    # Spanish pages from its single index, and only the English ones could be found.
    tab.open(site.prefixes["es"])
    found = search(tab, "zero_grad")
    assert f"{site.prefixes['es']}reference/optim/" in found, found
