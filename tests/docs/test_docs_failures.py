"""A broken block fails the build and the tests, naming page and line; pages start clean."""

from site_helpers import build, copy_project, doc_tests

from docs_support.fences import executed_fences


def insert_lines(page, before_line, *lines):
    text = page.read_text(encoding="utf-8").splitlines()
    text[before_line - 1 : before_line - 1] = lines
    page.write_text("\n".join(text) + "\n", encoding="utf-8")


def test_a_broken_block_fails_build_and_tests_naming_page_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    page, fence = next(
        (path, fences[-1])
        for path in sorted((project / "docs" / "es").rglob("*.md"))
        if (fences := [f for f in executed_fences(path) if f.indent == 0])
    )
    closing_line = fence.first_code_line + len(fence.code.splitlines())
    insert_lines(page, closing_line, 'raise RuntimeError("deliberately broken block")')
    where = f'File "{page.relative_to(project).as_posix()}", line {closing_line}, in <module>'

    built = build(project, tmp_path / "site")
    assert built.returncode != 0
    assert where in built.stderr and "deliberately broken block" in built.stderr

    tested = doc_tests(project)
    assert tested.returncode != 0
    assert where in tested.stdout and "1 failed" in tested.stdout


PLANT = (
    '```python exec="on" session="shared"\nimport docs_support.plots\n'
    "docs_support.plots.planted = 1\nplanted = 1\n```\n"
)
CHECK = (
    '```python exec="on" session="shared"\nimport docs_support.plots\n'
    'assert "planted" not in globals(), "a session leaked from another page"\n'
    'assert not hasattr(docs_support.plots, "planted"), "a module leaked from another page"\n```\n'
)


def test_each_page_of_each_language_starts_clean_in_build_and_tests(tmp_path):
    project = copy_project(tmp_path / "project")
    docs = project / "docs"
    for page, block in [
        ("en/index.md", PLANT),
        ("es/index.md", CHECK),
        ("en/reference/nn.md", CHECK),
    ]:
        with (docs / page).open("a", encoding="utf-8") as text:
            text.write("\n" + block)

    built = build(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert "leaked" not in (tmp_path / "site" / "es" / "index.html").read_text(encoding="utf-8")

    tested = doc_tests(project, "-v")
    assert tested.returncode == 0, tested.stdout
    assert "docs/es/index.md::" in tested.stdout and "docs/en/reference/nn.md::" in tested.stdout
