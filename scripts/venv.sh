# Sourced by scripts/test.sh and scripts/serve.sh: `ensure_venv EXTRAS [PIP ARGS...]` creates .venv
# if needed and installs the project in editable mode with EXTRAS (e.g. "test,docs") plus any
# extra requirements. It reinstalls only when pyproject.toml or the request changed, so a second
# run costs nothing. Reset with `rm -rf .venv`.

VENV="${VENV:-.venv}"

ensure_venv() {
    local extras="$1"
    shift
    if [ ! -x "$VENV/bin/python" ]; then
        "${PYTHON:-python3}" -m venv "$VENV"
    fi
    local stamp
    stamp="$VENV/.installed-$( (cat pyproject.toml; echo "$extras $*") | sha256sum | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        echo "Installing .[$extras] $* into $VENV ..."
        "$VENV/bin/python" -m pip install --quiet -e ".[$extras]" "$@"
        touch "$stamp"
    fi
}
