"""Debian's Chromium driven by Playwright, and one tab that records what each page does.

Never `playwright install`: it downloads a browser build of its own, which this closed network
refuses. scripts/install_chromium.sh installs Debian's package instead.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from docs_support.chromium import CHROMIUM, CHROMIUM_ARGS

VIEWPORT = {"width": 1280, "height": 900}
LOCAL_HOST = "127.0.0.1"


def unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[e2e]')"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(
        str(CHROMIUM)
    ):
        return f"{CHROMIUM} is missing: run scripts/install_chromium.sh (apt-get install chromium)"
    return None


def launch(playwright):
    """Start Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class Visit:
    """What happened while one page was open: every problem a reader's browser would log."""

    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    @property
    def foreign_requests(self) -> list[str]:
        """Requests to any host but the local server (data: and blob: URLs load nothing)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).hostname != LOCAL_HOST
        ]

    def problems(self) -> list[str]:
        return [
            *(f"{self.url}: console error: {text}" for text in self.console_errors),
            *(f"{self.url}: script error: {text}" for text in self.page_errors),
            *(f"{self.url}: failed request: {text}" for text in self.failed_requests),
            *(f"{self.url}: request to another host: {url}" for url in self.foreign_requests),
        ]


class Tab:
    """One browser tab for the whole session; :meth:`open` loads a page and starts a new Visit.

    The tab's context records every request of every page, so that a test can assert that
    nothing, at any moment, left 127.0.0.1.
    """

    def __init__(self, context, base_url: str) -> None:
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.page = context.new_page()
        self.visit = Visit("")
        self.all_requests: list[str] = []
        self.in_flight: set = set()
        context.on("request", self._on_request)
        context.on("requestfinished", lambda request: self.in_flight.discard(request))
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.visit.page_errors.append(str(error)))
        self.page.on("requestfailed", self._on_failed)
        self.page.on("response", self._on_response)

    def _on_request(self, request) -> None:
        self.in_flight.add(request)
        self.all_requests.append(request.url)
        self.visit.requests.append(request.url)

    def _on_console(self, message) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            self.visit.console_errors.append(f"{message.text} ({location})")

    def _on_failed(self, request) -> None:
        self.in_flight.discard(request)
        self.visit.failed_requests.append(f"{request.url}: {request.failure}")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.visit.failed_requests.append(f"{response.url}: HTTP {response.status}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def path(self) -> str:
        """The path of the page now shown (``/es/02-optim/``)."""
        return urlsplit(self.page.url).path

    def open(self, path: str) -> Visit:
        """Load ``path`` and wait until it and its scripts settled; return its Visit."""
        self.visit = Visit(path)
        self.page.goto(self.url(path), wait_until="load")
        self.settle()
        return self.visit

    def settle(self, quiet_ms: int = 100, timeout_ms: int = 10_000) -> None:
        """Wait until no request has been in flight for ``quiet_ms`` (the search index and the
        sitemaps that Material fetches after the page loaded). Faster than Playwright's
        "networkidle", which always waits 500 ms."""
        quiet = waited = 0
        while quiet < quiet_ms:
            if waited > timeout_ms:
                raise TimeoutError(f"requests still in flight: {[r.url for r in self.in_flight]}")
            self.page.wait_for_timeout(25)
            waited += 25
            quiet = 0 if self.in_flight else quiet + 25

    def reveal(self, locator) -> None:
        """Make ``locator`` visible as a reader would: open its closed ``<details>`` and select
        the tab it sits in."""
        path = locator.evaluate(
            """element => {
                const steps = [];
                for (let node = element; node; node = node.parentElement) {
                    if (node.tagName === "DETAILS" && !node.open) steps.push(["details", node]);
                    if (node.classList && node.classList.contains("tabbed-block")) {
                        const blocks = [...node.parentElement.children];
                        steps.push(["tab", node, blocks.indexOf(node)]);
                    }
                }
                // Outermost first; mark each target so that Playwright clicks it for real.
                return steps.reverse().map(([kind, node, index], i) => {
                    const mark = "reveal-" + i;
                    if (kind === "details") {
                        node.querySelector(":scope > summary").setAttribute("data-e2e", mark);
                    } else {
                        const labels = node.closest(".tabbed-set")
                            .querySelector(":scope > .tabbed-labels");
                        labels.children[index].setAttribute("data-e2e", mark);
                    }
                    return mark;
                });
            }"""
        )
        for mark in path:
            target = self.page.locator(f'[data-e2e="{mark}"]')
            # A reader cannot click what is not shown (Playwright would click a hidden tab
            # label's radio button for them): the check that follows then fails.
            if target.is_visible():
                target.click()
            target.evaluate("element => element.removeAttribute('data-e2e')")

    def scheme(self) -> str:
        return self.page.evaluate("document.body.getAttribute('data-md-color-scheme')")

    def toggle_palette(self) -> str:
        """Click the visible light/dark toggle in the header; return the new colour scheme."""
        before = self.scheme()
        self.page.locator("form[data-md-component=palette] label:visible").click()
        self.page.wait_for_function(
            "before => document.body.getAttribute('data-md-color-scheme') !== before", arg=before
        )
        return self.scheme()

    def use_scheme(self, scheme: str) -> None:
        """Switch the palette to ``scheme`` (``default`` or ``slate``) with the toggle."""
        for _ in range(3):
            if self.scheme() == scheme:
                return
            self.toggle_palette()
        raise AssertionError(f"the palette toggle never reached {scheme!r}")
