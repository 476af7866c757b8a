"""Step 1 of ``qio reports``: what to build, and what is already up to date.

:class:`RunOptions` is everything the command can be asked to do (the one
options object, also sent to worker processes). :func:`plan_items` turns the
loaded data into one :class:`ReportItem` per report; :func:`make_plan` hashes
each item's inputs (data files, notebook, package source, parameters) and
skips items whose report was built from exactly those inputs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from qio_analysis.batch.outputs import ItemResult
from qio_analysis.config import (
    DEMO_ORGANISATIONS,
    DEMO_STATISTICS,
    DEMO_SUBMISSIONS,
    NOTEBOOKS_DIR,
    OUTPUTS_DIR,
    PACKAGE_DIR,
)
from qio_analysis.errors import QioConfigError
from qio_analysis.io.inputs import Inputs, load_inputs
from qio_analysis.io.results import check_errors_mode
from qio_analysis.io.tables import expand_sources
from qio_analysis.metrics.disclosure import DEFAULT_MIN_GROUP, check_min_group
from qio_analysis.reference import REGIONS, region_name, region_slug
from qio_analysis.version import __version__


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
    submissions: str | None = None
    statistics: str | None = None
    organisations: str | None = None
    errors: str = "raise"
    min_group: int = DEFAULT_MIN_GROUP
    xlsx: bool = False
    pdf: bool = False
    progress: bool = True

    def __post_init__(self) -> None:
        # Lists from callers become tuples: the options are hashable and sent to workers.
        object.__setattr__(self, "orgs", tuple(self.orgs or ()))
        object.__setattr__(self, "regions", tuple(self.regions or ()))
        object.__setattr__(self, "out_dir", Path(self.out_dir).resolve())
        check_errors_mode(self.errors)
        check_min_group(self.min_group)

    @property
    def data_paths(self) -> dict[str, str | None]:
        """The data files as notebook parameters: absolute paths, or None for the demo data."""
        given = {
            "submissions": self.submissions,
            "statistics": self.statistics,
            "organisations": self.organisations,
        }
        return {k: (None if v is None else str(Path(v).resolve())) for k, v in given.items()}

    @property
    def demo(self) -> bool:
        """True when no data path is given: the bundled synthetic demo data is used."""
        return all(v is None for v in self.data_paths.values())


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
    data: dict[str, Any] | None = None,
    min_group: int | None = None,
) -> list[ReportItem]:
    """Every report for ``cycle``: organisations, regions (summary, improvement, validation), national views and the headlines.

    ``data`` holds parameters every notebook gets (data paths, ``errors``);
    ``min_group`` goes to organisation reports. With ``orgs`` or ``regions``
    only those organisations (and the organisations and regional reports of
    those regions) are planned; national and headline reports are built when
    no filter is given.
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
    org_extra = {} if min_group is None else {"min_group": min_group}
    items = [
        ReportItem(
            f"{cycle}/organisations/{code}",
            "organisation",
            f"{names.at[code, 'org_name']} ({code})",
            "trust_profile.ipynb",
            {"org_code": code, "cycle": cycle, **data, **org_extra},
        )
        for code in codes
    ]
    present = set(names["region"].unique())
    region_list = wanted_regions if filtered else sorted(present)
    for region in region_list:
        if region not in present:
            continue  # listed in the index as "no submissions", no report to build
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
                f"{cycle}/regions/{slug}-improvement",
                "region-improvement",
                f"{region}: who improved since the first cycle",
                "regional_improvement.ipynb",
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
                f"{cycle}/national/validation_review",
                "national",
                "England: validation review",
                "validation_review.ipynb",
                {"region": None, "cycle": cycle, **data},
            )
        )
        items.append(
            ReportItem(
                f"{cycle}/national/completeness",
                "national",
                "England: completeness",
                "completeness.ipynb",
                {"cycle": cycle, **data},
            )
        )
        items.append(
            ReportItem(
                "national/year_on_year",
                "national",
                "England: year on year",
                "year_on_year.ipynb",
                {"region": None, **data},
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


def regions_without_submissions(subs: pd.DataFrame, cycle: int) -> list[str]:
    """NHS England regions with no submission in ``cycle`` (listed in the index)."""
    present = set(subs.loc[subs["cycle"] == cycle, "region"].unique())
    return [name for name in REGIONS.values() if name not in present]


# --------------------------------------------------------------------- hashing


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    """One digest for several files (names and contents), order-independent."""
    digest = hashlib.sha256()
    for path in sorted({p.resolve() for p in paths}):
        digest.update(path.name.encode())
        digest.update(file_digest(path).encode())
    return digest.hexdigest()


@cache
def package_digest() -> str:
    """The installed package version plus a digest of its source and templates.

    Including the source (not only the version) means a code change during
    development rebuilds the reports it could affect.
    """
    files = [
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and p.suffix in {".py", ".j2", ".json", ".css", ".js"}
    ]
    return f"{__version__}:{files_digest(files)}"


def item_hash(
    *, data: str, notebook: str, parameters: dict[str, Any], options: dict[str, Any]
) -> str:
    """Hash of everything a report depends on."""
    payload = json.dumps(
        {
            "data": data,
            "notebook": notebook,
            "package": package_digest(),
            "parameters": parameters,
            "options": options,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


# --------------------------------------------------------------------- the plan


@dataclass
class Plan:
    """A run, planned: every item, those to build (with their input hash) and those up to date."""

    items: list[ReportItem]
    tasks: list[tuple[ReportItem, str]]
    skipped: dict[str, ItemResult]  # item id -> its previous result, status "skipped"
    previous: dict[str, ItemResult]  # the manifest before this run
    hashes: dict[str, str]  # item id -> input hash for this run
    data_hash: str
    inputs: Inputs  # the run's data, read once (also for the data-checks page)
    empty_regions: list[str]
    demo: bool


def data_files(options: RunOptions) -> list[Path]:
    """Every file the run reads (folders expanded), for the data hash."""
    paths = (
        [DEMO_SUBMISSIONS, DEMO_STATISTICS, DEMO_ORGANISATIONS]
        if options.demo
        else [Path(v) for v in options.data_paths.values() if v]
    )
    return [f for p in paths for f in expand_sources(p)]


def load_run_inputs(options: RunOptions) -> Inputs:
    """The run's data, read once in the parent process."""
    paths = options.data_paths
    return load_inputs(
        paths["submissions"], paths["statistics"], paths["organisations"], errors=options.errors
    )


def make_plan(options: RunOptions, previous: dict[str, ItemResult]) -> Plan:
    """Items to build, with those already up to date taken out as skipped results."""
    inputs = load_run_inputs(options)
    common: dict[str, Any] = {**options.data_paths, "errors": options.errors}
    items = plan_items(
        inputs.submissions,
        inputs.statistics,
        options.cycle,
        orgs=options.orgs,
        regions=options.regions,
        data=common,
        min_group=options.min_group,
    )
    data_hash = files_digest(data_files(options))
    notebook_hashes = {
        path: files_digest([path]) for path in {item.notebook_path for item in items}
    }
    knobs = {"self_contained": options.self_contained}
    plan = Plan(
        items=items,
        tasks=[],
        skipped={},
        previous=previous,
        hashes={},
        data_hash=data_hash,
        inputs=inputs,
        empty_regions=[]
        if options.orgs or options.regions
        else regions_without_submissions(inputs.submissions, options.cycle),
        demo=options.demo,
    )
    for item in items:
        digest = item_hash(
            data=data_hash,
            notebook=notebook_hashes[item.notebook_path],
            parameters=item.parameters,
            options=knobs,
        )
        plan.hashes[item.id] = digest
        before = previous.get(item.id)
        if (
            not options.force
            and before is not None
            and before.status in {"built", "skipped"}
            and before.input_hash == digest
            and (options.out_dir / item.html_path).exists()
        ):
            plan.skipped[item.id] = dataclasses.replace(before, status="skipped", duration_s=0.0)
        else:
            plan.tasks.append((item, digest))
    return plan
