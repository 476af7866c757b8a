"""An ipywidgets explorer of QIOF levels for analysts (JupyterLab, or Voila via ``qio explore``).

The explorer only chooses *which* metric and figure to show for the current
controls; every number comes from :mod:`qio_analysis.metrics` and every chart
from :mod:`qio_analysis.figures`. The table under the chart is always the data
behind it (the accessible alternative, and easy to copy or download).
"""

from __future__ import annotations

import base64
import html
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from qio_analysis import figures, metrics
from qio_analysis.errors import QioError
from qio_analysis.figures.template import empty_figure, figure_table
from qio_analysis.framework import OUTCOMES
from qio_analysis.io.writers import csv_bytes, xlsx_bytes
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.report.display import figure_bundle, table_html
from qio_analysis.report.inputs import load_inputs

ALL = "__all__"
VIEWS = {
    "distribution": "Levels by region",
    "heatmap": "Organisations \u00d7 outcomes",
    "radar": "One organisation",
    "transitions": "Transitions",
    "agreement": "Validation agreement",
}
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    """A Chromium for kaleido's PNG export, if this machine has one."""
    for name in CHROMIUM:
        path = Path(name)
        found = str(path) if path.is_absolute() and path.exists() else shutil.which(name)
        if found:
            return found
    return None


@dataclass
class View:
    """What the explorer shows for the current controls."""

    figure: go.Figure
    table: pd.DataFrame
    message: str = ""


class LevelExplorer:
    """Slice QIOF levels by cycle, region, outcome and assessment, with five views.

    ``explorer.widget`` is the dashboard; ``explorer.figure`` and
    ``explorer.table`` hold what it currently shows (handy in tests and
    notebooks), and ``explorer.last_update_s`` how long the last redraw took.
    """

    def __init__(
        self,
        submissions: pd.DataFrame,
        statistics: pd.DataFrame | None = None,
        organisations: pd.DataFrame | None = None,
        *,
        cycle: int | None = None,
        view: str = "distribution",
    ) -> None:
        self.subs = submissions
        self.statistics = statistics
        self.organisations = organisations
        cycles = sorted(int(c) for c in submissions["cycle"].unique())
        regions = [r for r in REGION_NAMES if r in set(submissions["region"])]
        names = submissions.drop_duplicates("org_code").sort_values("org_name")
        self._org_by_label = {
            f"{n} ({c})": c for c, n in zip(names["org_code"], names["org_name"], strict=True)
        }
        style = {"description_width": "8em"}
        self.view = w.ToggleButtons(
            options=[(label, key) for key, label in VIEWS.items()],
            value=view,
            description="View",
            style=style,
        )
        self.cycle = w.Dropdown(
            options=cycles, value=cycle or cycles[-1], description="Cycle", style=style
        )
        self.compare = w.Dropdown(
            options=[("None", 0), *[(str(c), c) for c in cycles]],
            value=0,
            description="Compare with",
            style=style,
        )
        self.region = w.Dropdown(
            options=[("All regions", ALL), *[(r, r) for r in regions]],
            value=ALL,
            description="Region",
            style=style,
        )
        self.outcome = w.Dropdown(
            options=[
                ("All outcomes", 0),
                *[(f"{o.number}. {o.short}", o.number) for o in OUTCOMES],
            ],
            value=0,
            description="Outcome",
            style=style,
        )
        self.assessment = w.Dropdown(
            options=[("Validated", "validated"), ("Self-evaluated", "self"), ("Both", "both")],
            value="validated",
            description="Assessment",
            style=style,
        )
        self.organisation = w.Combobox(
            options=list(self._org_by_label),
            placeholder="Type a name or code",
            ensure_option=True,
            description="Organisation",
            style=style,
        )
        self.message = w.HTML()
        self.chart = w.Output(layout=w.Layout(min_height="360px"))
        self.table_view = w.HTML(layout=w.Layout(max_height="320px", overflow="auto"))
        self.downloads = w.HTML()
        buttons = [
            self._button("Table (CSV)", self._download_csv),
            self._button("Table (Excel)", self._download_xlsx),
            self._button("Chart (HTML)", self._download_html),
        ]
        png = self._button("Chart (PNG)", self._download_png)
        if chromium_path() is None:
            png.disabled, png.tooltip = True, "PNG export needs a Chromium browser on the server"
        self.widget = w.VBox(
            [
                self.view,
                w.HBox(
                    [
                        w.VBox([self.cycle, self.compare, self.region]),
                        w.VBox([self.outcome, self.assessment, self.organisation]),
                    ]
                ),
                self.message,
                self.chart,
                w.HTML("<b>Data behind the chart</b>"),
                self.table_view,
                w.HBox([*buttons, png]),
                self.downloads,
            ],
            layout=w.Layout(max_width="1100px"),
        )
        self.widget.add_class("qio-explorer")
        self.figure: go.Figure = go.Figure()
        self.table = pd.DataFrame()
        self.last_update_s = 0.0
        for control in (
            self.view,
            self.cycle,
            self.compare,
            self.region,
            self.outcome,
            self.assessment,
            self.organisation,
        ):
            control.observe(self._changed, names="value")
        self.refresh()

    @classmethod
    def from_files(
        cls,
        submissions: Any = None,
        statistics: Any = None,
        organisations: Any = None,
        **kwargs: Any,
    ) -> LevelExplorer:
        """Load exports (the demo data when no path is given) and build the explorer."""
        inputs = load_inputs(submissions, statistics, organisations)
        return cls(inputs.submissions, inputs.statistics, inputs.organisations, **kwargs)

    def _ipython_display_(self) -> None:
        display(self.widget)

    # ----------------------------------------------------------------- updates

    def _changed(self, change: dict[str, Any]) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the current view and redraw the chart, table and message."""
        start = time.perf_counter()
        self.organisation.layout.display = "" if self.view.value == "radar" else "none"
        try:
            view = self._compute()
        except QioError as exc:
            view = View(empty_figure(str(exc)), pd.DataFrame({"message": [str(exc)]}), str(exc))
        self.figure, self.table = view.figure, view.table
        self.message.value = (
            f'<p class="qio-message" role="status">{html.escape(view.message)}</p>'
            if view.message
            else ""
        )
        with self.chart:
            self.chart.clear_output(wait=True)
            display(figure_bundle(view.figure), raw=True)
        self.table_view.value = table_html(view.table) if not view.table.empty else ""
        self.downloads.value = ""
        self.last_update_s = time.perf_counter() - start

    def _scope(self) -> str | None:
        return None if self.region.value == ALL else self.region.value

    def _assessments(self) -> list[str]:
        return ["self", "validated"] if self.assessment.value == "both" else [self.assessment.value]

    def _compute(self) -> View:
        cycle, region = self.cycle.value, self._scope()
        in_cycle = self.subs[self.subs["cycle"] == cycle]
        if region is not None and not (in_cycle["region"] == region).any():
            message = f"No organisation in {region} has submissions for {cycle}. Choose another region or cycle."
            return View(empty_figure(message), pd.DataFrame({"message": [message]}), message)
        return getattr(self, f"_view_{self.view.value}")(cycle, region)

    def _with_table(self, fig: go.Figure, message: str = "") -> View:
        return View(fig, figure_table(fig), message)

    def _view_distribution(self, cycle: int, region: str | None) -> View:
        compare, outcome = self.compare.value, self.outcome.value
        group = region or NATIONAL
        if compare and compare != cycle:
            dist = metrics.level_distribution(
                self.subs, sorted({compare, cycle}), by="region", assessment=self._assessments()[-1]
            )
            dist, split = dist[dist["region"] == group], "cycle"
        elif self.assessment.value == "both":
            dist = metrics.level_distribution(
                self.subs, cycle, by="region", assessment=["self", "validated"]
            )
            dist, split = dist[dist["region"] == group], "assessment"
        else:
            dist = metrics.level_distribution(
                self.subs, cycle, by="region", assessment=self.assessment.value
            )
            if region is not None:
                dist = dist[dist["region"].isin([region, NATIONAL])]
            split = "region"
        if outcome:
            dist = dist[dist["outcome"] == outcome]
        return self._with_table(figures.fig_level_distribution(dist, split=split))

    def _view_heatmap(self, cycle: int, region: str | None) -> View:
        pairs = metrics.paired_levels(self.subs, cycle)
        if region is not None:
            pairs = pairs[pairs["region"] == region]
        if self.outcome.value:
            pairs = pairs[pairs["outcome"] == self.outcome.value]
        assessment = "self" if self.assessment.value == "self" else "validated"
        note = (
            "The heatmap shows validated levels when both assessments are chosen."
            if self.assessment.value == "both"
            else ""
        )
        return self._with_table(figures.fig_heatmap(pairs, assessment=assessment), note)

    def _view_radar(self, cycle: int, region: str | None) -> View:
        code = self._org_by_label.get(self.organisation.value)
        if code is None:
            message = (
                "Type an organisation's name or code in the Organisation box to see its radar."
            )
            return View(
                empty_figure(message, title="Choose an organisation"),
                pd.DataFrame({"message": [message]}),
                message,
            )
        return self._with_table(figures.fig_radar(metrics.level_profile(self.subs, code, cycle)))

    def _view_transitions(self, cycle: int, region: str | None) -> View:
        start = self.compare.value or metrics.previous_cycle(self.subs, cycle)
        if not start or start >= cycle:
            message = f"Choose an earlier cycle in 'Compare with' to see movement into {cycle}."
            return View(empty_figure(message), pd.DataFrame({"message": [message]}), message)
        assessment = "self" if self.assessment.value == "self" else "validated"
        moves = metrics.transitions(self.subs, start, cycle, by="region", assessment=assessment)
        if self.outcome.value:
            return self._with_table(
                figures.fig_sankey(moves.matrix, outcome=self.outcome.value, region=region)
            )
        return self._with_table(
            figures.fig_movement(moves.summary, region=region),
            "Choose one outcome to see its level-to-level Sankey.",
        )

    def _view_agreement(self, cycle: int, region: str | None) -> View:
        agreement = metrics.validation_agreement(self.subs, cycle, by="region")
        fig = figures.fig_agreement_matrix(
            agreement.confusion, outcome=self.outcome.value or None, region=region
        )
        return self._with_table(fig)

    # ----------------------------------------------------------------- downloads

    def _button(self, label: str, action: Any) -> w.Button:
        button = w.Button(description=label, icon="download", layout=w.Layout(width="auto"))
        button.on_click(lambda _: action())
        return button

    def _offer(self, name: str, mime: str, data: bytes) -> None:
        encoded = base64.b64encode(data).decode("ascii")
        self.downloads.value = (
            f'<a download="{html.escape(name)}" href="data:{mime};base64,{encoded}">Download {html.escape(name)}</a>'
            f" ({len(data) / 1024:,.0f} KB)"
        )

    def _stem(self) -> str:
        region = (
            "all-regions"
            if self.region.value == ALL
            else self.region.value.lower().replace(" ", "-")
        )
        return f"qio-{self.view.value}-{self.cycle.value}-{region}"

    def _download_csv(self) -> None:
        self._offer(f"{self._stem()}.csv", "text/csv", csv_bytes(self.table))

    def _download_xlsx(self) -> None:
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self._offer(f"{self._stem()}.xlsx", mime, xlsx_bytes({"data": self.table}))

    def _download_html(self) -> None:
        page = self.figure.to_html(
            include_plotlyjs=True, full_html=True
        )  # offline: plotly.js inside
        self._offer(f"{self._stem()}.html", "text/html", page.encode("utf-8"))

    def _download_png(self) -> None:
        browser = chromium_path()
        if browser is None:
            self.downloads.value = "<p>PNG export needs a Chromium browser on the server.</p>"
            return
        os.environ.setdefault("BROWSER_PATH", browser)
        self._offer(
            f"{self._stem()}.png",
            "image/png",
            self.figure.to_image(format="png", width=1100, scale=1),
        )
