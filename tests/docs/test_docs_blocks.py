"""docs_support.blocks runs a page's blocks as markdown-exec does at build time."""

import sys
import types

import pytest

from docs_support import blocks


@pytest.fixture
def page(tmp_path):
    """Start a page written by the test; end it afterwards, as the doc tests do."""

    def start(text: str, name: str = "docs/en/page.md") -> blocks.Page:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return blocks.start_page(path, tmp_path)

    yield start
    blocks.end_page()


def fence(code: str, session: str = "") -> str:
    options = f' session="{session}"' if session else ""
    return f'```python exec="on"{options}\n{code}\n```\n\n'


def test_blocks_of_a_session_share_their_globals_and_printed_output_is_returned(page):
    started = page(fence("x = 20", "s") + fence("print(x + 1)", "s"))
    assert [started.run(f) for f in started.fences] == ["", "21\n"]


def test_a_block_without_session_runs_alone(page):
    started = page(fence("x = 20") + fence("print('x' in globals())"))
    assert [started.run(f) for f in started.fences] == ["", "False\n"]


def test_print_behaves_as_in_markdown_exec(page):
    # markdown-exec's print ignores sep and file: pages see the same output in both runs.
    started = page(fence("import sys\nprint(1, 2, sep='-', file=sys.stderr)"))
    assert started.run(started.fences[0]) == "1 2\n"


def test_a_new_page_does_not_see_the_sessions_of_the_previous_one(page):
    first = page(fence("x = 20", "s"), "docs/en/a.md")
    first.run(first.fences[0])
    second = page(fence("print('x' in globals())", "s"), "docs/es/a.md")
    assert second.run(second.fences[0]) == "False\n"


def test_a_failing_block_names_its_page_and_line(page):
    started = page("# Title\n\n" + fence("x = 1\nraise RuntimeError('broken')", "s"))
    with pytest.raises(blocks.ExecutionError) as error:
        started.run(started.fences[0])
    assert 'File "docs/en/page.md", line 5, in <module>' in str(error.value)
    assert "raise RuntimeError('broken')" in str(error.value)  # the page's line is shown


def test_a_function_from_an_earlier_block_fails_at_its_own_line(page):
    started = page(fence("def f():\n    return 1 / 0", "s") + fence("f()", "s"))
    started.run(started.fences[0])
    with pytest.raises(blocks.ExecutionError) as error:
        started.run(started.fences[1])
    assert 'File "docs/en/page.md", line 7, in <module>' in str(error.value)
    assert 'File "docs/en/page.md", line 3, in f' in str(error.value)


def test_pages_import_their_own_minimodel_and_the_previous_one_comes_back(page, monkeypatch):
    before = types.ModuleType("minimodel")
    monkeypatch.setitem(sys.modules, "minimodel", before)
    monkeypatch.setitem(sys.modules, "minimodel.nn", types.ModuleType("minimodel.nn"))
    monkeypatch.setitem(sys.modules, "minimodelish", types.ModuleType("minimodelish"))
    page(fence("x = 1"))
    assert "minimodel" not in sys.modules and "minimodel.nn" not in sys.modules
    assert "minimodelish" in sys.modules
    blocks.end_page()
    assert sys.modules["minimodel"] is before


def test_ending_a_page_twice_leaves_the_modules_alone(page):
    import minimodel.nn.functional as before

    page(fence("x = 1"))
    blocks.end_page()
    blocks.end_page()
    import minimodel.nn.functional as after

    assert after is before and sys.modules["minimodel.nn.functional"] is before


def test_a_page_s_fresh_import_reuses_the_code_compiled_from_the_same_source(tmp_path):
    from docs_support.fresh_imports import _ReusingLoader

    path = str(tmp_path / "module.py")
    loader = _ReusingLoader("module", path)
    first = loader.source_to_code(b"x = 1\n", path)
    assert loader.source_to_code(b"x = 1\n", path) is first
    edited = loader.source_to_code(b"x = 2\n", path)
    assert edited is not first and "x" in edited.co_names
