"""What a batch run builds: one item per report, with its notebook, parameters and output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from qio_analysis.config import NOTEBOOKS_DIR
from qio_analysis.errors import QioConfigError
from qio_analysis.reference import region_name, region_slug


@dataclass(frozen=True)
class ReportItem:
    """One report: ``id`` is also its path under the output folder (without ``.html``)."""

    id: str
    kind: str
    label: str
    notebook: str
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def html_path(self) -> str:
        return f"{self.id}.html"

    @property
    def notebook_path(self) -> Path:
        return NOTEBOOKS_DIR / self.notebook


def _year_slug(year: str) -> str:
    return year.replace("/", "-")


def plan_items(
    subs: pd.DataFrame,
    stats: pd.DataFrame | None,
    cycle: int,
    *,
    orgs: Sequence[str] = (),
    regions: Sequence[str] = (),
    data: dict[str, str | None] | None = None,
) -> list[ReportItem]:
    """Every report for ``cycle``: organisations, regions, national views and the headlines.

    With ``orgs`` or ``regions`` only those organisations (and the
    organisations and regional reports of those regions) are planned; the
    national and headline reports are built when no filter is given.
    """
    data = data or {}
    in_cycle = subs[subs["cycle"] == cycle]
    if in_cycle.empty:
        cycles = sorted(int(c) for c in subs["cycle"].unique())
        raise QioConfigError(
            f"There are no submissions for cycle {cycle}; cycles in the data: {cycles}."
        )
    names = in_cycle.drop_duplicates("org_code").set_index("org_code")[["org_name", "region"]]
    wanted_regions = [region_name(r) for r in regions]
    wanted_orgs = [code.strip().upper() for code in orgs]
    unknown = [code for code in wanted_orgs if code not in names.index]
    if unknown:
        raise QioConfigError(f"No {cycle} submission for organisation(s) {', '.join(unknown)}.")
    filtered = bool(wanted_orgs or wanted_regions)
    codes = sorted(
        code
        for code in names.index
        if not filtered or code in wanted_orgs or names.at[code, "region"] in wanted_regions
    )
    items = [
        ReportItem(
            f"{cycle}/organisations/{code}",
            "organisation",
            f"{names.at[code, 'org_name']} ({code})",
            "trust_profile.ipynb",
            {"org_code": code, "cycle": cycle, **data},
        )
        for code in codes
    ]
    region_list = wanted_regions if filtered else sorted(names["region"].unique())
    for region in region_list:
        slug = region_slug(region)
        items.append(
            ReportItem(
                f"{cycle}/regions/{slug}",
                "region",
                f"{region}: regional summary",
                "regional_summary.ipynb",
                {"region": region, "cycle": cycle, **data},
            )
        )
        items.append(
            ReportItem(
                f"{cycle}/regions/{slug}-validation",
                "region-validation",
                f"{region}: validation review",
                "validation_review.ipynb",
                {"region": region, "cycle": cycle, **data},
            )
        )
    if not filtered:
        items.append(
            ReportItem(
                f"{cycle}/national/year_on_year",
                "national",
                "England: year on year",
                "year_on_year.ipynb",
                {"region": None, **data},
            )
        )
        items.append(
            ReportItem(
                f"{cycle}/national/validation_review",
                "national",
                "England: validation review",
                "validation_review.ipynb",
                {"region": None, "cycle": cycle, **data},
            )
        )
        if stats is not None and not stats.empty:
            year = stats.sort_values("year_start")["year"].iloc[-1]
            items.append(
                ReportItem(
                    f"headlines/{_year_slug(year)}/annual_headlines",
                    "headlines",
                    f"LKS headlines {year}",
                    "annual_headlines.ipynb",
                    {"year": year, **data},
                )
            )
    return items
