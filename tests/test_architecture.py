"""docs/architecture.md matches the tree: every module has its line, and every line a module."""

from __future__ import annotations

import re
from pathlib import Path

import qio_analysis

PACKAGE = Path(qio_analysis.__file__).parent
DOC = PACKAGE.parent / "docs" / "architecture.md"


def modules() -> set[str]:
    """Every module of the package."""
    return {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "_bundled" not in path.relative_to(PACKAGE).parts
    }


def required() -> set[str]:
    """The modules that must have a line: a subpackage's ``__init__.py`` may go without."""
    return {m for m in modules() if m == "__init__.py" or not m.endswith("/__init__.py")}


def described() -> set[str]:
    """The modules the page's tables describe, one row each: ``| `io/files.py` | ... |``."""
    return set(re.findall(r"^\| `([\w/]+\.py)` \|", DOC.read_text(encoding="utf-8"), re.M))


def test_every_module_has_its_line_and_every_line_a_module():
    assert required() - described() == set(), "modules with no line in docs/architecture.md"
    assert described() - modules() == set(), "lines in docs/architecture.md for no module"
