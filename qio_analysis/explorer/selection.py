"""What a view is computed from and what it gives: the selection, the data, the view.

Shared by the level views (:mod:`qio_analysis.explorer.views`) and the service views
(:mod:`qio_analysis.explorer.service_views`), which the level views hand the staffing and
activity selections to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.figures.template import empty_figure
from qio_analysis.memo import Memo
from qio_analysis.metrics.disclosure import DEFAULT_MIN_GROUP


@dataclass(frozen=True)
class Selection:
    """The explorer's controls as plain values."""

    view: str = "distribution"
    cycle: int = 0
    region: str | None = None
    outcome: int = 0
    assessment: str = "validated"
    compare: int = 0
    org: str | None = None
    sort: str = "name"


@dataclass
class View:
    """What the explorer shows for a selection."""

    figure: go.Figure
    table: pd.DataFrame
    message: str = ""
    #: What the view is about and the years it covers, for file names ("claybridge-lks", "2019-20-to-2024-25").
    subject: str = ""
    years: str = ""
    #: Renderings of this view kept for the next time it is shown (figure JSON, table HTML).
    rendered: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def render(self, kind: str, make: Callable[[], str]) -> str:
        """``make()`` once per kind: views are cached, so a revisit sends the same text."""
        if kind not in self.rendered:
            self.rendered[kind] = make()
        return self.rendered[kind]


@dataclass
class Data:
    """The tables behind the explorer (already filtered by organisation type)."""

    subs: pd.DataFrame
    statistics: pd.DataFrame | None = None
    organisations: pd.DataFrame | None = None
    min_group: int = DEFAULT_MIN_GROUP
    names: dict[str, str] = field(default_factory=dict)
    #: Metric results by selection key, computed once (the tables never change after loading).
    memo: Memo = field(default_factory=Memo, repr=False)


def org_names(subs: pd.DataFrame) -> dict[str, str]:
    """Organisation names by code, in name order (the search list and the charts use them).

    >>> org_names(pd.DataFrame({"org_code": ["B", "A", "B"], "org_name": ["Beta", "Alpha", "Beta"]}))
    {'A': 'Alpha', 'B': 'Beta'}
    """
    names = subs.drop_duplicates("org_code").sort_values("org_name")
    return dict(zip(names["org_code"], names["org_name"], strict=True))


def message_view(message: str, title: str = "No data to show") -> View:
    """A view that says why there is nothing to draw (never a blank or stale chart)."""
    return View(empty_figure(message, title=title), pd.DataFrame({"message": [message]}), message)
