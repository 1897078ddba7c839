"""The rules every page of docs/ follows (docs_support.checks), applied to the real book."""

from site_helpers import DOCS, ROOT

from docs_support import checks
from docs_support.fences import read_fences


def assert_holds(problems: list[str]) -> None:
    assert not problems, "\n" + "\n".join(problems)


def all_fences():
    return [fence for path in sorted(DOCS.rglob("*.md")) for fence in read_fences(path)]


def test_the_book_has_executed_blocks_in_every_language():
    # Guards the other checks against passing on an empty or unreadable docs/.
    for language in checks.LANGUAGES:
        assert any(f.executed for f in all_fences() if f.path.is_relative_to(DOCS / language))


def test_every_page_exists_in_both_languages():
    assert_holds(checks.missing_translations(DOCS))


def test_executed_code_is_the_same_in_both_languages():
    assert_holds(checks.translation_differences(DOCS))


def test_executed_fences_start_at_column_zero():
    assert_holds(checks.nested_executed_fences(all_fences()))


def test_executed_fences_use_only_supported_options():
    assert_holds(checks.bad_fence_options(all_fences()))


def test_illustrative_python_fences_are_valid_python():
    assert_holds(checks.uncompilable_illustrations(all_fences()))


def test_every_nav_title_is_translated():
    assert_holds(checks.untranslated_nav(checks.load_mkdocs_config(ROOT / "mkdocs.yml")))


def test_every_nav_page_has_its_title_in_both_languages():
    config = checks.load_mkdocs_config(ROOT / "mkdocs.yml")
    assert_holds(checks.untitled_pages(DOCS, config))


def test_hidden_statements_are_hidden_on_all_their_lines():
    assert_holds(checks.partly_hidden_statements(all_fences()))


def test_executed_blocks_do_not_read_what_pytorch_blocks_bind():
    assert_holds(checks.names_rebound_by_torch_blocks(all_fences()))
