"""PyTorch blocks: code the page shows and the doc tests run, but the build does not.

Building the site never runs PyTorch, so that it builds where PyTorch is not installed: a block
that imports ``torch`` does not run at build time. Such a block is written

````markdown
```python torch="on" session="port" title="PyTorch"
import torch
...
```
````

- The build shows it as highlighted code, without output and without its lines marked
  ``# markdown-exec: hide`` (as for executed blocks); a block whose lines are all hidden shows
  nothing. This module is that half: a ``pymdownx.superfences`` custom fence, registered by
  :func:`register` from the book's hooks. Without it, superfences would print the fence as
  plain text, because it does not know the ``torch`` and ``session`` options.
- The doc tests (``conftest.py``) run it in its page's session, after the blocks above it, with
  the same globals, whenever ``torch`` is importable; without torch they skip it, and with
  ``MINIMODEL_REQUIRE_TORCH=1`` (``scripts/test.sh``) a missing torch fails instead.

Executed blocks must not use what a PyTorch block defines: the build never runs it.
"""

from __future__ import annotations

from typing import Any

from pymdownx.superfences import highlight_validator

from docs_support.fences import HIDE_MARKER, TORCH_OPTIONS

# Options for the doc tests, not for the highlighter; ``title`` labels the block on the page.
_CONSUMED = TORCH_OPTIONS - {"title"}


def validator(language: str, inputs: dict[str, str], options: dict, attrs: dict, md: Any) -> bool:
    """Accept ``python torch="on"`` fences (and not executed ones) for :func:`formatter`."""
    if inputs.get("torch") != "on" or "exec" in inputs:
        return False
    rest = {key: value for key, value in inputs.items() if key not in _CONSUMED}
    # The highlighter takes ``title``; any other option lands in ``attrs`` and the fence is
    # refused, as superfences refuses unknown options on any fence.
    return highlight_validator(language, rest, options, attrs, md)


def formatter(
    src: str, language: str, class_name: str, options: dict, md: Any, **kwargs: Any
) -> str:
    """Highlight the block as an ordinary Python fence, minus its hidden lines."""
    # markdown-exec's rule for executed blocks: drop every line holding the marker.
    shown = "\n".join(line for line in src.split("\n") if HIDE_MARKER not in line).strip()
    if not shown:
        return ""
    highlight = md.preprocessors["fenced_code_block"].highlight
    return highlight(src=shown, language=language, options=options, md=md, **kwargs)


def register(config: Any) -> None:
    """Add the PyTorch fence to the ``pymdownx.superfences`` configuration of a MkDocs config."""
    superfences = config["mdx_configs"].setdefault("pymdownx.superfences", {})
    fences = superfences.setdefault("custom_fences", [])
    if not any(fence.get("validator") is validator for fence in fences):
        fences.append(
            {"name": "python", "class": "python", "validator": validator, "format": formatter}
        )
