"""docs_support.executions logs each run of a page and fails a test command that ran one more
than twice."""

from docs_support import executions


def _book(tmp_path):
    docs = tmp_path / "docs"
    for page in ("en/01-a.md", "es/01-a.md", "en/reference/api.md"):
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text("# A\n", encoding="utf-8")
    return docs


def test_each_run_of_a_page_is_counted_by_kind_and_other_projects_are_not(tmp_path, monkeypatch):
    docs = _book(tmp_path)
    log = tmp_path / "runs.log"
    monkeypatch.setenv(executions.VARIABLE, str(log))
    executions.log("blocks", docs / "en" / "01-a.md")
    executions.log("notebook", docs / "en" / "01-a.md")
    executions.log("blocks", tmp_path / "copy" / "docs" / "en" / "01-a.md")  # a copied project

    runs = executions.runs(log, docs)

    assert runs["en/01-a.md"] == {"blocks": 1, "notebook": 1}
    assert not runs["es/01-a.md"] and not runs["en/reference/api.md"]


def test_the_check_fails_a_page_that_ran_more_than_twice(tmp_path, monkeypatch, capsys):
    docs = _book(tmp_path)
    log = tmp_path / "runs.log"
    monkeypatch.setenv(executions.VARIABLE, str(log))
    for kind in ("blocks", "notebook"):
        executions.log(kind, docs / "es" / "01-a.md")
    assert executions.main([str(log), "--docs", str(docs)]) == 0
    assert "es/01-a.md: ran 2 times (1 blocks, 1 notebook)" in capsys.readouterr().out

    executions.log("blocks", docs / "es" / "01-a.md")

    assert executions.main([str(log), "--docs", str(docs)]) == 1
    assert "ran more than 2 times: es/01-a.md" in capsys.readouterr().err


def test_nothing_is_logged_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(executions.VARIABLE, raising=False)
    executions.log("blocks", tmp_path / "page.md")
    assert list(tmp_path.iterdir()) == []
