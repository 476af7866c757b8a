"""An ipywidgets explorer of QIOF levels and LKS statistics (JupyterLab, or Voila via ``qio explore``).

The explorer only chooses *which* metric and figure to show for the current
controls; every number comes from :mod:`qio_analysis.metrics` and every chart
from :mod:`qio_analysis.figures`. The table under the chart is always the data
behind it (the accessible alternative, and easy to copy or download).

- :mod:`~qio_analysis.explorer.views`: selection in, figure and table out (no widgets);
- :mod:`~qio_analysis.explorer.service_views`: the staffing and activity views;
- :mod:`~qio_analysis.explorer.state`: controls to and from a URL query string;
- :mod:`~qio_analysis.explorer.page`: a view's table as HTML and its figure as JSON;
- :mod:`~qio_analysis.explorer.downloads`: the files offered for a view;
- :mod:`~qio_analysis.explorer.saved`: a view saved as one offline HTML file;
- :mod:`~qio_analysis.explorer.offers`: the download buttons and what each file says;
- :mod:`~qio_analysis.explorer.controls`: the control widgets;
- :mod:`~qio_analysis.explorer.app`: the dashboard (:class:`LevelExplorer`);
- :mod:`~qio_analysis.explorer.server`: ``qio explore``, the locked-down Voila server;
- :mod:`~qio_analysis.explorer.kernels`: kernels shut down when their page closes.

Names are loaded on first use, so the server (which runs no explorer itself)
starts without the widgets, metrics and figures.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_LAZY: dict[str, str] = {
    "ALL": "qio_analysis.explorer.controls",
    "LevelExplorer": "qio_analysis.explorer.app",
    "readable": "qio_analysis.explorer.page",
    "parse_query": "qio_analysis.explorer.state",
    "to_query": "qio_analysis.explorer.state",
    **dict.fromkeys(
        ["VIEWS", "Data", "Selection", "View", "compute"], "qio_analysis.explorer.views"
    ),
}

__all__ = sorted(_LAZY)


if TYPE_CHECKING:  # the same names, for type checkers (a test checks the two agree)
    from qio_analysis.explorer.app import LevelExplorer  # noqa: F401
    from qio_analysis.explorer.controls import ALL  # noqa: F401
    from qio_analysis.explorer.page import readable  # noqa: F401
    from qio_analysis.explorer.state import parse_query, to_query  # noqa: F401
    from qio_analysis.explorer.views import VIEWS, Data, Selection, View, compute  # noqa: F401
else:

    def __getattr__(name: str) -> object:
        target = _LAZY.get(name)
        if target is None:
            raise AttributeError(f"module 'qio_analysis.explorer' has no attribute {name!r}")
        value = getattr(importlib.import_module(target), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
