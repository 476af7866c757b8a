"""The house as drawn: docs/architecture.md has a line for every module and a module for every
line, and no module imports, even only for type checking, one that imports it back."""

from __future__ import annotations

import ast
import re
from graphlib import CycleError, TopologicalSorter
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


def module_name(path: str) -> str:
    name = "qio_analysis." + path.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def imports() -> dict[str, set[str]]:
    """Each module's imports of the package's modules: at the top, in functions and under
    ``if TYPE_CHECKING:`` alike. ``from package import module`` is an import of the module."""
    known = {module_name(m) for m in modules()} | {"qio_analysis"}
    graph: dict[str, set[str]] = {}
    for path in modules():
        name = module_name(path)
        tree = ast.parse((PACKAGE / path).read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names if alias.name in known}
            elif isinstance(node, ast.ImportFrom) and node.module in known:
                inner = {f"{node.module}.{alias.name}" for alias in node.names} & known
                found |= inner
                if len(inner) < len(node.names):
                    found.add(node.module)
        graph[name] = found - {name}
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of ``graph``, or ``[]``."""
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        return list(exc.args[1])
    return []


def test_the_import_graph_has_no_cycle():
    assert cycle(imports()) == []


def test_a_cycle_is_found():
    assert set(cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})) == {"a", "b", "c"}
