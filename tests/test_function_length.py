"""No function in the package runs over 100 lines, nor a figure's over 60, so each can be read whole."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import qio_analysis

LIMIT = 100
#: A figure prepares its data, adds its traces and hands the rest to one skeleton.
FIGURE_LIMIT = 60


def long_functions(root: Path, limit: int = LIMIT) -> dict[str, int]:
    """``"path:name"`` of every function under ``root`` longer than ``limit`` lines, with its length."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    found[f"{path.relative_to(root).as_posix()}:{node.name}"] = length
    return found


def test_the_counter_counts_from_def_to_the_last_line(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(LIMIT - 1))
    (tmp_path / "a.py").write_text(f"def short():\n{body}\n\n\ndef long():\n{body}\n    y = 0\n")
    assert long_functions(tmp_path) == {"a.py:long": LIMIT + 1}


@pytest.mark.slow  # parses every module of the package: seconds, not the fast layer
def test_no_function_runs_over_100_lines():
    assert long_functions(Path(qio_analysis.__file__).parent) == {}


def test_no_figure_function_runs_over_60_lines():
    assert long_functions(Path(qio_analysis.__file__).parent / "figures", FIGURE_LIMIT) == {}
