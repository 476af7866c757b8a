"""The organisation radar: validated levels of every cycle plus this cycle's self-evaluation."""

from __future__ import annotations

import textwrap
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.figures.template import (
    LEVEL_TICKS,
    NHS_COLOURS,
    FigureLayout,
    bottom_legend_layout,
    empty_figure,
    make_figure,
    with_alpha,
)
from qio_analysis.framework import LEVELS, OUTCOME_SHORT
from qio_analysis.metrics.history import history_wide
from qio_analysis.text import escape_html
from qio_analysis.words import NO_RETURN, NOT_VALIDATED, level_words
from qio_analysis.words.chart_levels import radar_words

#: Where a point sits within its level's ring (the ring of Level n runs from n to n + 1).
#: A level without a sub-level says nothing about where within the level it is: the middle.
WITHIN_RING: dict[str | None, float] = {"Low": 0.25, "Medium": 0.5, "High": 0.75, None: 0.5}

#: Earlier cycles: the cycle before in dark grey, older ones lighter; all dashed or dotted.
_EARLIER_STYLES = (
    (NHS_COLOURS["dark_grey"], "dash", "square-open"),
    (NHS_COLOURS["mid_grey"], "dot", "triangle-up-open"),
    (NHS_COLOURS["mid_grey"], "dashdot", "x-thin-open"),
)


def _history_from_profile(profile: pd.DataFrame) -> pd.DataFrame:
    """The radar's series from a profile alone: its previous cycle, self and validated."""
    cycle = int(profile["cycle"].iloc[0])
    previous = profile["previous_cycle"].iloc[0]
    specs = [] if pd.isna(previous) else [("previous", int(previous), "validated", 1)]
    specs += [("self", cycle, "self", 0), ("validated", cycle, "validated", 0)]
    parts = []
    for prefix, c, assessment, age in specs:
        word = "Validated" if assessment == "validated" else "Self-evaluated"
        missing = NOT_VALIDATED if assessment == "validated" else NO_RETURN
        parts.append(
            pd.DataFrame(
                {
                    "cycle": c,
                    "assessment": assessment,
                    "outcome": profile["outcome"].to_numpy(),
                    "outcome_short": profile["outcome_short"].to_numpy(),
                    "level": profile[f"{prefix}_level"].to_numpy(),
                    "sublevel": profile[f"{prefix}_sublevel"].astype(object).to_numpy(),
                    "label": [
                        level_words(lv, sub, missing=missing)
                        for lv, sub in zip(
                            profile[f"{prefix}_level"], profile[f"{prefix}_sublevel"], strict=True
                        )
                    ],
                    "series": f"{word} {c}",
                    "is_current": age == 0,
                    "age": age,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _radar_style(assessment: str, age: int) -> tuple[str, str, str, float]:
    if age == 0:
        if assessment == "validated":
            return NHS_COLOURS["blue"], "solid", "circle", 3.5
        return NHS_COLOURS["pink"], "dash", "diamond", 2.5
    colour, dash, symbol = _EARLIER_STYLES[min(age, len(_EARLIER_STYLES)) - 1]
    return colour, dash, symbol, 2.0


def fig_radar(
    df: pd.DataFrame,
    *,
    history: pd.DataFrame | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Radar of one organisation's six outcomes across its cycles.

    Takes a :func:`~qio_analysis.metrics.level_profile` and, optionally, its
    :func:`~qio_analysis.metrics.level_history`: with a history the radar
    shows the validated levels of every cycle the organisation took part in
    plus this cycle's self-evaluation; without one, only the previous cycle.
    This cycle's validated levels are solid NHS Blue; the self-evaluation is
    dashed pink; earlier cycles are grey, lighter and dashed the older they
    are. Traces differ by colour, dash and marker symbol. Each level is a
    shaded ring and a point sits inside its own level's ring (Level 4 High
    inside the Level 4 ring), placed by :data:`WITHIN_RING`; the hover text
    and the data table give the level and sub-level in words. The title counts
    whole-level rises by the one rule
    (:func:`~qio_analysis.framework.compare_levels`).

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import level_profile
    >>> from qio_analysis import examples
    >>> subs = examples.one_organisation()
    >>> fig = fig_radar(level_profile(subs, "ZA01", 2025))
    >>> fig.layout.title.text
    'Ashby NHS Trust: validated levels rose a level on 1 of 2 outcomes since 2023'
    >>> figure_table(fig).iloc[0].tolist()
    ['1: Access', 'Level 1', 'Level 3', 'Level 2 (High)']
    """
    if df.empty:
        return empty_figure("There is no profile to draw.", **layout)
    name, cycle = df["org_name"].iloc[0], int(df["cycle"].iloc[0])
    history = _history_from_profile(df) if history is None else history
    theta = [escape_html(OUTCOME_SHORT[int(n)]) for n in df["outcome"]]
    texts = dict(zip(df["outcome"], df["outcome_text"], strict=True))
    # Plain dicts, validated once when the figure is built: adding traces and
    # updating the layout one call at a time costs several times more.
    traces = [
        _radar_trace(history[history["series"] == label], label, df["outcome"], theta, texts)
        for label in dict.fromkeys(history["series"])
    ]
    # plotly.js draws bars beneath lines whatever their order: the rings can come last.
    fig = go.Figure(data=[*traces, _rings(theta)], layout=_polar_layout())
    earlier = sorted({int(c) for c in history["cycle"]} - {cycle})
    return make_figure(
        fig,
        radar_words(df, name, cycle, earlier),
        history_wide(history),
        title=title or None,
        fitted_height=600,
        **layout,
    )


def _radar_trace(
    series: pd.DataFrame,
    label: str,
    outcomes: pd.Series,
    theta: list[str],
    texts: dict[int, str],
) -> dict[str, object]:
    """One series of the radar as a closed line, styled by its assessment and age."""
    part = series.set_index("outcome").reindex(outcomes)
    assessment, age = part["assessment"].iloc[0], int(part["age"].iloc[0])
    colour, dash, symbol, line_width = _radar_style(assessment, age)
    levels = [
        None if pd.isna(lv) else int(lv) + WITHIN_RING[None if pd.isna(sub) else str(sub)]
        for lv, sub in zip(part["level"], part["sublevel"], strict=True)
    ]
    words = part["label"].tolist()
    wrapped = ["<br>".join(textwrap.wrap(escape_html(texts[n]), 48)) for n in part.index]
    current = age == 0 and assessment == "validated"
    return {
        "type": "scatterpolar",
        "r": [*levels, levels[0]],
        "theta": [*theta, theta[0]],
        "customdata": [
            [w, t] for w, t in zip([*words, words[0]], [*wrapped, wrapped[0]], strict=True)
        ],
        "name": escape_html(label),
        "mode": "lines+markers",
        "line": {"color": colour, "dash": dash, "width": line_width},
        "marker": {"symbol": symbol, "size": 10 if age == 0 else 8, "color": colour},
        "opacity": 1.0 if age == 0 else max(0.55, 0.85 - 0.15 * (age - 1)),
        "fill": "toself" if current else "none",
        "fillcolor": with_alpha(colour, 0.12),
        "connectgaps": False,
        "hovertemplate": "<b>%{theta}</b>: %{customdata[0]}<br>%{customdata[1]}<extra>"
        + escape_html(label)
        + "</extra>",
    }


def _polar_layout() -> dict[str, object]:
    """The radar's polar axes: a level per ring, outcomes clockwise from the top."""
    return {
        "polar": {
            "radialaxis": {
                "range": [0, len(LEVELS)],
                "tickvals": [lv + 0.5 for lv in LEVELS],
                "ticktext": LEVEL_TICKS,
                "showgrid": False,
                "showline": False,
                "ticks": "",
                "angle": 60,  # between the first two outcomes, clear of their spokes
                "tickangle": 60,
                "tickfont": {"size": 12},
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90, "gridcolor": "#D6D6D6"},
            "bgcolor": "white",
            "bargap": 0,
        },
        "showlegend": True,
        **bottom_legend_layout(),
    }


def _rings(theta: list[str]) -> dict[str, object]:
    """The level rings: one shaded band per level, alternately pale grey and white, edged in grey."""
    return {
        "type": "barpolar",
        "r": [1] * (len(theta) * len(LEVELS)),
        "base": [lv for _ in theta for lv in LEVELS],
        "theta": [t for t in theta for _ in LEVELS],
        "marker": {
            "color": [
                NHS_COLOURS["pale_grey"] if lv % 2 == 0 else NHS_COLOURS["white"]
                for _ in theta
                for lv in LEVELS
            ],
            "line": {"color": "#C4CBCF", "width": 1},
        },
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "Level rings",
    }
