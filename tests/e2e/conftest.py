"""Fixtures of the browser tests: one strict build, one local server, one Chromium tab.

- The site is built once per session with ``mkdocs build --strict`` into a temporary folder, or
  copied from ``MINIMODEL_SITE_DIR`` (scripts/test.sh builds once and passes its folder).
- It is served on 127.0.0.1, on a free port, by a threaded ``http.server`` in this process;
  a missing path gets the site's 404 page, as on a static host.
- Debian's Chromium (scripts/install_chromium.sh) is driven by Playwright. Without it the tests
  skip, saying why, unless ``MINIMODEL_REQUIRE_E2E=1`` (set by .ci/run): then they fail.

Run them alone with ``pytest -m e2e``; leave them out with ``-m "not e2e"``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from site_helpers import ROOT, build

from e2e import browser
from e2e.outputs import recorded_outputs
from e2e.site_map import Site

SCREENSHOTS = ROOT / "screenshots"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: the site tested in headless Chromium (needs Debian's chromium)"
    )


def unavailable(reason: str) -> None:
    """Skip with ``reason``; fail instead when the browser tests are required."""
    if os.environ.get("MINIMODEL_REQUIRE_E2E") == "1":
        pytest.fail(f"MINIMODEL_REQUIRE_E2E=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("MINIMODEL_SITE_DIR")
    if given:
        if not (Path(given) / "index.html").is_file():
            pytest.fail(f"MINIMODEL_SITE_DIR={given} holds no built site", pytrace=False)
        # A copy: another build into the same folder during the run cannot pull pages away.
        root = tmp_path_factory.mktemp("site") / "site"
        shutil.copytree(given, root)
        return root
    if importlib.util.find_spec("mkdocs") is None:
        unavailable("mkdocs is not installed (pip install -e '.[docs]')")
    root = tmp_path_factory.mktemp("site")
    done = build(ROOT, root)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stdout}{done.stderr}", pytrace=False)
    return root


@pytest.fixture(scope="session")
def site(site_root: Path) -> Site:
    from docs_support.checks import load_mkdocs_config

    return Site(site_root, load_mkdocs_config(ROOT / "mkdocs.yml")["site_url"])


class _StaticHost(SimpleHTTPRequestHandler):
    """Serves the site; a missing file gets the nearest ``404.html`` up its path (``es/404.html``
    for ``/es/...``) with status 404, as hosts that serve a 404 page per folder do."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        root = Path(self.directory)
        folder = (root / self.path.split("?")[0].lstrip("/")).parent
        folders = [folder, *folder.parents]
        page = next((f / "404.html" for f in folders if (f / "404.html").is_file()), root)
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def base_url(site_root: Path):
    handler = functools.partial(_StaticHost, directory=str(site_root))
    server = ThreadingHTTPServer((browser.LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{browser.LOCAL_HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def chromium():
    reason = browser.unavailable_reason()
    if reason:
        unavailable(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            launched = browser.launch(playwright)
        except Exception as error:  # a broken install says why here
            unavailable(f"Chromium did not start: {error}")
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def session_tab(chromium, base_url: str) -> browser.Tab:
    context = chromium.new_context(
        viewport=browser.VIEWPORT,
        permissions=["clipboard-read", "clipboard-write"],
        reduced_motion="reduce",
    )
    yield browser.Tab(context, base_url)
    context.close()


@pytest.fixture
def tab(session_tab: browser.Tab) -> browser.Tab:
    """The session's tab; after the test, nothing it did may have left 127.0.0.1."""
    start = len(session_tab.all_requests)
    yield session_tab
    foreign = [
        url for url in session_tab.all_requests[start:] if browser.Visit("", [url]).foreign_requests
    ]
    # Forget the palette and anything else a test stored, so that tests stay independent.
    if session_tab.page.url.startswith(session_tab.base_url):
        session_tab.page.evaluate("localStorage.clear()")
    assert not foreign, "requests to other hosts than 127.0.0.1:\n" + "\n".join(foreign)


@pytest.fixture(scope="session")
def block_outputs(site_root: Path):
    # The build of site_root recorded them (scripts/test.sh's, or the one made above).
    return recorded_outputs()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """screenshots/, emptied of the last run's pictures (a renamed page leaves none behind)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in [*SCREENSHOTS.glob("*.jpg"), *SCREENSHOTS.glob("*.png")]:
        old.unlink()
    return SCREENSHOTS


@pytest.fixture(scope="session")
def axe():
    """axe-core, as axe-playwright-python bundles it: injected into a page by ``axe.run(page)``,
    nothing downloaded."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        unavailable("axe-playwright-python is not installed (pip install -e '.[e2e]')")
    return Axe()
