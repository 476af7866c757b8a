"""No function in the package runs over 100 lines, so each can be read whole."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import qio_analysis

LIMIT = 100
#: Longer today and being split (issue 33); an entry that is fixed may stay until then.
KNOWN = {
    "batch/plan.py:plan_items",
    "explorer/app.py:__init__",
    "io/organisations.py:read_organisations_result",
    "figures/benchmarking.py:fig_benchmark_strip",
    "figures/change.py:fig_sankey",
    "figures/change.py:fig_movement",
    "figures/heatmap.py:fig_heatmap",
    "figures/improvement.py:fig_improvement",
    "figures/levels.py:fig_share_trend",
    "figures/radar.py:fig_radar",
    "figures/validation.py:fig_adjustments",
    "figures/workforce.py:fig_staff_ratio",
}


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
def test_no_new_function_runs_over_100_lines():
    found = long_functions(Path(qio_analysis.__file__).parent)
    assert set(found) - KNOWN == set(), found
