"""Every figure the package draws, built from the demo data as the reports and the explorer build it.

Used by ``test_figure_output.py`` to hold the charts still while their code is
reorganised: each case's figure JSON (or composed SVG) is reduced to a digest
and compared with ``figure_digests.json``. To see what changed, dump the
figures before and after and diff them::

    python -m tests.figures.figure_cases /tmp/before   # on the old commit
    python -m tests.figures.figure_cases /tmp/after    # on the new one
    diff -r /tmp/before /tmp/after

and, when a change to a chart is meant, write the digests again::

    python -m tests.figures.figure_cases --write-digests
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

import qio_analysis as qa
from qio_analysis import figures
from qio_analysis.export.images import credits_for
from qio_analysis.figures import benchmarking as fig_bench
from qio_analysis.figures.infographic import Credits, infographic, publication_images
from qio_analysis.metrics import benchmarking as bench
from qio_analysis.metrics.disclosure import suppressed_context

DIGESTS = Path(__file__).with_name("figure_digests.json")
CYCLE = 2025
REGION = "London"
ORG = "ZA07"

Case = Callable[[], "go.Figure | str"]


@cache
def inputs() -> qa.io.Inputs:
    return qa.load_inputs(None, None, None)


def _level_cases() -> dict[str, Case]:
    subs = inputs().submissions

    def distribution() -> go.Figure:
        dist = qa.level_distribution(subs, CYCLE, by="region")
        return qa.fig_level_distribution(dist[dist.region.isin([REGION, qa.NATIONAL])])

    def distribution_self_and_validated() -> go.Figure:
        dist = qa.level_distribution(subs, CYCLE, by="region", assessment=["self", "validated"])
        return qa.fig_level_distribution(dist[dist.region == REGION], split="assessment")

    def share_trend(highlight: str | None) -> Case:
        def build() -> go.Figure:
            cycles = sorted(int(c) for c in subs.cycle.unique())
            summary = qa.level_summary(qa.level_distribution(subs, cycles, by="region"))
            if highlight:
                summary = summary[summary.region.isin([highlight, qa.NATIONAL])]
            return qa.fig_share_trend(summary, highlight=highlight)

        return build

    def heatmap(assessment: str, sort: str, compare: bool) -> Case:
        def build() -> go.Figure:
            pairs = qa.paired_levels(subs, CYCLE)
            pairs = pairs[pairs.region == REGION]
            change = None
            if compare:
                shown = "self" if assessment == "self" else "validated"
                change = qa.improvement(subs, since=2021, to=CYCLE, by=None, assessment=shown)
            return qa.fig_heatmap(pairs, assessment=assessment, sort=sort, change=change)

        return build

    def radar() -> go.Figure:
        profile = qa.level_profile(subs, ORG, CYCLE)
        return qa.fig_radar(profile, history=qa.level_history(subs, ORG, CYCLE))

    def radar_alone() -> go.Figure:
        return qa.fig_radar(qa.level_profile(subs, ORG, CYCLE))

    def movement(region: str) -> Case:
        return lambda: qa.fig_movement(
            qa.transitions(subs, 2021, CYCLE, by="region").summary, region=region
        )

    def sankey(outcome: int) -> Case:
        return lambda: qa.fig_sankey(
            qa.transitions(subs, 2023, CYCLE, by="region").matrix, outcome=outcome, region=REGION
        )

    def improvement() -> go.Figure:
        rows = qa.improvement(subs, to=CYCLE)
        return qa.fig_improvement(rows[rows.region == REGION], where=REGION)

    def completeness() -> go.Figure:
        return qa.fig_completeness(qa.completeness(subs, inputs().organisations, CYCLE))

    def agreement(outcome: int | None) -> Case:
        return lambda: qa.fig_agreement_matrix(
            qa.validation_agreement(subs, CYCLE, by="region").confusion,
            region=REGION,
            outcome=outcome,
        )

    def adjustments() -> go.Figure:
        return qa.fig_adjustments(qa.validation_agreement(subs, CYCLE, by="region").summary)

    def context() -> go.Figure:
        return figures.fig_context(suppressed_context(subs, REGION, CYCLE))

    cases: dict[str, Case] = {
        "level_distribution": distribution,
        "level_distribution_self_and_validated": distribution_self_and_validated,
        "share_trend_england": share_trend(None),
        "share_trend_region": share_trend(REGION),
        "radar": radar,
        "radar_alone": radar_alone,
        "movement_region": movement(REGION),
        "movement_england": movement(qa.NATIONAL),
        "improvement": improvement,
        "completeness": completeness,
        "agreement": agreement(None),
        "agreement_outcome_2": agreement(2),
        "adjustments": adjustments,
        "context": context,
    }
    for assessment in ("validated", "self", "both"):
        for sort in ("name", "level"):
            cases[f"heatmap_{assessment}_{sort}"] = heatmap(assessment, sort, compare=False)
        cases[f"heatmap_{assessment}_change"] = heatmap(assessment, "change", compare=True)
    for number in (1, 4):
        cases[f"sankey_{number}"] = sankey(number)
    return cases


def _statistics_cases() -> dict[str, Case]:
    stats = inputs().statistics

    def pack() -> qa.metrics.HeadlinePack:
        return qa.headline_pack(stats, None)

    def service() -> tuple[pd.DataFrame | None, str, int]:
        orgs = inputs().organisations
        own = stats[stats["lead_org_code"] == ORG]
        return orgs, str(own["service_code"].iloc[0]), int(own["year_start"].max())

    def staffing_trend() -> go.Figure:
        orgs, code, year = service()
        table = bench.staffing_benchmark(stats, orgs, code, min_group=5, peer_year=year)
        return fig_bench.fig_staffing_trend(table, selected="The service", title="Staff ratio")

    def benchmark_strip() -> go.Figure:
        orgs, code, year = service()
        table = bench.activity_benchmark(stats, orgs, code, year, min_group=5)
        frames = [
            bench.service_distribution(stats, year, f"{key}_per_1000_wte").assign(activity=label)
            for key, label in qa.metrics.ACTIVITIES.items()
        ]
        return fig_bench.fig_benchmark_strip(
            pd.concat(frames, ignore_index=True),
            benchmark=table.rename(columns={"rate": "value"}),
            selected="The service",
            value="value",
            panel="activity",
            title="Activity per 1,000 NHS WTE",
            x_title="Per 1,000 NHS WTE",
        )

    def graphics() -> dict[str, Case]:
        def credits() -> Credits:  # a fixed date, so the digest does not change with the day
            return credits_for(pack(), ["demo"], demo=True, made="7 December 2026")

        out: dict[str, Case] = {"infographic": lambda: infographic(pack(), credits()).svg}
        images = publication_images(pack(), credits())
        for frames in images.values():
            for graphic in frames:
                out[f"image_{graphic.name}"] = lambda graphic=graphic: graphic.svg
        return out

    return {
        "staff_ratio": lambda: qa.fig_staff_ratio(pack().regions, year=pack().year),
        "activity_trend": lambda: qa.fig_activity_trend(pack().trend),
        "headline_tiles": lambda: qa.fig_headline_tiles(pack().headlines),
        "staffing_trend": staffing_trend,
        "benchmark_strip": benchmark_strip,
        **graphics(),
    }


def cases() -> dict[str, Case]:
    """Every case, by name."""
    return {**_level_cases(), **_statistics_cases()}


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def canonical(result: go.Figure | str) -> str:
    """A figure's JSON with sorted keys and floats to ten significant figures; an SVG as it is."""
    if isinstance(result, str):
        return result
    plain = json.loads(pio.to_json(result, validate=False, engine="json"))
    return json.dumps(_rounded(plain), sort_keys=True, indent=1, ensure_ascii=False)


def digest(result: go.Figure | str) -> str:
    return hashlib.sha256(canonical(result).encode()).hexdigest()


def drawing_libraries() -> dict[str, str]:
    """The versions of what turns a figure into JSON: the digests hold for these only."""
    return {name: version(name) for name in ("plotly", "afcharts", "pandas", "numpy")}


def main(argv: list[str]) -> int:
    built = {name: build() for name, build in cases().items()}
    if argv == ["--write-digests"]:
        record = {
            "libraries": drawing_libraries(),
            "digests": {name: digest(fig) for name, fig in built.items()},
        }
        DIGESTS.write_text(json.dumps(record, indent=1) + "\n")
        print(f"wrote {len(built)} digests to {DIGESTS}")
        return 0
    if len(argv) != 1:
        print(__doc__)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    for name, fig in built.items():
        suffix = ".svg" if isinstance(fig, str) else ".json"
        (folder / f"{name}{suffix}").write_text(canonical(fig), encoding="utf-8")
    print(f"wrote {len(built)} figures to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
