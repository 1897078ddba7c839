#!/usr/bin/env bash
# Read the book live at http://127.0.0.1:8000/ (Spanish under /es/). Edits to docs/, minimodel/
# and docs_support/ rebuild the site; only the blocks of saved pages run again, or every block
# after an edit to minimodel/ or docs_support/ (docs_support/record.py). Extra arguments go to
# `mkdocs serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv "docs"
export NO_MKDOCS_2_WARNING=1
exec "$VENV/bin/mkdocs" serve "$@"
