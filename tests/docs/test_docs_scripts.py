"""docs_support.scripts runs the scripts a page shows and compares two of them."""

import traceback

import pytest

from docs_support import blocks
from docs_support.scripts import (
    number_mismatches,
    run_shown,
    shown_code,
    shown_fence,
    without_imports,
)

PAGE = """# Page

=== "One"

    ```python title="one.py"
    import math

    radius = 2.0
    print(f"area {math.pi * radius**2:.3f}")
    ```

=== "Two"

    ```python title="broken.py"
    x = 1
    raise ValueError("broken script")
    ```

```python exec="on" session="s" title="executed.py"
y = 1
assert y == 1  # markdown-exec: hide
```
"""


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "docs" / "en" / "page.md"
    path.parent.mkdir(parents=True)
    path.write_text(PAGE, encoding="utf-8")
    yield blocks.start_page(path, tmp_path)
    blocks.end_page()


def test_a_shown_script_runs_alone_and_returns_its_output_and_globals(page):
    printed, script = run_shown("one.py")
    assert printed == "area 12.566\n"
    assert script.radius == 2.0 and script.__name__ == "__main__"


def test_a_failing_script_names_its_page_and_line(page):
    with pytest.raises(ValueError, match="broken script") as error:
        run_shown("broken.py")
    shown = "".join(traceback.format_exception(error.value))
    # The fence opens on line 14; its second line of code is line 16 of the page.
    assert 'File "docs/en/page.md", line 16, in <module>' in shown
    assert 'raise ValueError("broken script")' in shown  # the page's line is shown


def test_shown_code_is_what_the_reader_sees(page):
    assert shown_code("one.py").startswith("import math\n\nradius = 2.0\n")  # indent removed
    assert shown_code("executed.py") == "y = 1"  # hidden line removed
    assert shown_code("one.py", page.path) == shown_code("one.py")


def test_a_missing_or_ambiguous_title_is_an_error(page, tmp_path):
    with pytest.raises(LookupError, match=r"0 fences titled 'nothing\.py'"):
        shown_fence("nothing.py")
    twice = tmp_path / "twice.md"
    twice.write_text('```python title="a.py"\nx = 1\n```\n' * 2, encoding="utf-8")
    with pytest.raises(LookupError, match=r"2 fences titled 'a\.py'"):
        shown_fence("a.py", twice)


def test_without_imports_drops_whole_import_statements_only():
    code = (
        "import numpy as np\n"
        "from torch import (\n"
        "    nn,\n"
        "    optim,\n"
        ")\n"
        "x = np.ones(2)  # import nothing here\n"
        "def f():\n"
        "    import math\n"
        "    return math.pi\n"
    )
    assert without_imports(code) == (
        "x = np.ones(2)  # import nothing here\ndef f():\n    return math.pi"
    )


def test_scripts_that_differ_in_a_statement_differ_without_imports():
    one = "import minimodel as mm\nx = mm.ones(2)\n"
    assert without_imports(one) == without_imports(one.replace("minimodel", "torch"))
    assert without_imports(one) != without_imports(one.replace("ones", "zeros"))


def test_outputs_with_the_same_text_and_close_numbers_agree():
    assert number_mismatches("loss 0.685100, step 1\n", "loss 0.685104, step 1\n") == []
    assert number_mismatches("p 1.0000 -2.5e-03\n", "p 0.99995 -2.5e-3\n") == []


def test_outputs_that_differ_in_text_numbers_or_length_do_not_agree():
    assert number_mismatches("loss 0.68\n", "pérdida 0.68\n") == [
        "line 1: 'loss 0.68' vs 'pérdida 0.68'"
    ]
    assert number_mismatches("loss 0.685\n", "loss 0.686\n") == [
        "line 1: 'loss 0.685' vs 'loss 0.686'"
    ]
    assert number_mismatches("a 1\n", "a 1\nb 2\n") == ["1 lines printed vs 2"]
    # abs_tol is what lets numbers near zero agree.
    assert number_mismatches("x 0.00001\n", "x 0.00002\n") == []
    assert number_mismatches("x 0.00001\n", "x 0.00002\n", abs_tol=0) != []


def test_a_shown_script_runs_with_changes_and_keeps_its_line_numbers(page):
    printed, script = run_shown("one.py", {"radius = 2.0": "radius = 1.0"})
    assert printed == "area 3.142\n" and script.radius == 1.0
    with pytest.raises(ValueError, match="broken script") as error:
        run_shown("broken.py", {"x = 1": "x = 2"})
    assert 'File "docs/en/page.md", line 16, in <module>' in "".join(
        traceback.format_exception(error.value)
    )


@pytest.mark.parametrize(
    "changes",
    [{"radius = 3.0": "radius = 1.0"}, {"r": "s"}, {"radius = 2.0": "radius = 1.0\nx = 0"}],
    ids=["missing", "ambiguous", "several lines"],
)
def test_a_change_must_replace_one_occurrence_within_one_line(page, changes):
    with pytest.raises(ValueError, match="must replace text that occurs exactly once"):
        run_shown("one.py", changes)
