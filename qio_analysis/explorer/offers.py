"""The files the explorer offers for what it shows, and what each says about itself.

:class:`Offers` is part of :class:`~qio_analysis.explorer.app.LevelExplorer`:
it reads the dashboard's state (controls, current view, the files read) and
hands it to :mod:`~qio_analysis.explorer.downloads` and
:mod:`~qio_analysis.explorer.saved`, which make the files.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as w

from qio_analysis.errors import QioConfigError
from qio_analysis.explorer import downloads, saved
from qio_analysis.explorer.downloads import About, when
from qio_analysis.explorer.views import VIEWS, View
from qio_analysis.figures.template import figure_alt_text, plain
from qio_analysis.text import escape_html

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from qio_analysis.io.inputs import Inputs


class Offers:
    """Download buttons and the files behind them, for a :class:`LevelExplorer`."""

    # The dashboard's state, set by LevelExplorer.
    figure: go.Figure
    table: pd.DataFrame
    inputs: Inputs | None
    is_demo: bool

    def download_buttons(self) -> list[w.Button]:
        """One button per file; those drawing the chart need Chromium on the server."""
        buttons = [
            self._button("Table (CSV)", self._download_csv),
            self._button("Table (Excel)", self._download_xlsx),
        ]
        drawn = [
            self._button("Chart (PNG)", self._download_png),
            self._button("Chart (SVG)", self._download_svg),
            self._button("Chart (HTML)", self._download_html),
            self._button("Save this view", self._save_view, icon="save"),
        ]
        if not downloads.png_available():
            for button in drawn:
                button.disabled = True
                button.tooltip = "Charts are drawn to files by a Chromium browser on the server"
        return buttons + drawn

    def _provenance_html(self) -> str:
        if self.inputs is None:
            return ""
        files = ", ".join(self.inputs.sources)
        read = f" read at {when(self.inputs.read_at)}" if self.inputs.read_at else ""
        return f'<p class="qio-help">Data: {escape_html(files)}{escape_html(read)}.</p>'

    def about(self) -> About:
        """What the current view shows and where its data came from, for the files it offers."""
        view = self._views.get((self.selection(), self.org_type.value))
        sel = self.selection()
        subject = (view.subject if view else "") or (
            self._org_names.get(sel.org, "") if sel.view == "radar" else (sel.region or "England")
        )
        compared = sel.compare and sel.compare < sel.cycle and not self.compare.disabled
        years = (view.years if view else "") or (
            f"{sel.compare}-to-{sel.cycle}" if compared else str(sel.cycle)
        )
        title = plain(self.figure.layout.title.text or "") or VIEWS[sel.view][0]
        inputs = self.inputs
        return About(
            title=title,
            view=sel.view,
            subject=subject,
            years=years,
            filters=tuple(self._filters()),
            sources=tuple(inputs.sources) if inputs else (),
            read_at=inputs.read_at if inputs else None,
            data_date=inputs.data_date if inputs else None,
            is_demo=self.is_demo,
        )

    def _filters(self) -> list[tuple[str, str]]:
        """Each control the view uses, with its value as the page shows it."""
        shown = [("View", VIEWS[self.view.value][0])]
        for control in (
            self.cycle,
            self.compare,
            self.region,
            self.org_type,
            self.outcome,
            self.assessment,
            self.sort,
        ):
            if control.disabled or (control is self.sort and self.view.value != "heatmap"):
                continue
            shown.append((control.description, str(control.label)))
        if not self.organisation.disabled and self._org_code:
            shown.append(("Organisation", self._label_by_org[self._org_code]))
        return shown

    def _button(self, label: str, action: Callable[[], None], icon: str = "download") -> w.Button:
        button = w.Button(description=label, icon=icon, layout=w.Layout(width="auto"))
        button.on_click(lambda _: action())
        return button

    def _offer(self, make: Callable[[About], downloads.Download]) -> None:
        self.downloads.value = '<p class="qio-download" role="status">Preparing the file\u2026</p>'
        try:
            self.downloads.value = make(self.about()).link()
        except QioConfigError as exc:
            self.downloads.value = f'<p class="qio-message" role="status">{escape_html(exc)}</p>'

    def _current(self) -> View | None:
        return self._views.get((self.selection(), self.org_type.value))

    def _svg(self) -> bytes:
        """The current chart as SVG, drawn once per view."""

        def draw() -> str:
            image = downloads.chart_image(self.figure, self.about(), "svg")
            return base64.b64encode(image.data).decode("ascii")

        view = self._current()
        return base64.b64decode(view.render("svg", draw) if view else draw())

    def _download_csv(self) -> None:
        self._offer(lambda about: downloads.table_csv(self.table, about))

    def _download_xlsx(self) -> None:
        self._offer(lambda about: downloads.table_xlsx(self.table, about))

    def _download_png(self) -> None:
        self._offer(lambda about: downloads.chart_image(self.figure, about, "png"))

    def _download_svg(self) -> None:
        self._offer(
            lambda about: downloads.Download(f"{about.stem}.svg", "image/svg+xml", self._svg())
        )

    def _download_html(self) -> None:
        self._offer(
            lambda about: saved.chart_html(
                about,
                svg=self._svg(),
                alt_text=figure_alt_text(self.figure),
                table_html=self.table_view.value,
            )
        )

    def _save_view(self) -> None:
        view = self._current()
        self._offer(
            lambda about: saved.saved_view(
                about,
                svg=self._svg(),
                alt_text=figure_alt_text(self.figure),
                help_text=VIEWS[self.view.value][1],
                messages=(
                    self._data_note,
                    self._link_note,
                    view.message if view else self._search_note,
                ),
                table_html=self.table_view.value,
            )
        )
