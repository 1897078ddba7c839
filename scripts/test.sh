#!/usr/bin/env bash
# The project's single test command (README, .ci/run): lint, strict site build, unit and doc tests.
# Every step runs even if an earlier one failed; the exit status is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

# torch only for the parity tests: this exact version lies on the machine's disk (pip finds it);
# any other version would download gigabytes.
ensure_venv "test,docs,e2e" "torch==2.13.0" || exit 1
# Debian's Chromium for the browser tests (tests/e2e); does nothing once installed.
bash scripts/install_chromium.sh

export NO_MKDOCS_2_WARNING=1 MINIMODEL_REQUIRE_TORCH=1
# In CI the browser tests must run: without Chromium they fail instead of skipping.
if [ "${CI:-}" = true ]; then export MINIMODEL_REQUIRE_E2E=1; fi
failed=()

echo "== ruff check"
"$VENV/bin/ruff" check . || failed+=("ruff check")
echo "== ruff format --check"
"$VENV/bin/ruff" format --check . || failed+=("ruff format")
# The package ships py.typed: its own annotations must type-check (pyproject's [tool.mypy]).
echo "== mypy"
"$VENV/bin/mypy" || failed+=("mypy")

# Strict and never -q: `mkdocs build -q --strict` exits 0 when a block raises.
echo "== mkdocs build --strict"
# This build and the doc tests are the only two runs of the book's blocks: tests/docs and the
# browser tests reuse this site (MINIMODEL_SITE_DIR) and the outputs it recorded
# (docs_support/record.py), the doc tests must print exactly what it recorded, and a chapter's
# doc tests are its notebook's run (docs_support/notebook_run.py). Every run of a page is
# logged, and counted after the tests (docs_support/executions.py).
export MINIMODEL_BOOK_EXECUTION_LOG="$PWD/.cache/book-executions.log"
mkdir -p .cache && rm -f "$MINIMODEL_BOOK_EXECUTION_LOG"
if "$VENV/bin/mkdocs" build --strict; then
    export MINIMODEL_SITE_DIR="$PWD/site" MINIMODEL_REQUIRE_BOOK_RECORD=1
else
    failed+=("mkdocs build --strict")
fi

if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED so far: ${failed[*]} (running the tests anyway)"
fi
# The browser tests mostly wait on Chromium: they run in a second process beside the others (the
# machine has 2 cores), reading the same built site; their report follows the others'.
mkdir -p .cache
echo "== pytest tests/e2e (in the background)"
"$VENV/bin/python" -m pytest --durations=10 tests/e2e > .cache/e2e-tests.log 2>&1 &
e2e_tests=$!
echo "== pytest tests docs"
# Doc tests depend on page order: no -k, no xdist, no random order.
"$VENV/bin/python" -m pytest --durations=15 --ignore=tests/e2e tests docs || failed+=("pytest")
echo "== pytest tests/e2e (its report)"
wait "$e2e_tests" || failed+=("pytest tests/e2e")
cat .cache/e2e-tests.log

echo "== runs of each page of the book (at most 2: the build and the doc tests)"
"$VENV/bin/python" -m docs_support.executions "$MINIMODEL_BOOK_EXECUTION_LOG" ||
    failed+=("book executed more than twice")

# The offline PDF of each language, printed into the built site and linked from its home page
# (Debian's Chromium). After the tests, which compare this build with rebuilds that print none;
# tests/docs/test_docs_pdf.py runs the same script on a build of its own.
if [ -n "${MINIMODEL_SITE_DIR:-}" ]; then
    echo "== scripts/build_pdf.py"
    "$VENV/bin/python" scripts/build_pdf.py site || failed+=("scripts/build_pdf.py")
fi

if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
