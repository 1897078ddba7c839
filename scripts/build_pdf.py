"""Print the built book to one PDF per language (docs_support/pdf.py), for the home pages' links.

    python scripts/build_pdf.py SITE [OUT]

SITE is a built site (``mkdocs build --strict``); the PDFs go to OUT, by default SITE/downloads,
and then each home page links its language's PDF.
Exits 1, saying why on stderr, when a page logged an error while loading, a code block, table or
plot is wider than the printed page, a chapter or section is missing from the PDF, or Chromium
is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docs_support import pdf, wheel  # noqa: E402 - after the checkout is on the path


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    site = Path(argv[0]).resolve()
    out = Path(argv[1]).resolve() if len(argv) == 2 else site / wheel.DOWNLOADS
    if not pdf.CHROMIUM.exists():
        print(f"{pdf.CHROMIUM} is missing: run scripts/install_chromium.sh", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    failed = False
    with sync_playwright() as playwright, pdf.served(site) as base_url:
        browser = playwright.chromium.launch(
            executable_path=str(pdf.CHROMIUM), args=pdf.CHROMIUM_ARGS
        )
        for lang in pdf.LANGS:
            problems = pdf.print_book(site, base_url, lang, out / pdf.pdf_name(lang), browser)
            for problem in problems:
                print(f"{lang}: {problem}", file=sys.stderr)
            failed = failed or bool(problems)
            if out == site / wheel.DOWNLOADS:  # the site's own copy: link it from the home page
                pdf.link_from_home(site, lang, wheel.DOWNLOADS)
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
