"""An ipywidgets explorer of QIOF levels and LKS statistics (JupyterLab, or Voila via ``qio explore``).

The explorer only chooses *which* metric and figure to show for the current
controls; every number comes from :mod:`qio_analysis.metrics` and every chart
from :mod:`qio_analysis.figures`. The table under the chart is always the data
behind it (the accessible alternative, and easy to copy or download).

- :mod:`~qio_analysis.explorer.views`: selection in, figure and table out (no widgets);
- :mod:`~qio_analysis.explorer.state`: controls to and from a URL query string;
- :mod:`~qio_analysis.explorer.app`: the widgets (:class:`LevelExplorer`).
"""

from qio_analysis.explorer.app import ALL, LevelExplorer, chromium_path, readable
from qio_analysis.explorer.state import parse_query, to_query
from qio_analysis.explorer.views import VIEWS, Data, Selection, View, compute

__all__ = [
    "ALL",
    "VIEWS",
    "Data",
    "LevelExplorer",
    "Selection",
    "View",
    "chromium_path",
    "compute",
    "parse_query",
    "readable",
    "to_query",
]
