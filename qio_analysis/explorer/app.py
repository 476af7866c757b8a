"""The explorer's widgets: controls, chart, table, downloads and the URL bridge."""

from __future__ import annotations

import os
import time
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from qio_analysis.errors import QioConfigError, QioError
from qio_analysis.explorer.controls import ALL, make_controls, option_matching, update_options
from qio_analysis.explorer.downloads import when
from qio_analysis.explorer.offers import Offers
from qio_analysis.explorer.page import data_table_html, figure_script
from qio_analysis.explorer.server import DRAW_ENV, PathLike
from qio_analysis.explorer.state import link_message, read_link, to_query
from qio_analysis.explorer.views import (
    NOT_USED,
    VIEWS,
    Data,
    Selection,
    View,
    compute,
    message_view,
    org_names,
)
from qio_analysis.framework import OUTCOMES
from qio_analysis.io.inputs import Inputs, load_inputs
from qio_analysis.metrics.disclosure import DEFAULT_MIN_GROUP
from qio_analysis.reference import REGION_NAMES
from qio_analysis.report.display import figure_bundle
from qio_analysis.text import escape_html

#: How charts reach the screen. ``"output"``: a plotly mime bundle in an Output
#: widget (JupyterLab). ``"page"``: the figure's JSON in a hidden widget, drawn by
#: the page's own plotly.js with ``Plotly.react`` on one lasting chart (``qio
#: explore`` sets this through the environment; see the Voila template ``qio``).
#: JupyterLab's plotly renderer draws every new output about three times (react,
#: a redraw on attach, and a PNG snapshot), which is most of a control change.
DRAW_MODES = ("output", "page")
#: Views kept ready to show again (the oldest go first).
KEPT_VIEWS = 64


class LevelExplorer(Offers):
    """Slice QIOF levels and LKS statistics by cycle, region, outcome, organisation and type.

    ``explorer.widget`` is the dashboard; ``explorer.figure`` and
    ``explorer.table`` hold what it currently shows (handy in tests and
    notebooks), ``explorer.query`` the shareable query string and
    ``explorer.last_update_s`` how long the last redraw took. In Voila the
    page's query string reaches the kernel through ``url_in`` (set by the
    template's script after the preheated notebook has run) and ``url_out``
    carries the current query back to the address bar.
    """

    def __init__(
        self,
        submissions: pd.DataFrame,
        statistics: pd.DataFrame | None = None,
        organisations: pd.DataFrame | None = None,
        *,
        cycle: int | None = None,
        view: str = "distribution",
        is_demo: bool = False,
        min_group: int = DEFAULT_MIN_GROUP,
        draw: str | None = None,
        inputs: Inputs | None = None,
    ) -> None:
        self.draw = draw or os.environ.get(DRAW_ENV) or "output"
        if self.draw not in DRAW_MODES:
            raise QioConfigError(f"draw must be 'output' or 'page', not {self.draw!r}.")
        self.min_group = min_group
        self.is_demo = is_demo
        #: The files behind the tables (None for tables given in Python), checked at each visit.
        self.inputs = inputs
        self._tables(submissions, statistics, organisations)
        controls = make_controls(view=view, cycle=cycle, **self._options())
        self._controls = controls
        self._by_key = controls.by_key()
        self.view, self.cycle, self.compare = controls.view, controls.cycle, controls.compare
        self.region, self.org_type = controls.region, controls.org_type
        self.outcome, self.assessment = controls.outcome, controls.assessment
        self.sort, self.organisation = controls.sort, controls.organisation
        self._org_code: str | None = None
        self._search_note = ""
        self.banner = w.HTML(
            '<p class="qio-banner" role="note"><strong>Synthetic demo data.</strong> '
            "Every organisation, service and figure here is fictional. Start "
            "<code>qio explore --submissions PATH --statistics PATH --organisations PATH</code> "
            "to explore your own exports.</p>"
            if is_demo
            else ""
        )
        self.help = w.HTML()
        self.message = w.HTML()
        self.provenance = w.HTML()
        self._data_note = ""
        frame = {"min_height": "360px", "max_height": "720px", "overflow": "auto"}
        # In "page" mode the chart box stays empty for the page's script to draw in.
        self.chart = (
            w.Output(layout=w.Layout(**frame))
            if self.draw == "output"
            else w.Box(layout=w.Layout(display="block", **frame))
        )
        self.chart.add_class("qio-chart")
        self.figure_json = w.HTML(layout=w.Layout(display="none"))
        self.figure_json.add_class("qio-figure-json")
        self.table_view = w.HTML()
        self.downloads = w.HTML()
        self.url_in = w.Text(layout=w.Layout(display="none"))
        self.url_in.add_class("qio-url-in")
        self.url_out = w.HTML(layout=w.Layout(display="none"))
        self.url_out.add_class("qio-url-out")
        self.widget = self._layout()
        self.figure: go.Figure = go.Figure()
        self.table = pd.DataFrame()
        self.last_update_s = 0.0
        self._holding = False
        self._applied = ""
        self._link_note = ""
        self._defaults = self.state()
        for control in self._by_key.values():
            control.observe(self._changed, names="value")
        self.organisation.observe(self._organisation_typed, names="value")
        self.url_in.observe(lambda change: self.apply_query(change["new"]), names="value")
        self.refresh()

    def _layout(self) -> w.VBox:
        """The dashboard: banner, view, controls, glossary, messages, chart, table, downloads."""
        glossary = "".join(
            f"<dt>{o.number}. {escape_html(o.short)}</dt><dd>{escape_html(o.text)}</dd>"
            for o in OUTCOMES
        )
        widget = w.VBox(
            [
                self.banner,
                self.view,
                w.HBox(
                    [
                        w.VBox([self.cycle, self.compare, self.region, self.org_type]),
                        w.VBox([self.outcome, self.assessment, self.organisation, self.sort]),
                    ]
                ),
                w.HTML(
                    '<details class="qio-glossary"><summary>What the six outcomes mean</summary>'
                    f"<dl>{glossary}</dl></details>"
                ),
                self.help,
                self.message,
                self.chart,
                self.figure_json,
                w.HTML("<h2 class='qio-heading'>Data behind the chart</h2>"),
                self.table_view,
                w.HBox(self.download_buttons(), layout=w.Layout(flex_flow="row wrap")),
                self.downloads,
                self.provenance,
                self.url_in,
                self.url_out,
            ],
            layout=w.Layout(max_width="1100px"),
        )
        widget.add_class("qio-explorer")
        return widget

    @classmethod
    def from_files(
        cls,
        submissions: PathLike = None,
        statistics: PathLike = None,
        organisations: PathLike = None,
        **kwargs: Any,
    ) -> LevelExplorer:
        """Load exports (the demo data when no path is given) and build the explorer."""
        inputs = load_inputs(submissions, statistics, organisations)
        kwargs.setdefault("is_demo", inputs.is_demo)
        return cls(
            inputs.submissions, inputs.statistics, inputs.organisations, inputs=inputs, **kwargs
        )

    def _tables(
        self,
        submissions: pd.DataFrame,
        statistics: pd.DataFrame | None,
        organisations: pd.DataFrame | None,
    ) -> None:
        """Use these tables from now on (views computed from earlier ones are forgotten)."""
        self.subs = submissions
        self.statistics = statistics
        self.organisations = organisations
        self._data: dict[str, Data] = {}
        self._views: dict[tuple[Selection, str], View] = {}
        self._org_names = org_names(submissions)
        self._org_by_label = {f"{n} ({c})": c for c, n in self._org_names.items()}
        self._label_by_org = {c: label for label, c in self._org_by_label.items()}

    def _options(self) -> dict[str, list]:
        """The controls' choices in the current tables."""
        orgs = self.organisations
        return {
            "cycles": sorted(int(c) for c in self.subs["cycle"].unique()),
            "regions": [r for r in REGION_NAMES if r in set(self.subs["region"])],
            "types": (
                sorted(orgs["org_type"].dropna().unique())
                if orgs is not None and "org_type" in orgs
                else []
            ),
            "organisations": list(self._org_by_label),
        }

    def check_inputs(self) -> None:
        """Read the export files again if they changed since they were read (each visit asks).

        If they cannot be read now (a file half-copied, say), the data read
        earlier stays on screen and the page says when it was read and why.
        """
        if self.inputs is None or not self.inputs.changed():
            return
        earlier = self.inputs.read_at
        try:
            inputs = load_inputs(*self.inputs.given)
        except QioError as exc:
            first = str(exc).splitlines()[0][:200]
            self._data_note = (
                "The export files have changed but cannot be read now "
                f"({first}); this page shows the data read at {when(earlier)}."
            )
            return
        self.inputs = inputs
        self.is_demo = inputs.is_demo
        self._holding = True
        try:
            self._tables(inputs.submissions, inputs.statistics, inputs.organisations)
            update_options(self._controls, **self._options())
        finally:
            self._holding = False
        self._data_note = (
            f"The export files changed after {when(earlier)}; "
            f"this page shows them as read at {when(inputs.read_at)}."
        )

    def warm(self) -> LevelExplorer:
        """Compute the latest cycle's views ahead of time (Voila runs this in preheated kernels)."""
        data, cycle = self._data_for(ALL), self.cycle.value
        for view in ("heatmap", "distribution", "agreement", "transitions"):
            key = (Selection(view=view, cycle=cycle), ALL)
            shown = self._views.setdefault(key, compute(key[0], data))
            shown.render("table", lambda shown=shown: data_table_html(shown.table))
            if self.draw == "page":
                shown.render("figure", lambda shown=shown: figure_script(shown.figure))
        return self

    def _ipython_display_(self) -> None:
        display(self.widget)

    # ----------------------------------------------------------------- state and URL

    def state(self) -> dict[str, object]:
        """The controls as URL values (see :mod:`qio_analysis.explorer.state`)."""
        return {
            "view": self.view.value,
            "cycle": self.cycle.value,
            "region": None if self.region.value == ALL else self.region.value,
            "outcome": self.outcome.value or None,
            "org": self._org_code,
            "compare": self.compare.value or None,
            "type": None if self.org_type.value == ALL else self.org_type.value,
            "assessment": self.assessment.value,
            "sort": self.sort.value,
        }

    @property
    def query(self) -> str:
        """The shareable query string for what is on screen (``""`` for the defaults)."""
        return to_query(self.state(), self._defaults)

    def apply_query(self, query: str) -> None:
        """Set the controls from a query string, then redraw once. Bad values are named, not fatal.

        A page sends its query once, when it opens: so this is also where a
        visit finds out whether the export files changed (:meth:`check_inputs`).
        """
        self.check_inputs()
        link = read_link(query)
        wanted = link.asked
        unknown: list[tuple[str, str]] = []
        self._holding = True
        try:
            for key, control in self._by_key.items():
                if key not in wanted:
                    continue
                raw = wanted[key]
                match = option_matching(control, raw)
                if match is None and key == "region":
                    match = ALL if raw.lower() in ("all", "england") else None
                if match is None:
                    unknown.append((key, raw))
                else:
                    control.value = match
            if "org" in wanted:
                code = wanted["org"].upper()
                if code in self._label_by_org:
                    self._org_code = code
                    self.organisation.value = self._label_by_org[code]
                else:
                    unknown.append(("org", wanted["org"]))
        finally:
            self._holding = False
        self._applied = query
        self._link_note = link_message(link, unknown)
        self.refresh()

    # ----------------------------------------------------------------- organisation search

    def find_organisations(self, text: str) -> list[str]:
        """Codes of organisations matching a code, a full label or any part of a name."""
        text = (text or "").strip()
        if not text:
            return []
        if text in self._org_by_label:
            return [self._org_by_label[text]]
        if text.upper() in self._org_names:
            return [text.upper()]
        needle = text.lower()
        return [
            code
            for code, name in self._org_names.items()
            if needle in name.lower() or needle in code.lower()
        ]

    def _organisation_typed(self, change: dict[str, Any]) -> None:
        if self._holding:
            return
        matches = self.find_organisations(change["new"])
        self._search_note = ""
        if len(matches) == 1:
            self._org_code = matches[0]
            label = self._label_by_org[matches[0]]
            if self.organisation.value != label:
                self._holding = True
                self.organisation.value = label
                self._holding = False
        else:
            self._org_code = None
            text = (change["new"] or "").strip()
            if text and not matches:
                self._search_note = (
                    f"No organisation matches \u201c{text}\u201d. Try part of the name or the code."
                )
            elif matches:
                self._search_note = f"{len(matches)} organisations match \u201c{text}\u201d: type more, or choose one from the list."
        self.refresh()

    # ----------------------------------------------------------------- updates

    def _changed(self, change: dict[str, Any]) -> None:
        if not self._holding:
            self._link_note = ""
            self.refresh()

    def _data_for(self, org_type: str) -> Data:
        if org_type not in self._data:
            subs, stats = self.subs, self.statistics
            if org_type != ALL and self.organisations is not None:
                orgs = self.organisations[self.organisations["org_type"] == org_type]
                subs = subs[subs["org_code"].isin(set(orgs["org_code"]))]
                if stats is not None and "service_code" in orgs:
                    stats = stats[stats["service_code"].isin(set(orgs["service_code"].dropna()))]
            self._data[org_type] = Data(
                subs, stats, self.organisations, self.min_group, self._org_names
            )
        return self._data[org_type]

    def selection(self) -> Selection:
        """The controls as a :class:`~qio_analysis.explorer.views.Selection`."""
        return Selection(
            view=self.view.value,
            cycle=self.cycle.value,
            region=None if self.region.value == ALL else self.region.value,
            outcome=self.outcome.value,
            assessment=self.assessment.value,
            compare=self.compare.value,
            org=self._org_code,
            sort=self.sort.value,
        )

    def _mark_unused(self) -> None:
        unused = NOT_USED.get(self.view.value, {})
        for key, control in {**self._by_key, "org": self.organisation}.items():
            if key in ("view", "cycle", "type"):
                continue
            reason = unused.get(key)
            if key == "sort" and self.view.value != "heatmap":
                reason = "Sorting applies to the organisations \u00d7 outcomes heatmap."
            control.disabled = reason is not None
            control.tooltip = f"Not used in this view: {reason}" if reason else None
        if self.outcome.value:
            self.outcome.tooltip = self.outcome.tooltip or OUTCOMES[self.outcome.value - 1].text

    def refresh(self) -> None:
        """Recompute the current view and redraw the chart, table, messages and URL."""
        if self._holding:
            return
        start = time.perf_counter()
        self._mark_unused()
        self.help.value = f'<p class="qio-help">{escape_html(VIEWS[self.view.value][1])}</p>'
        search = self._search_note
        uses_org = "org" not in NOT_USED.get(self.view.value, {})
        if uses_org and search and self._org_code is None:
            view = message_view(search, title="Choose an organisation")
        else:
            key = (self.selection(), self.org_type.value)
            view = self._views.pop(key, None) or compute(*key[:1], self._data_for(key[1]))
            self._views[key] = view  # most recent last; the oldest go first
            while len(self._views) > KEPT_VIEWS:
                self._views.pop(next(iter(self._views)))
        self.figure, self.table = view.figure, view.table
        messages = [m for m in (self._data_note, self._link_note, view.message) if m]
        self.message.value = "".join(
            f'<p class="qio-message" role="status">{escape_html(m)}</p>' for m in messages
        )
        if self.draw == "page":
            self.figure_json.value = view.render("figure", lambda: figure_script(view.figure))
        else:
            with self.chart:
                self.chart.clear_output(wait=True)
                display(figure_bundle(view.figure), raw=True)
        self.table_view.value = view.render("table", lambda: data_table_html(view.table))
        self.downloads.value = ""
        self.provenance.value = self._provenance_html()
        self.url_out.value = f'<span data-query="{escape_html(self.query)}" data-applied="{escape_html(self._applied)}"></span>'
        self.last_update_s = time.perf_counter() - start
