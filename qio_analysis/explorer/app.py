"""The explorer's widgets: controls, chart, table, downloads and the URL bridge."""

from __future__ import annotations

import base64
import html
import json
import os
import shutil
import time
import warnings
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from qio_analysis.explorer.state import parse_query, to_query
from qio_analysis.explorer.views import (
    NOT_USED,
    VIEWS,
    Data,
    Selection,
    View,
    compute,
    message_view,
)
from qio_analysis.figures.template import plotly_config
from qio_analysis.framework import OUTCOMES
from qio_analysis.io.writers import csv_bytes, xlsx_bytes
from qio_analysis.metrics.disclosure import DEFAULT_MIN_GROUP
from qio_analysis.reference import REGION_NAMES
from qio_analysis.report.display import PLOTLY_MIME, figure_bundle, table_html
from qio_analysis.report.inputs import load_inputs

ALL = "__all__"
#: How charts reach the screen. ``"output"``: a plotly mime bundle in an Output
#: widget (JupyterLab). ``"page"``: the figure's JSON in a hidden widget, drawn by
#: the page's own plotly.js with ``Plotly.react`` on one lasting chart (``qio
#: explore`` sets this through the environment; see the Voila template ``qio``).
#: JupyterLab's plotly renderer draws every new output about three times (react,
#: a redraw on attach, and a PNG snapshot), which is most of a control change.
DRAW_ENV = "QIO_EXPLORE_DRAW"
DRAW_MODES = ("output", "page")
#: Rows of the data table drawn under the chart (a long table slows the page; downloads have all).
TABLE_ROWS = 200
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
#: Readable table headers (anything else: underscores to spaces, first letter capital).
HEADERS = {
    "org_code": "Code",
    "org_name": "Organisation",
    "n": "Organisations",
    "n_compared": "Organisations compared",
    "n_services": "Services",
    "n_scored": "Organisations with a level",
    "pct": "%",
    "pct_improved": "% improved",
    "pct_same": "% same",
    "pct_declined": "% declined",
    "nhs_wte_per_qualified": "NHS WTE per qualified LKS WTE (1:N)",
    "qualified_wte": "Qualified LKS WTE",
    "qualified_wte_gap": "Qualified WTE gap to target",
    "nhs_wte": "NHS WTE",
    "rate": "Per 1,000 NHS WTE",
    "comparison": "Compared with",
    "peer_group": "Similar services (peer group)",
}


def chromium_path() -> str | None:
    """A Chromium for kaleido's PNG export, if this machine has one."""
    for name in CHROMIUM:
        path = Path(name)
        found = str(path) if path.is_absolute() and path.exists() else shutil.which(name)
        if found:
            return found
    return None


def readable(frame: pd.DataFrame, *, digits: int | None = None) -> pd.DataFrame:
    """A table for people: readable headers, whole numbers without ``.0``, no raw lists.

    >>> readable(pd.DataFrame({"n_compared": [2.0, 3.0], "pct_improved": [50.0, 12.5]}))
       Organisations compared  % improved
    0                       2        50.0
    1                       3        12.5
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_float_dtype(series):
            finite = series.dropna()
            if len(finite) and (finite == finite.round()).all() and finite.abs().max() < 2**53:
                out[column] = series.round().astype("Int64")
            elif digits is not None:
                out[column] = series.round(digits)
        elif series.dtype == object and series.map(lambda v: isinstance(v, list | tuple)).any():
            out[column] = series.map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    names = {
        c: HEADERS.get(str(c), str(c).replace("_", " ").strip().capitalize() or str(c))
        for c in out.columns
    }
    return out.rename(columns=names)


def figure_script(fig: go.Figure) -> str:
    """The figure as inert JSON for the page's plotly.js (``<`` ``>`` ``&`` escaped, so no markup).

    >>> figure_script(go.Figure(layout={"title": {"text": "</script><b>"}}))[:40]
    '<script type="application/json">{"data":'
    """
    spec = figure_bundle(fig)[PLOTLY_MIME]
    text = json.dumps(spec, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json">{text}</script>'


class LevelExplorer:
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
    ) -> None:
        self.draw = draw or os.environ.get(DRAW_ENV) or "output"
        if self.draw not in DRAW_MODES:
            raise ValueError(f"draw must be one of {DRAW_MODES}, not {self.draw!r}")
        self.subs = submissions
        self.statistics = statistics
        self.organisations = organisations
        self.min_group = min_group
        self._data: dict[str, Data] = {}
        self._views: dict[tuple[Selection, str], View] = {}
        cycles = sorted(int(c) for c in submissions["cycle"].unique())
        regions = [r for r in REGION_NAMES if r in set(submissions["region"])]
        names = submissions.drop_duplicates("org_code").sort_values("org_name")
        self._org_names = dict(zip(names["org_code"], names["org_name"], strict=True))
        self._org_by_label = {f"{n} ({c})": c for c, n in self._org_names.items()}
        self._label_by_org = {c: label for label, c in self._org_by_label.items()}
        types = (
            sorted(organisations["org_type"].dropna().unique())
            if organisations is not None and "org_type" in organisations
            else []
        )
        style = {"description_width": "8em"}
        self.view = w.ToggleButtons(
            options=[(label, key) for key, (label, _) in VIEWS.items()],
            value=view,
            description="View",
            style={"description_width": "8em", "button_width": "auto"},
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
        self.org_type = w.Dropdown(
            options=[("All types", ALL), *[(t, t) for t in types]],
            value=ALL,
            description="Organisation type",
            style=style,
            disabled=not types,
            tooltip="" if types else "Needs the organisations table (--organisations).",
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
        self.sort = w.Dropdown(
            options=[("Name", "name"), ("Level, highest first", "level")],
            value="name",
            description="Sort by",
            style=style,
        )
        self.organisation = w.Combobox(
            options=list(self._org_by_label),
            placeholder="Name or code, then Enter",
            ensure_option=False,
            continuous_update=False,
            description="Organisation",
            style=style,
        )
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
        self.table_view = w.HTML(layout=w.Layout(max_height="320px", overflow="auto"))
        self.downloads = w.HTML()
        self.url_in = w.Text(layout=w.Layout(display="none"))
        self.url_in.add_class("qio-url-in")
        self.url_out = w.HTML(layout=w.Layout(display="none"))
        self.url_out.add_class("qio-url-out")
        glossary = "".join(
            f"<dt>{o.number}. {html.escape(o.short)}</dt><dd>{html.escape(o.text)}</dd>"
            for o in OUTCOMES
        )
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
                w.HTML("<b>Data behind the chart</b>"),
                self.table_view,
                w.HBox([*buttons, png]),
                self.downloads,
                self.url_in,
                self.url_out,
            ],
            layout=w.Layout(max_width="1100px"),
        )
        self.widget.add_class("qio-explorer")
        self.figure: go.Figure = go.Figure()
        self.table = pd.DataFrame()
        self.last_update_s = 0.0
        self._holding = False
        self._applied = ""
        self._link_note = ""
        self._defaults = self.state()
        for control in self._controls().values():
            control.observe(self._changed, names="value")
        self.organisation.observe(self._organisation_typed, names="value")
        self.url_in.observe(lambda change: self.apply_query(change["new"]), names="value")
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
        kwargs.setdefault("is_demo", inputs.is_demo)
        return cls(inputs.submissions, inputs.statistics, inputs.organisations, **kwargs)

    def warm(self) -> LevelExplorer:
        """Compute the latest cycle's views ahead of time (Voila runs this in preheated kernels)."""
        data, cycle = self._data_for(ALL), self.cycle.value
        for view in ("heatmap", "distribution", "agreement", "transitions"):
            key = (Selection(view=view, cycle=cycle), ALL)
            shown = self._views.setdefault(key, compute(key[0], data))
            shown.render("table", lambda shown=shown: self._table_html(shown.table))
            if self.draw == "page":
                shown.render("figure", lambda shown=shown: figure_script(shown.figure))
        return self

    def _ipython_display_(self) -> None:
        display(self.widget)

    def _controls(self) -> dict[str, w.ValueWidget]:
        return {
            "view": self.view,
            "cycle": self.cycle,
            "region": self.region,
            "outcome": self.outcome,
            "compare": self.compare,
            "type": self.org_type,
            "assessment": self.assessment,
            "sort": self.sort,
        }

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
        """Set the controls from a query string, then redraw once. Bad values are named, not fatal."""
        wanted = parse_query(query)
        notes = []
        self._holding = True
        try:
            for key, control in self._controls().items():
                if key not in wanted:
                    continue
                raw = wanted[key]
                values = (
                    [v for _, v in control.options]
                    if isinstance(control.options[0], tuple)
                    else list(control.options)
                )
                match = next((v for v in values if str(v).lower() == raw.lower()), None)
                if match is None and key == "region":
                    match = ALL if raw.lower() in ("all", "england") else None
                if match is None:
                    notes.append(f"{key}={raw}")
                else:
                    control.value = match
            if "org" in wanted:
                code = wanted["org"].upper()
                if code in self._label_by_org:
                    self._org_code = code
                    self.organisation.value = self._label_by_org[code]
                else:
                    notes.append(f"org={wanted['org']}")
        finally:
            self._holding = False
        self._applied = query
        self._link_note = (
            "This link asked for "
            + ", ".join(notes)
            + ", which is not in the data; it was left out."
            if notes
            else ""
        )
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
        for key, control in {**self._controls(), "org": self.organisation}.items():
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
        self.help.value = f'<p class="qio-help">{html.escape(VIEWS[self.view.value][1])}</p>'
        search = self._search_note
        uses_org = "org" not in NOT_USED.get(self.view.value, {})
        if uses_org and search and self._org_code is None:
            view = message_view(search, title="Choose an organisation")
        else:
            key = (self.selection(), self.org_type.value)
            view = self._views.pop(key, None) or compute(*key[:1], self._data_for(key[1]))
            self._views[key] = view  # most recent last; the oldest go first
            while len(self._views) > 64:
                self._views.pop(next(iter(self._views)))
        self.figure, self.table = view.figure, view.table
        messages = [m for m in (self._link_note, view.message) if m]
        self.message.value = "".join(
            f'<p class="qio-message" role="status">{html.escape(m)}</p>' for m in messages
        )
        if self.draw == "page":
            self.figure_json.value = view.render("figure", lambda: figure_script(view.figure))
        else:
            with self.chart:
                self.chart.clear_output(wait=True)
                display(figure_bundle(view.figure), raw=True)
        self.table_view.value = view.render("table", lambda: self._table_html(view.table))
        self.downloads.value = ""
        self.url_out.value = f'<span data-query="{html.escape(self.query)}" data-applied="{html.escape(self._applied)}"></span>'
        self.last_update_s = time.perf_counter() - start

    def _table_html(self, table: pd.DataFrame) -> str:
        """The data behind the chart, its first rows only when long (the downloads have all)."""
        if table.empty:
            return ""
        shown = readable(table.head(TABLE_ROWS), digits=1)
        more = len(table) - len(shown)
        note = (
            f'<p class="qio-help">First {len(shown):,} of {len(table):,} rows; '
            "download the table for all of them.</p>"
            if more > 0
            else ""
        )
        return note + table_html(shown)

    # ----------------------------------------------------------------- downloads

    def _button(self, label: str, action: Any) -> w.Button:
        button = w.Button(description=label, icon="download", layout=w.Layout(width="auto"))
        button.on_click(lambda _: action())
        return button

    def _offer(self, name: str, mime: str, data: bytes, note: str = "") -> None:
        encoded = base64.b64encode(data).decode("ascii")
        self.downloads.value = (
            f'<a download="{html.escape(name)}" href="data:{mime};base64,{encoded}">Download {html.escape(name)}</a>'
            f" ({len(data) / 1024:,.0f} KB)"
            + (f'<p class="qio-message" role="status">{html.escape(note)}</p>' if note else "")
        )

    @staticmethod
    def _spreadsheet(write: Any) -> tuple[bytes, str]:
        """Bytes from the safe writers, and a note when they had to change text from the data."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data = write()
        changed = [str(c.message) for c in caught if "safe" in str(c.message).lower()]
        note = (
            "Some text from the data was changed so that the file is safe to open in a "
            "spreadsheet (it started like a formula or held characters Excel refuses)."
            if changed
            else ""
        )
        return data, note

    def _stem(self) -> str:
        region = (
            "all-regions"
            if self.region.value == ALL
            else self.region.value.lower().replace(" ", "-")
        )
        return f"qio-{self.view.value}-{self.cycle.value}-{region}"

    def _download_csv(self) -> None:
        data, note = self._spreadsheet(lambda: csv_bytes(readable(self.table)))
        self._offer(f"{self._stem()}.csv", "text/csv", data, note)

    def _download_xlsx(self) -> None:
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data, note = self._spreadsheet(lambda: xlsx_bytes({"data": readable(self.table)}))
        self._offer(f"{self._stem()}.xlsx", mime, data, note)

    def _download_html(self) -> None:
        page = self.figure.to_html(include_plotlyjs=True, full_html=True, config=plotly_config())
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
