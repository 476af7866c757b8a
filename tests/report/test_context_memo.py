"""The region-wide part of the context section is built once per region, and shown exactly as before."""

from __future__ import annotations

import qio_analysis as qa
from qio_analysis.figures.context import fig_context
from qio_analysis.memo import clear_memo
from qio_analysis.metrics.disclosure import suppressed_context
from qio_analysis.report import context as ctx
from qio_analysis.report import display as d
from tests.report.test_context import org, small_subs


def _outputs(monkeypatch, subs, code: str) -> list:
    captured: list = []
    monkeypatch.setattr(d, "display", lambda obj, **kw: captured.append((obj, kw)))
    ctx.regional_context(subs, org(code), 2025, min_group=5)
    return [(o if isinstance(o, dict) else o.data, kw) for o, kw in captured]


def test_a_memoised_region_shows_the_same_outputs_as_a_fresh_build(monkeypatch):
    subs = small_subs()
    clear_memo()
    fresh = _outputs(monkeypatch, subs, "ZQ03")
    again = _outputs(monkeypatch, subs, "ZQ04")  # same region (South West), served from the memo
    assert again == fresh
    # and the chart is what show() displays for the figure itself
    figure = fig_context(suppressed_context(subs, "South West", 2025, min_group=5))
    assert fresh[2][0] == d.figure_bundle(figure)


def test_changed_data_is_not_served_the_old_context(monkeypatch):
    subs = small_subs()
    before = _outputs(monkeypatch, subs, "ZQ03")
    changed = subs.copy()
    changed.loc[changed["org_code"] == "ZQ04", "level"] = 4
    changed.loc[changed["org_code"] == "ZQ04", "score"] = 4.0
    after = _outputs(monkeypatch, changed, "ZQ03")

    # England: 8 of 15 organisations at Level 3 or above before (53%), 9 of 15 after (60%).
    def summary(outputs):
        return next(o for o, _ in outputs if isinstance(o, str) and "Median validated level" in o)

    assert "<td>53%</td>" in summary(before) and "<td>60%</td>" not in summary(before)
    assert "<td>60%</td>" in summary(after) and "<td>53%</td>" not in summary(after)


def test_show_is_chart_outputs_then_show_outputs(monkeypatch):
    fig = qa.fig_radar(qa.level_profile(small_subs(), "ZQ01", 2025))
    captured: list = []
    monkeypatch.setattr(d, "display", lambda obj, **kw: captured.append(obj))
    d.show(fig)
    assert captured[0] == d.figure_bundle(fig)
    assert "Data behind this chart" in captured[1].data
    assert d.chart_outputs(fig, data_table=False)[1] is None
