#!/usr/bin/env bash
# The project's single test command (README, .ci/run): lint, strict site build, unit and doc tests.
# Every step runs even if an earlier one failed; the exit status is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

# torch only for the parity tests: this exact version lies on the machine's disk (pip finds it);
# any other version would download gigabytes.
ensure_venv "test,docs" "torch==2.13.0" || exit 1

export NO_MKDOCS_2_WARNING=1 MINIMODEL_REQUIRE_TORCH=1
failed=()

echo "== ruff check"
"$VENV/bin/ruff" check . || failed+=("ruff check")
echo "== ruff format --check"
"$VENV/bin/ruff" format --check . || failed+=("ruff format")

# Strict and never -q: `mkdocs build -q --strict` exits 0 when a block raises.
echo "== mkdocs build --strict"
"$VENV/bin/mkdocs" build --strict || failed+=("mkdocs build --strict")

if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED so far: ${failed[*]} (running the tests anyway)"
fi
echo "== pytest tests docs"
# Doc tests depend on page order: no -k, no xdist, no random order.
"$VENV/bin/python" -m pytest tests docs || failed+=("pytest")

if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
