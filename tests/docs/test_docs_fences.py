from docs_support.fences import code_signature, parse_fences, parse_info


def test_parse_info_reads_language_options_and_words():
    assert parse_info("python exec=\"on\" session='s' id=one notest") == (
        "python",
        {"exec": "on", "session": "s", "id": "one"},
        ("notest",),
    )


def test_parse_info_reads_the_brace_form():
    assert parse_info('{.python exec="on"}') == ("python", {"exec": "on"}, ())


def test_fence_inside_a_longer_fence_is_content_not_a_fence():
    text = '````markdown\n```python exec="on"\nx = 1\n```\n````\n'
    [outer] = parse_fences(text)
    assert outer.language == "markdown"
    assert outer.code == '```python exec="on"\nx = 1\n```'


def test_indented_fence_is_found_with_its_indentation_removed():
    text = '!!! note\n    ```python exec="on"\n    if True:\n        x = 1\n    ```\n'
    [fence] = parse_fences(text)
    assert (fence.line, fence.indent, fence.code) == (2, 4, "if True:\n    x = 1")
    assert fence.executed


def test_only_python_fences_with_a_true_exec_are_executed():
    text = "\n".join(
        f"```{info}\npass\n```"
        for info in [
            'python exec="on"',
            'python exec="1"',
            'python exec="off"',
            "python",
            'py exec="on"',
        ]
    )
    assert [f.executed for f in parse_fences(text)] == [True, True, False, False, False]


def test_code_signature_ignores_comments_strings_and_blank_lines():
    english = 'x = f(1, "loss")  # the loss\n\nprint("done", x)\n'
    spanish = "x = f(1, 'pérdida')  # la pérdida\nprint('listo', x)\n"
    assert code_signature(english) == code_signature(spanish)


def test_code_signature_sees_names_numbers_and_operators():
    base = code_signature("y = x * 2")
    assert base != code_signature("y = x * 3")
    assert base != code_signature("z = x * 2")
    assert base != code_signature("y = x + 2")


def test_pytorch_blocks_are_tested_but_not_executed():
    text = "\n".join(
        f"```{info}\npass\n```"
        for info in ['python torch="on"', 'python torch="off"', 'python exec="on"', "python"]
    )
    fences = parse_fences(text)
    assert [f.needs_torch for f in fences] == [True, False, False, False]
    assert [f.executed for f in fences] == [False, False, True, False]
    assert [f.tested for f in fences] == [True, False, True, False]
