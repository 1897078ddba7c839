"""docs_support.prerun runs pages' blocks in a second process and hands over what they printed."""

import os

from docs_support import blocks, prerun

SESSION = """# Page

```python exec="on" session="s"
import os

x = 41
```

```python exec="on" session="s" result="text"
print(x + 1, os.getpid())
```
"""
BROKEN = '# Broken\n\n```python exec="on"\nraise ValueError("no")\n```\n'


def _write(root, name, text):
    path = root / "docs" / "es" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_page_prints_what_its_blocks_printed_in_the_second_process(tmp_path):
    pages = [_write(tmp_path, "page.md", SESSION), _write(tmp_path, "broken.md", BROKEN)]
    prerun.start(pages, tmp_path)
    page = blocks.start_page(pages[0], tmp_path)
    try:
        printed = [page.run(fence) for fence in page.fences]
        complete = page.complete
        # A page whose block raised is left to the build, which reports the error.
        broken = prerun.take("docs/es/broken.md")
    finally:
        blocks.end_page()
        prerun.stop()
    answer, pid = printed[1].split()
    assert (printed[0], answer, complete, broken) == ("", "42", True, None)
    if len(os.sched_getaffinity(0)) > 1:
        assert int(pid) != os.getpid()  # run by the second process
    else:
        assert int(pid) == os.getpid()  # one core: nothing was started, the page ran here


def test_pages_the_second_process_does_not_run_are_run_by_the_build(tmp_path):
    assert prerun.take("docs/es/page.md") is None
