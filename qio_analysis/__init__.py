"""qio-analysis: QIOF levels and LKS statistics as validated tables, metrics and charts.

Typical use::

    import qio_analysis as qa
    subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    profile = qa.level_profile(subs, "ZA07", 2025)
    qa.fig_radar(profile)

Names are loaded on first use (PEP 562), so ``import qio_analysis``, and
papermill loading our engine through its entry point, stay fast. The lazily
loaded names are listed once, as the imports under ``if TYPE_CHECKING:`` below:
type checkers read them there, and so does ``__getattr__`` at run time. All of
``metrics.__all__`` and ``figures.__all__`` is public here; from the other
subpackages, a chosen few names.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from qio_analysis.errors import (
    Problem,
    QioConfigError,
    QioDataError,
    QioError,
    QioLevelError,
    QioWarning,
)
from qio_analysis.framework import (
    LEVELS,
    OUTCOMES,
    SUBLEVELS,
    format_level,
    from_score,
    outcome,
    parse_level,
    parse_sublevel,
    score,
)
from qio_analysis.reference import NATIONAL, REGIONS, region_name
from qio_analysis.version import __version__

__all__: list[str]  # built on first use from the imports below (see ``_public``)

if TYPE_CHECKING:
    # The one list of the lazily loaded public names. Type checkers read it as
    # written; at run time ``_public`` reads the same statements from this file's
    # source, so ``qa.<name>`` resolves without importing pandas or plotly until a
    # name is used. A star import stands for the subpackage's whole ``__all__``.
    from qio_analysis import config, explorer, figures, io, metrics, report, schemas, words
    from qio_analysis.explorer import LevelExplorer
    from qio_analysis.figures import *  # noqa: F403
    from qio_analysis.io import (
        ReadResult,
        load_inputs,
        load_statistics,
        load_submissions,
        read_ods_trusts,
        read_organisations,
        read_statistics,
        read_submissions,
    )
    from qio_analysis.metrics import *  # noqa: F403
    from qio_analysis.report import headline_table
    from qio_analysis.words import headline_tiles, level_words, profile_sentences, since_words
else:

    def __getattr__(name: str) -> object:
        if name == "__all__":
            value: object = sorted(_EAGER | set(_public()))
        else:
            target = _public().get(name)
            if target is None:
                raise AttributeError(f"module 'qio_analysis' has no attribute {name!r}")
            module = importlib.import_module(target)
            value = module if target == f"{__name__}.{name}" else getattr(module, name)
        globals()[name] = value
        return value


_EAGER = {
    "LEVELS",
    "NATIONAL",
    "OUTCOMES",
    "REGIONS",
    "SUBLEVELS",
    "Problem",
    "QioConfigError",
    "QioDataError",
    "QioError",
    "QioLevelError",
    "QioWarning",
    "__version__",
    "format_level",
    "from_score",
    "outcome",
    "parse_level",
    "parse_sublevel",
    "region_name",
    "score",
}


@functools.cache
def _public() -> dict[str, str]:
    """Each lazily loaded public name and the module it comes from (the module itself
    for a subpackage), read from the ``if TYPE_CHECKING:`` imports of this file."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name)
        if node.test.id == "TYPE_CHECKING"
    )
    names: dict[str, str] = {}
    for node in block.body:
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        for alias in node.names:
            if alias.name == "*":
                names.update(dict.fromkeys(_declared(node.module), node.module))
            elif node.module == __name__:
                names[alias.name] = f"{__name__}.{alias.name}"
            else:
                names[alias.name] = node.module
    return names


def _declared(package: str) -> list[str]:
    """A subpackage's ``__all__``, read from its source so that listing it imports nothing."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ImportError(f"{package} is not installed with its source")
    for node in ast.parse(Path(spec.origin).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return [str(name) for name in ast.literal_eval(node.value)]
    raise ImportError(f"{package} declares no __all__")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _EAGER | set(_public()))
