"""Screenshots of the home page and every chapter, both languages, both palettes, for a person
to look at (the API reference pages are left out: long, and generated).

Written to screenshots/ (git-ignored) as <lang>-<page>-<light|dark>.jpg, whole pages: JPEG
because Chromium encodes a 15,000-pixel-tall page as PNG in about 3 s, as JPEG in about 1 s.
"""

import pytest

pytestmark = pytest.mark.e2e


def test_screenshot_every_chapter_in_both_palettes(site, tab, screenshots):
    written = []
    for page in (page for page in site.pages if page.is_home or page.is_chapter):
        tab.open(page.url)
        for scheme in ("default", "slate"):
            tab.use_scheme(scheme)
            path = screenshots / f"{page.slug}-{'light' if scheme == 'default' else 'dark'}.jpg"
            tab.page.screenshot(path=path, full_page=True, type="jpeg", quality=85)
            written.append(path)
        tab.use_scheme("default")
    assert all(path.stat().st_size > 0 for path in written)
