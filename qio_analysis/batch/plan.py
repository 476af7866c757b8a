"""Step 1 of ``qio reports``: what to build, what is up to date, and what is stale or withdrawn.

:class:`RunOptions` is everything the command can be asked to do (the one
options object, also sent to worker processes). :func:`plan_items` turns the
loaded data into one :class:`ReportItem` per report; :func:`make_plan` hashes
each report's inputs (see :mod:`qio_analysis.batch.provenance`) and compares
them with the record of every report already in the output folder: a report
asked for is built unless its record matches; one left out of this run is
kept when its record matches and marked stale when it does not; one whose
organisation (or cycle, or year) is no longer in the data is withdrawn.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from qio_analysis.batch.outputs import CURRENT, ItemExtra, ItemResult
from qio_analysis.batch.parameters import (
    CompletenessParameters,
    DataParameters,
    Dated,
    HeadlinesParameters,
    Limited,
    NationalReviewParameters,
    OrganisationParameters,
    RegionParameters,
    RegionReviewParameters,
    YearOnYearParameters,
    cycle_of,
)
from qio_analysis.batch.parameters import ReportItem as ReportItem
from qio_analysis.batch.provenance import (
    files_digest,
    input_hash,
    notebook_digest,
    report_inputs,
    stale_reason,
)
from qio_analysis.config import (
    DEMO_ORGANISATIONS,
    DEMO_STATISTICS,
    DEMO_SUBMISSIONS,
    OUTPUTS_DIR,
)
from qio_analysis.errors import QioConfigError
from qio_analysis.io.files import file_digest
from qio_analysis.io.inputs import Inputs, load_inputs
from qio_analysis.io.locate import expand_sources
from qio_analysis.io.results import check_errors_mode
from qio_analysis.metrics.disclosure import DEFAULT_MIN_GROUP, check_min_group
from qio_analysis.platform_support import portable_file_name
from qio_analysis.reference import REGIONS, region_name, region_slug


@dataclass(frozen=True)
class RunOptions:
    """Everything ``qio reports`` can be asked to do (the same for every item of a run)."""

    cycle: int
    orgs: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    out_dir: Path = OUTPUTS_DIR
    engine: str = "warm"
    self_contained: bool = False
    cell_timeout: int = 300
    kernel_name: str = "python3"
    #: One export file or folder, or several (exports and a folder of validation forms).
    submissions: str | tuple[str, ...] | None = None
    statistics: str | None = None
    organisations: str | None = None
    errors: str = "raise"
    min_group: int = DEFAULT_MIN_GROUP
    xlsx: bool = False
    pdf: bool = False
    images: bool = False
    progress: bool = True
    #: Days waiting for validation are counted to this date (``YYYY-MM-DD``; default today).
    run_date: str = field(default_factory=lambda: dt.date.today().isoformat())

    def __post_init__(self) -> None:
        # Lists from callers become tuples: the options are hashable and sent to workers.
        object.__setattr__(self, "orgs", tuple(self.orgs or ()))
        object.__setattr__(self, "regions", tuple(self.regions or ()))
        object.__setattr__(self, "out_dir", Path(self.out_dir).resolve())
        if isinstance(self.submissions, list | tuple):
            many = tuple(str(p) for p in self.submissions)
            object.__setattr__(self, "submissions", many[0] if len(many) == 1 else many)
        check_errors_mode(self.errors)
        check_min_group(self.min_group)
        try:
            dt.date.fromisoformat(str(self.run_date))
        except ValueError:
            raise QioConfigError(
                f"The run date must be a date such as 2025-07-01, not {self.run_date!r}."
            ) from None

    @property
    def data_paths(self) -> dict[str, str | list[str] | None]:
        """The data files as notebook parameters: absolute paths (a list for several
        submissions sources), or None for the demo data."""
        given = {
            "submissions": self.submissions,
            "statistics": self.statistics,
            "organisations": self.organisations,
        }
        return {
            k: [str(Path(p).resolve()) for p in v] if isinstance(v, tuple) else _resolved(v)
            for k, v in given.items()
        }

    @property
    def demo(self) -> bool:
        """True when no data path is given: the bundled synthetic demo data is used."""
        return all(v is None for v in self.data_paths.values())

    @property
    def input_paths(self) -> list[tuple[str, Path]]:
        """The files or folders the run reads, as (option, path) pairs (the demo data's
        when none is given; one pair per submissions source)."""
        if self.demo:
            demo = (DEMO_SUBMISSIONS, DEMO_STATISTICS, DEMO_ORGANISATIONS)
            return list(zip(self.data_paths, demo, strict=True))
        return [(k, Path(p)) for k, v in self.data_paths.items() if v for p in _each(v)]


def _year_slug(year: str) -> str:
    return year.replace("/", "-")


def plan_items(
    subs: pd.DataFrame,
    stats: pd.DataFrame | None,
    cycle: int,
    *,
    orgs: Sequence[str] = (),
    regions: Sequence[str] = (),
    data: DataParameters | None = None,
    min_group: int | None = None,
    run_date: str | None = None,
) -> list[ReportItem]:
    """Every report for ``cycle``: organisations, regions, national views and the headlines.

    ``data`` holds parameters every notebook gets (data paths, ``errors``);
    ``min_group`` goes to organisation reports and the headlines; ``run_date`` (days waiting for
    validation count to it) to the completeness page and the validation
    reviews. With ``orgs`` or ``regions`` only those organisations (and the
    organisations and regional reports of those regions) are planned; national
    and headline reports are built when no filter is given.
    """
    data = data or DataParameters()
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
    limited = Limited() if min_group is None else Limited(min_group=min_group)
    dated = Dated() if run_date is None else Dated(run_date=run_date)
    items = [
        ReportItem(
            f"{cycle}/organisations/{portable_file_name(code)}",
            "organisation",
            f"{names.at[code, 'org_name']!s} ({code})",
            "trust_profile.ipynb",
            OrganisationParameters(org_code=code, cycle=cycle, **data, **limited),
        )
        for code in codes
    ]
    present = set(names["region"].unique())
    for region in wanted_regions if filtered else sorted(present):
        if region in present:  # else listed in the index as "no submissions", nothing to build
            items += _region_items(region, cycle, data, dated)
    if not filtered:
        items += _national_items(cycle, data, dated)
        if stats is not None and not stats.empty:
            latest = stats.sort_values("year_start")["year"].iloc[-1]
            items.append(headlines_item(str(latest), data, min_group=min_group))
    return items


def _region_items(region: str, cycle: int, data: DataParameters, dated: Dated) -> list[ReportItem]:
    """A region's summary, improvement and validation review."""
    slug = region_slug(region)
    return [
        ReportItem(
            f"{cycle}/regions/{slug}",
            "region",
            f"{region}: regional summary",
            "regional_summary.ipynb",
            RegionParameters(region=region, cycle=cycle, **data),
        ),
        ReportItem(
            f"{cycle}/regions/{slug}-improvement",
            "region-improvement",
            f"{region}: who improved since the first cycle",
            "regional_improvement.ipynb",
            RegionParameters(region=region, cycle=cycle, **data),
        ),
        ReportItem(
            f"{cycle}/regions/{slug}-validation",
            "region-validation",
            f"{region}: validation review",
            "validation_review.ipynb",
            RegionReviewParameters(region=region, cycle=cycle, **data, **dated),
        ),
    ]


def _national_items(cycle: int, data: DataParameters, dated: Dated) -> list[ReportItem]:
    """England's validation review, completeness and year on year."""
    return [
        ReportItem(
            f"{cycle}/national/validation_review",
            "national",
            "England: validation review",
            "validation_review.ipynb",
            NationalReviewParameters(region=None, cycle=cycle, **data, **dated),
        ),
        ReportItem(
            f"{cycle}/national/completeness",
            "national",
            "England: completeness",
            "completeness.ipynb",
            CompletenessParameters(cycle=cycle, **data, **dated),
        ),
        ReportItem(
            "national/year_on_year",
            "national",
            "England: year on year",
            "year_on_year.ipynb",
            YearOnYearParameters(region=None, **data),
        ),
    ]


def headlines_item(year: str, data: DataParameters, *, min_group: int | None = None) -> ReportItem:
    """The LKS statistics headlines report of one financial year ("2024/25")."""
    limited = Limited() if min_group is None else Limited(min_group=min_group)
    parameters = HeadlinesParameters(year=year, **data, **limited)
    return ReportItem(
        f"headlines/{_year_slug(year)}/annual_headlines",
        "headlines",
        f"LKS headlines {year}",
        "annual_headlines.ipynb",
        parameters,
    )


def regions_without_submissions(subs: pd.DataFrame, cycle: int) -> list[str]:
    """NHS England regions with no submission in ``cycle`` (listed in the index)."""
    present = set(subs.loc[subs["cycle"] == cycle, "region"].unique())
    return [name for name in REGIONS.values() if name not in present]


# --------------------------------------------------------------------- the plan


@dataclass
class Plan:
    """A run, planned: every report the folder should hold, what to build, and what to mark.

    ``items`` is every report the data gives for this run's cycle and for
    every other cycle (or headline year) the folder already holds;
    ``selected`` the ids this run was asked for (all of this cycle's without
    ``--org``/``--region``). ``tasks`` are the selected items to build, each
    with its input hash. ``results`` starts every other item this folder lists:
    up to date (``skipped``), ``stale`` (outside the selection and no longer
    matching its record), ``withdrawn`` (no longer in the data) or as recorded.
    ``outdated`` gives, for each report in the folder whose record no longer
    matches, why (its page is marked and its other renderings removed).
    """

    items: list[ReportItem]
    selected: set[str]
    tasks: list[tuple[ReportItem, str]]
    results: dict[str, ItemResult]
    previous: dict[str, ItemResult]  # the manifest before this run
    inputs_by_item: dict[str, dict[str, str]]  # item id -> hash of each input
    outdated: dict[str, str]  # item id -> why its report in the folder is out of date
    data_hash: str
    inputs: Inputs  # the run's data, read once (data checks page, renderings)
    empty_regions: list[str]
    demo: bool

    @property
    def hashes(self) -> dict[str, str]:
        return {key: input_hash(value) for key, value in self.inputs_by_item.items()}


def _resolved(path: str | None) -> str | None:
    return None if path is None else str(Path(path).resolve())


def _each(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _one(value: str | list[str] | None) -> str | None:
    """A data path that is always one file (statistics, organisations)."""
    if isinstance(value, list):
        raise QioConfigError(f"Give one file here, not several: {value}.")
    return value


def data_files(options: RunOptions) -> list[Path]:
    """Every file the run reads (folders expanded), for the data hash."""
    return [f for _, p in options.input_paths for f in expand_sources(p)]


def load_run_inputs(options: RunOptions) -> Inputs:
    """The run's data, read once in the parent process."""
    paths = options.data_paths
    return load_inputs(
        paths["submissions"],
        _one(paths["statistics"]),
        _one(paths["organisations"]),
        errors=options.errors,
        cycle=options.cycle,
    )


def _universe(
    inputs: Inputs,
    options: RunOptions,
    previous: dict[str, ItemResult],
    common: DataParameters,
) -> tuple[list[ReportItem], set[str]]:
    """Every report the data gives for the folder's cycles, and the ids this run selects."""
    subs, stats = inputs.submissions, inputs.statistics
    selected = plan_items(
        subs,
        stats,
        options.cycle,
        orgs=options.orgs,
        regions=options.regions,
        data=common,
        min_group=options.min_group,
        run_date=options.run_date,
    )
    found = {item.id: item for item in selected}
    cycles = {options.cycle} | {
        cycle for r in previous.values() if (cycle := cycle_of(r.parameters))
    }
    present = set(subs["cycle"].unique())
    for cycle in sorted(c for c in cycles if c in present):
        every = plan_items(
            subs,
            stats,
            cycle,
            data=common,
            min_group=options.min_group,
            run_date=options.run_date,
        )
        for item in every:
            found.setdefault(item.id, item)
    years = set() if stats is None else set(stats["year"].unique())
    for res in previous.values():
        year = res.parameters.get("year")
        if res.kind == "headlines" and isinstance(year, str) and year in years:
            item = headlines_item(year, common, min_group=options.min_group)
            found.setdefault(item.id, item)
    return list(found.values()), {item.id for item in selected}


def make_plan(
    options: RunOptions, previous: dict[str, ItemResult], *, data_hash: str | None = None
) -> Plan:
    """Read the data once and decide, for every report, whether to build, keep, mark or remove it.

    ``data_hash`` is the hash of the input files as read (see
    :class:`~qio_analysis.batch.guards.InputWatch`); computed here when not given.
    """
    inputs = load_run_inputs(options)
    paths = options.data_paths
    common = DataParameters(
        submissions=paths["submissions"],
        statistics=_one(paths["statistics"]),
        organisations=_one(paths["organisations"]),
        errors=options.errors,
        template_cycle=options.cycle,
    )
    items, selected = _universe(inputs, options, previous, common)
    if data_hash is None:
        data_hash = files_digest((p.name, file_digest(p)) for p in data_files(options))
    notebooks = {path: notebook_digest(path) for path in {item.notebook_path for item in items}}
    plan = Plan(
        items=items,
        selected=selected,
        tasks=[],
        results={},
        previous=previous,
        inputs_by_item={},
        outdated={},
        data_hash=data_hash,
        inputs=inputs,
        empty_regions=[]
        if options.orgs or options.regions
        else regions_without_submissions(inputs.submissions, options.cycle),
        demo=options.demo,
    )
    for item in items:
        now = report_inputs(
            data=data_hash,
            notebook=notebooks[item.notebook_path],
            parameters=item.parameters,
            self_contained=options.self_contained,
        )
        plan.inputs_by_item[item.id] = now
        _decide(plan, item, now, previous.get(item.id), options)
    planned = {item.id for item in items}
    for key, before in previous.items():
        if key not in planned:
            plan.results[key] = _withdrawn(before, inputs, options)
    return plan


def _decide(
    plan: Plan,
    item: ReportItem,
    now: dict[str, str],
    before: ItemResult | None,
    options: RunOptions,
) -> None:
    """Build, keep, or mark one planned report (see :class:`Plan`)."""
    digest = input_hash(now)
    exists = (options.out_dir / item.html_path).exists()
    matches = before is not None and before.input_hash == digest and exists
    if before is not None and exists and not matches and before.status in CURRENT | {"stale"}:
        plan.outdated[item.id] = stale_reason(before.inputs, now)
    if item.id in plan.selected:
        if before is not None and matches and before.status in CURRENT and not options.force:
            plan.results[item.id] = replace(before, status="skipped", duration_s=0.0)
        else:
            plan.tasks.append((item, digest))
        return
    if before is None:
        return  # never built in this folder, and not asked for: nothing to list
    if matches and before.status in CURRENT | {"stale"}:
        plan.results[item.id] = replace(before, status="skipped", error="")
    elif item.id in plan.outdated:
        why = plan.outdated[item.id]
        plan.results[item.id] = replace(
            before,
            status="stale",
            error=f"Built before {why}; not rebuilt in this run.",
        )
    elif before.status in CURRENT:
        plan.results[item.id] = replace(
            before, status="not built", error="Its file is missing; run qio reports to rebuild it."
        )
    else:
        plan.results[item.id] = before


def _withdrawn(before: ItemResult, inputs: Inputs, options: RunOptions) -> ItemResult:
    """The record of a report whose organisation (or cycle, or year) is no longer in the data."""
    if before.status == "withdrawn":
        return before
    why = "No longer in the data; its report and other files were removed."
    code = before.parameters.get("org_code")
    if code and options.errors == "report" and _rejected_mentions(inputs, str(code)):
        why = (
            "Its rows failed validation and were left out (--errors report; see the data "
            "checks); its report and other files were removed."
        )
    return replace(
        before, status="withdrawn", error=why, renderings={}, removed={}, extra=ItemExtra()
    )


def _rejected_mentions(inputs: Inputs, code: str) -> bool:
    """True when a submissions row rejected by the readers has ``code`` in one of its cells."""
    read = inputs.checks.results.get("submissions")
    if read is None or read.rejected.empty:
        return False
    cells = read.rejected.astype("string").fillna("")
    return any(column.str.strip().eq(code).any() for _, column in cells.items())
