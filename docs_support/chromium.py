"""Debian's Chromium, as the browser tests and the PDF of the book start it."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("MINIMODEL_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which
# this closed network refuses (the env notes); root needs --no-sandbox.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]
