"""The README's Python examples run as written, in order, on the demo data.

Each ```python block of README.md is executed in one namespace, as a reader
would paste them one after another into a notebook. They run from a folder
that reads like the project root (its ``data/`` and ``notebooks/`` linked in),
so the examples' relative paths are the project's and any file an example
writes lands in a temporary folder, not in the working tree. A failing block
is reported on its own, with the README's line numbers in the traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: What the examples read: the demo exports, and the notebooks qio reports runs.
LINKED = ("data", "notebooks")
#: A README a user reads in a few minutes.
MAX_LINES = 220
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Block:
    line: int  # README line of the block's first line of code
    source: str

    @property
    def label(self) -> str:
        first = next((s for s in self.source.splitlines() if s.strip()), "")
        return f"README.md line {self.line}: {first.strip()[:60]}"


def python_blocks(text: str) -> list[Block]:
    """Every ```python fenced block of ``text``, with the line its code starts on."""
    return [
        Block(text.count("\n", 0, m.start(2)) + 1, m.group(2))
        for m in _FENCE.finditer(text)
        if m.group(1) == "python"
    ]


def test_python_blocks_are_found_with_their_lines():
    text = "intro\n```python\nx = 1\n```\n```sh\nmake demo\n```\n```python\ny = x + 1\n```\n"
    blocks = python_blocks(text)
    assert [(b.line, b.source) for b in blocks] == [(3, "x = 1\n"), (9, "y = x + 1\n")]


def test_readme_is_short_and_its_examples_use_the_demo_data():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES
    blocks = python_blocks(text)
    assert len(blocks) >= 5
    for block in blocks:
        assert "exports/" not in block.source, block.label  # a path no reader has
        assert "RXX" not in block.source, block.label  # an organisation not in the data


@pytest.fixture
def project_like_folder(tmp_path, monkeypatch) -> Path:
    for name in LINKED:
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_python_examples_run_in_order(project_like_folder, subtests):
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for block in python_blocks(README.read_text(encoding="utf-8")):
        # Padding puts the code on its README lines, so a traceback points at the README.
        code = compile("\n" * (block.line - 1) + block.source, str(README), "exec")
        with subtests.test(msg=block.label):
            exec(code, namespace)
