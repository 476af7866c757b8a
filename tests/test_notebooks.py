"""Committed notebooks: no outputs, one parameters cell, and thin (logic lives in the package)."""

from __future__ import annotations

import ast

import nbformat
import pytest

from qio_analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
REPORT_NOTEBOOKS = {
    "trust_profile",
    "regional_summary",
    "regional_improvement",
    "year_on_year",
    "annual_headlines",
    "validation_review",
}


def test_all_report_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} >= REPORT_NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; strip them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_first_among_code_cells(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and code[0] is tagged[0]
    assigned = [
        node.targets[0].id
        for node in ast.parse(tagged[0].source).body
        if isinstance(node, ast.Assign)
    ]
    assert assigned, "the parameters cell only assigns values"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_stay_thin(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda), (
                f"{path.name}: define logic in qio_analysis"
            )
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module.startswith("qio_analysis"), (
                    f"{path.name} imports {module}: call the package instead"
                )
        assert len(cell.source.splitlines()) <= 25, (
            f"{path.name}: a long cell is a sign logic belongs in the package"
        )
