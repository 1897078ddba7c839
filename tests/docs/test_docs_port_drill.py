"""Chapter 04's promise: its minimodel and PyTorch scripts differ in their imports only.

The page checks this in hidden asserts too (at build time and in the doc tests); this test reads
the pages directly, so it holds even for a script a block forgets to check.
"""

import pytest
from site_helpers import DOCS

from docs_support.checks import LANGUAGES
from docs_support.scripts import shown_code, without_imports

PAIRS = [
    ("tense_mlp_minimodel.py", "tense_mlp_torch.py"),  # the tabs
    ("drill_minimodel.py", "drill_torch.py"),  # exercise 1, the drill, and its solution
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("minimodel_script", "torch_script"), PAIRS)
def test_the_minimodel_and_pytorch_scripts_differ_only_in_their_imports(
    language, minimodel_script, torch_script
):
    page = DOCS / language / "04-port-drill.md"
    ours, theirs = shown_code(minimodel_script, page), shown_code(torch_script, page)
    assert without_imports(ours) == without_imports(theirs)
    changed = [line for line in ours.splitlines() if line not in theirs.splitlines()]
    assert changed and all(
        line.startswith(("import minimodel", "from minimodel")) for line in changed
    )
