#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/e2e), if it is not there yet.
#
# Idempotent: does nothing when /usr/bin/chromium exists. Needs root (CI and the dev machines run
# as root) and Debian's package archive. Never use `playwright install`: it downloads a browser
# build of its own, which this closed network refuses.
#
# Exits 0 even when the install fails, so the rest of the test command still runs: the e2e tests
# then skip with a message, or fail when MINIMODEL_REQUIRE_E2E=1.
set -u

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "install_chromium: not root or no apt-get; the browser tests will skip" >&2
    exit 0
fi

echo "install_chromium: installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
if apt-get update -q >&2 && apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >&2; then
    "$CHROMIUM" --version >&2 || true
else
    echo "install_chromium: apt-get failed; the browser tests will skip" >&2
fi
exit 0
