"""Griffe extension: read minimodel's PyTorch-style docstrings as the API reference needs them.

minimodel's docstrings follow torch/nn/modules/module.py, which are written for Sphinx:
``:class:`~minimodel.Tensor``` roles and literal blocks introduced by ``::``. Markdown shows
both verbatim, so before mkdocstrings renders a docstring this extension turns

- a role into inline code with the name as Sphinx would show it (``~`` keeps the last part):
  plain code, not a link, so a role naming something the site does not document (a PyTorch
  function) cannot break the strict build;
- ``Example::`` into the Google-style ``Examples:`` section, whose ``>>>`` lines are rendered
  as highlighted examples, and any other trailing ``::`` into ``:`` (the indented block after
  it is already a code block in Markdown).

The docstrings themselves stay as PyTorch writes them.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|mod|obj|data|exc|const):`(~?)([^`]+)`")
_LITERAL_INTRO = re.compile(r"::[ \t]*$", re.MULTILINE)
# PyTorch writes `Example::` and a blank line; Google style wants `Examples:` right above them.
_EXAMPLE = re.compile(r"^([ \t]*)Examples?::[ \t]*\n(?:[ \t]*\n)+", re.MULTILINE)


def _role(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def convert(text: str) -> str:
    """Rewrite Sphinx roles and ``::`` literal introductions of a docstring for Markdown."""
    text = _EXAMPLE.sub(r"\1Examples:\n", _ROLE.sub(_role, text))
    return _LITERAL_INTRO.sub(":", text)


class SphinxToMarkdown(griffe.Extension):
    """Apply :func:`convert` to every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value)
