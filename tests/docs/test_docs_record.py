"""The build records what each page printed; serve reuses it; the doc tests compare with it."""

from site_helpers import HOME, add_page, blocks_run, build, copy_project, doc_tests, html_reused
from site_helpers import rebuild_in_one_process as rebuild

from docs_support import record

UNSEEDED = (
    '# Unseeded\n\n```python exec="on" result="text"\nimport uuid\n\nprint(uuid.uuid4())\n```\n'
)


def test_the_build_records_what_each_block_of_a_page_printed(tmp_path):
    project = copy_project(tmp_path / "project")
    assert build(project, tmp_path / "site").returncode == 0
    for language in ("en", "es"):
        # HOME's blocks open on lines 3 (prints nothing) and 7.
        assert record.load_page(project, project / "docs" / language / "index.md") == {
            3: "",
            7: "42\n",
        }


def test_a_record_is_for_the_sources_it_ran(tmp_path):
    project = copy_project(tmp_path / "project")
    assert build(project, tmp_path / "site").returncode == 0
    page = project / "docs" / "en" / "index.md"
    page.write_text(HOME + "\n", encoding="utf-8")
    assert record.load_page(project, page) is None
    page.write_text(HOME, encoding="utf-8")
    (project / "minimodel" / "_book_probe.py").write_text("VALUE = 1\n", encoding="utf-8")
    assert record.load_page(project, page) is None


def test_serve_runs_and_renders_the_saved_page_only_and_all_after_a_change_to_minimodel(
    tmp_path,
):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "es" / "index.md"
    probe = project / "minimodel" / "_book_probe.py"
    copies = [tmp_path / name for name in ("first", "same", "page", "minimodel")]
    edits = [None, None, (page, HOME.replace("x + 1", "x + 2")), (probe, "VALUE = 1\n")]

    done = rebuild(project, tmp_path / "site", *copies, edits=edits)

    assert done.returncode == 0, done.stderr
    # Pages whose blocks ran in each build, English then Spanish.
    assert blocks_run(done.stderr) == [1, 1, 0, 0, 0, 1, 1, 1], done.stderr
    # The HTML of a page unchanged since the last rebuild is reused; none after minimodel changed.
    assert html_reused(done.stderr) == [0, 0, 1, 1, 1, 0, 0, 0], done.stderr
    assert "<code>43" in (tmp_path / "page" / "es" / "index.html").read_text(encoding="utf-8")


def test_the_doc_tests_fail_a_block_that_prints_other_than_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    add_page(project, "unseeded.md", UNSEEDED)
    assert build(project, tmp_path / "site").returncode == 0

    tested = doc_tests(project)

    assert tested.returncode != 0
    for language in ("en", "es"):
        assert f"block at docs/{language}/unseeded.md:3 printed line 1 differs" in tested.stdout
    assert "2 failed" in tested.stdout


def test_the_doc_tests_can_require_the_build_s_record(tmp_path):
    project = copy_project(tmp_path / "project")
    required = {"MINIMODEL_REQUIRE_BOOK_RECORD": "1"}

    tested = doc_tests(project, env=required)
    assert tested.returncode != 0
    assert "docs/en/index.md: the build recorded no output for this page" in tested.stdout

    assert build(project, tmp_path / "site").returncode == 0
    tested = doc_tests(project, env=required)
    assert tested.returncode == 0, tested.stdout
