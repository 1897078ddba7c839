"""A broken block fails the build and the tests, naming page and line; pages start clean."""

from site_helpers import add_page, build, copy_project, doc_tests, rebuild_in_one_process

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
    # docs/en/index.md plants a variable and a module attribute; the three pages built after it
    # (docs/en/other.md, docs/es/index.md, docs/es/other.md) use the same session name.
    project = copy_project(tmp_path / "project")
    add_page(project, "other.md", "# Other\n\n" + CHECK)
    for language, block in [("en", PLANT), ("es", CHECK)]:
        with (project / "docs" / language / "index.md").open("a", encoding="utf-8") as text:
            text.write("\n" + block)

    built = build(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr

    tested = doc_tests(project, "-v")
    assert tested.returncode == 0, tested.stdout
    for page in ("en/other.md", "es/index.md", "es/other.md"):
        assert f"docs/{page}::" in tested.stdout


PROBE_BLOCK = (
    '```python exec="on"\nimport minimodel._book_probe as probe\n'
    'print(f"probe={probe.VALUE}")\n```\n'
)


def test_a_rebuild_in_the_same_process_sees_edits_to_minimodel(tmp_path):
    # What `mkdocs serve` does when a writer saves a file of minimodel/.
    project = copy_project(tmp_path / "project")
    probe = project / "minimodel" / "_book_probe.py"
    probe.write_text("VALUE = 1\n", encoding="utf-8")
    with (project / "docs" / "en" / "index.md").open("a", encoding="utf-8") as page:
        page.write("\n" + PROBE_BLOCK)
    before, after = tmp_path / "before", tmp_path / "after"

    done = rebuild_in_one_process(
        project, tmp_path / "site", before, after, edits=[None, (probe, "VALUE = 2\n")]
    )

    assert done.returncode == 0, done.stderr
    assert "probe=1" in (before / "index.html").read_text(encoding="utf-8")
    assert "probe=2" in (after / "index.html").read_text(encoding="utf-8")
