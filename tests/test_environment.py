"""Project environment: conda file matches pyproject, and the import-cost decision holds."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib

import pytest

from qio_analysis import config

CONDA_NAMES = {"python-kaleido": "kaleido", "jupyter_client": "jupyter-client"}


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")
    return CONDA_NAMES.get(name, name)


def _conda_dependencies() -> list[str]:
    """Conda packages plus pip-installed ones, without the editable install of this project."""
    text = (config.PROJECT_ROOT / "environment.yml").read_text()
    deps = []
    in_deps = False
    for line in text.splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        match = re.match(r"^ {2}- ([^:#]+?)\s*$", line) or re.match(
            r"^ {6}- ([^-#][^#]*?)\s*$", line
        )
        if in_deps and match:
            deps.append(match.group(1))
    return deps


def test_environment_yml_lists_the_same_runtime_packages_as_pyproject():
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    pyproject = {_name(r): r for r in project["dependencies"]}
    conda = {_name(r): r for r in _conda_dependencies() if _name(r) not in {"python", "pip"}}
    assert set(conda) == set(pyproject)
    for name, requirement in pyproject.items():
        bounds = re.sub(r"^[A-Za-z0-9_.\-\[\]]+", "", requirement)
        assert bounds and bounds in conda[name].replace(" ", ""), (
            f"{name}: {requirement} vs {conda[name]}"
        )
    assert '-e ".[dev]"' in (config.PROJECT_ROOT / "environment.yml").read_text()


def test_rfc3987_syntax_stays_out_of_the_environment():
    # Deliberate (see pyproject.toml and docs/decisions.md): it adds 0.7-2.8 s to every
    # papermill/nbconvert/nbval/Voila start. If an upgrade pulls it back in,
    # revisit the jsonschema pin rather than deleting this test.
    assert importlib.util.find_spec("rfc3987_syntax") is None


def test_lxml_stays_out_of_the_environment():
    # Deliberate (see pyproject.toml): with lxml installed, openpyxl writes workbooks through
    # it and the bytes change (a carriage return in a cell, a formula's saved result), so the
    # committed demo workbooks no longer regenerate exactly. pypdf, not pikepdf, reads PDFs.
    assert importlib.util.find_spec("lxml") is None


def test_every_metrics_and_figures_name_is_a_top_level_name_and_back():
    import qio_analysis as qa
    from qio_analysis import explorer, figures, io, metrics, report, words

    for package in (metrics, figures):
        for name in package.__all__:
            assert getattr(qa, name) is getattr(package, name), name
    subpackages = {p.__name__: p for p in (explorer, figures, io, metrics, report, words)}
    for name, source in qa._public().items():
        if source == f"qio_analysis.{name}":
            assert getattr(qa, name) is importlib.import_module(source)
        else:
            assert name in subpackages[source].__all__, (name, source)
            assert getattr(qa, name) is getattr(subpackages[source], name)
    assert set(metrics.__all__) | set(figures.__all__) <= set(qa.__all__)
    assert {"level_profile", "fig_radar", "load_submissions", "config", "QioDataError"} <= set(
        dir(qa)
    )
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = qa.no_such_name


def test_listing_the_top_level_names_imports_neither_pandas_nor_plotly():
    code = (
        "import sys, qio_analysis as qa\n"
        "names = qa.__all__, dir(qa)\n"
        "print(sorted(m for m in ('pandas', 'plotly', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_explorer_type_checking_imports_name_its_lazy_names():
    import ast
    import inspect

    from qio_analysis import explorer

    tree = ast.parse(inspect.getsource(explorer))
    block = next(n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.dump(n))
    imported = {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == explorer._LAZY
