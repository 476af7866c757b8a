"""Workforce and activity charts: staff ratio against target, headline tiles, activity trends."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.figures.template import NHS_COLOURS, empty_figure, esc, finish
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.reference import NATIONAL


def fig_staff_ratio(
    ratio: pd.DataFrame, *, year: str | None = None, title: str | None = None
) -> go.Figure:
    """NHS WTE per qualified LKS WTE by region against the target (a dashed line).

    Takes :func:`~qio_analysis.metrics.staff_ratio` with ``by="region"`` (or
    per service). Lower is better; each bar is labelled ``1:N`` and the hover
    says whether the target is met, so meaning does not rest on colour.
    """
    if ratio.empty:
        return empty_figure("There are no statistics returns to show.")
    year = year or ratio.sort_values("year_start")["year"].iloc[-1]
    part = ratio[(ratio["year"] == year) & ratio["nhs_wte_per_qualified"].notna()]
    if part.empty:
        return empty_figure(f"No staff ratio can be calculated for {year}.")
    label_col = "region" if "region" in part.columns else "service_name"
    target = float(part["target"].iloc[0])
    names = part[label_col].tolist()
    y = [f"<b>{esc(n)}</b>" if n == NATIONAL else esc(n) for n in names]
    colours = [NHS_COLOURS["dark_blue"] if n == NATIONAL else NHS_COLOURS["blue"] for n in names]
    meets = [
        "meets the target" if bool(m) else "does not meet the target" for m in part["meets_target"]
    ]
    fig = go.Figure(
        go.Bar(
            x=part["nhs_wte_per_qualified"],
            y=y,
            orientation="h",
            marker={"color": colours},
            text=[f"1:{v:,.0f}" for v in part["nhs_wte_per_qualified"]],
            textposition="outside",
            customdata=list(
                zip(
                    meets,
                    part["qualified_wte"],
                    part["nhs_wte"],
                    part["qualified_wte_gap"],
                    strict=True,
                )
            ),
            hovertemplate="%{y}: 1:%{x:,.0f} (%{customdata[0]})<br>Qualified WTE %{customdata[1]:,.1f}, "
            "NHS WTE %{customdata[2]:,.0f}<br>Extra qualified WTE needed: %{customdata[3]:,.1f}<extra></extra>",
            showlegend=False,
        )
    )
    top = max(float(part["nhs_wte_per_qualified"].max()), target) * 1.18
    fig.add_vline(x=target, line={"color": NHS_COLOURS["black"], "dash": "dash", "width": 2})
    fig.add_annotation(
        x=target,
        y=1.0,
        yref="paper",
        yanchor="bottom",
        text=f"Target 1:{target:,.0f}",
        showarrow=False,
        font={"size": 13, "color": NHS_COLOURS["black"]},
    )
    fig.update_xaxes(
        range=[0, top],
        title_text="NHS staff WTE per qualified LKS WTE (lower is better)",
        tickformat=",",
    )
    fig.update_yaxes(autorange="reversed")
    groups = part[part[label_col] != NATIONAL]
    met = int(groups["meets_target"].fillna(False).sum())
    national = part[part[label_col] == NATIONAL]
    if title is None:
        where = (
            f"; England is at 1:{national['nhs_wte_per_qualified'].iloc[0]:,.0f}"
            if len(national)
            else ""
        )
        title = f"{met} of {len(groups)} regions meet the 1:{target:,.0f} staffing target in {year}{where}"
    table = part[
        [
            label_col,
            "year",
            "qualified_wte",
            "nhs_wte",
            "nhs_wte_per_qualified",
            "meets_target",
            "qualified_wte_gap",
            "note",
        ]
    ]
    alt = (
        f"Horizontal bars of NHS staff WTE per qualified LKS WTE in {year}, with a dashed line at the target of "
        f"1:{target:,.0f}. "
        + "; ".join(
            f"{n}: 1:{v:,.0f}" for n, v in zip(names, part["nhs_wte_per_qualified"], strict=True)
        )
        + "."
    )
    return finish(fig, title=title, alt_text=alt, table=table.round(1), height=150 + 46 * len(part))


_FORMATS = {
    "count": {"valueformat": ",.0f"},
    "wte": {"valueformat": ",.0f"},
    "ratio": {"valueformat": ",.0f", "prefix": "1:"},
    "percent": {"valueformat": ".1f", "suffix": "%"},
    "rate": {"valueformat": ".1f"},
    "gbp": {"valueformat": ",.1f", "prefix": "\u00a3", "suffix": "m"},
}
DEFAULT_TILES = (
    "qualified_wte",
    "nhs_wte_per_qualified",
    "registered_users_pct",
    "expert_searches",
    "people_trained",
    "expenditure_gbp",
)


def fig_headline_tiles(
    headlines: pd.DataFrame,
    *,
    measures: tuple[str, ...] = DEFAULT_TILES,
    columns: int = 3,
    title: str | None = None,
) -> go.Figure:
    """Big-number tiles with year-on-year arrows, for the annual infographic.

    Takes :func:`~qio_analysis.metrics.headline_figures`. Arrows show the
    direction (▲/▼ shapes, not only colour); green marks an improvement and
    pink a worsening, which for the staff ratio means a lower ratio is green.
    """
    rows = headlines.set_index("measure").reindex(list(measures)).dropna(subset=["label"])
    if rows.empty:
        return empty_figure("There are no headline figures for this year.")
    n_rows = math.ceil(len(rows) / columns)
    fig = go.Figure()
    good, bad = NHS_COLOURS["dark_green"], NHS_COLOURS["dark_pink"]
    for i, (measure, row) in enumerate(rows.iterrows()):
        r, c = divmod(i, columns)
        scale = 1e-6 if row["unit"] == "gbp" else 1.0
        fmt = _FORMATS[row["unit"]]
        higher_better = measure != "nhs_wte_per_qualified"
        has_previous = not pd.isna(row["previous"]) and row["previous"] != 0
        fig.add_trace(
            go.Indicator(
                mode="number+delta" if has_previous else "number",
                value=row["value"] * scale,
                number={
                    "valueformat": fmt["valueformat"],
                    "prefix": fmt.get("prefix", ""),
                    "suffix": fmt.get("suffix", ""),
                    "font": {"size": 40, "color": NHS_COLOURS["dark_blue"]},
                },
                delta={
                    "reference": (row["previous"] * scale) if has_previous else None,
                    "relative": True,
                    "valueformat": ".1%",
                    "increasing": {"color": good if higher_better else bad, "symbol": "\u25b2 "},
                    "decreasing": {"color": bad if higher_better else good, "symbol": "\u25bc "},
                    "font": {"size": 16},
                }
                if has_previous
                else None,
                title={
                    "text": f"{esc(row['label'])}<br><span style='font-size:12px'>{row['year']}"
                    + (" vs previous year" if has_previous else "")
                    + "</span>",
                    "font": {"size": 15},
                },
                domain={"row": r, "column": c},
            )
        )
    fig.update_layout(
        grid={"rows": n_rows, "columns": columns, "pattern": "independent", "ygap": 0.3}
    )
    year = rows["year"].iloc[0]
    if title is None:
        title = f"LKS in England, {year}: the year in numbers"

    def words(row: pd.Series) -> str:
        change = (
            ""
            if pd.isna(row["change_pct"])
            else f" ({row['change_pct']:+.1f}% on the previous year)"
        )
        return f"{row['label']}: {row['value']:,.1f}{change}"

    alt = f"Headline tiles for {year}. " + "; ".join(words(r) for _, r in rows.iterrows()) + "."
    table = rows.reset_index()[
        ["measure", "label", "year", "value", "previous", "change_pct", "direction", "better"]
    ]
    return finish(fig, title=title, alt_text=alt, table=table.round(2), height=100 + 170 * n_rows)


def fig_activity_trend(rates: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Activity per 1,000 NHS WTE across years, one small panel per activity (own scales).

    Takes national :func:`~qio_analysis.metrics.activity_rates` (``by=[]``).
    """
    if rates.empty:
        return empty_figure("There are no statistics returns to show.")
    data = rates.sort_values("year_start")
    names = list(ACTIVITIES)
    fig = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=[f"{ACTIVITIES[m]} per 1,000 NHS WTE" for m in names],
        vertical_spacing=0.2,
        horizontal_spacing=0.07,
    )
    for i, measure in enumerate(names):
        col = f"{measure}_per_1000_wte"
        fig.add_trace(
            go.Scatter(
                x=data["year"],
                y=data[col],
                mode="lines+markers+text",
                showlegend=False,
                line={"color": NHS_COLOURS["blue"], "width": 3},
                marker={"size": 7},
                text=[""] * (len(data) - 1) + [f"{data[col].iloc[-1]:.1f}"],
                textposition="bottom left",
                hovertemplate=f"{ACTIVITIES[measure]} per 1,000 NHS WTE, %{{x}}: %{{y:.1f}}<extra></extra>",
            ),
            row=i // 3 + 1,
            col=i % 3 + 1,
        )
    fig.update_yaxes(gridcolor="#D6D6D6")
    for i, measure in enumerate(names):
        top = data[f"{measure}_per_1000_wte"].max()
        fig.update_yaxes(
            range=[0, (1.0 if pd.isna(top) else float(top)) * 1.15], row=i // 3 + 1, col=i % 3 + 1
        )
    fig.update_xaxes(tickangle=-45, tickfont={"size": 11})
    for annotation in fig.layout.annotations:
        annotation.update(font={"size": 13})
    first, last = data.iloc[0], data.iloc[-1]
    ups = [
        ACTIVITIES[m].lower()
        for m in names
        if last[f"{m}_per_1000_wte"] > first[f"{m}_per_1000_wte"]
    ]
    if title is None:
        title = f"Per 1,000 NHS staff, {len(ups)} of {len(names)} activities grew between {first['year']} and {last['year']}"
    table = data[["year", *[f"{m}_per_1000_wte" for m in names]]].round(2)
    alt = (
        f"Six line charts of activity per 1,000 NHS WTE from {first['year']} to {last['year']}. "
        + "; ".join(
            f"{ACTIVITIES[m]}: {first[f'{m}_per_1000_wte']:.1f} to {last[f'{m}_per_1000_wte']:.1f}"
            for m in names
        )
        + "."
    )
    return finish(fig, title=title, alt_text=alt, table=table, height=620)
