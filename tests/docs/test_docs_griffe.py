from docs_support.griffe_sphinx import convert


def test_sphinx_roles_become_inline_code_with_the_name_sphinx_shows():
    text = "A :class:`~minimodel.Tensor` in :meth:`minimodel.nn.Module.parameters` and :func:`f`."
    assert convert(text) == "A `Tensor` in `minimodel.nn.Module.parameters` and `f`."


def test_example_block_becomes_a_google_examples_section():
    text = "Does things.\n\nExample::\n\n    >>> 1 + 1\n    2\n"
    assert convert(text) == "Does things.\n\nExamples:\n    >>> 1 + 1\n    2\n"


def test_other_literal_introductions_lose_one_colon():
    text = "Assign them as attributes::\n\n    self.fc = Linear(2, 3)\n"
    assert convert(text) == "Assign them as attributes:\n\n    self.fc = Linear(2, 3)\n"


def test_plain_text_is_left_alone():
    text = "Ratio 1:2, a dict {'a': 1} and `code`."
    assert convert(text) == text
