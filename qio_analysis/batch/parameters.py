"""What each kind of report is given: its notebook parameters, typed per kind.

A report's parameters cross three places: the plan builds them
(:func:`qio_analysis.batch.plan.plan_items`), papermill injects them into the
notebook (:func:`notebook_parameters`), and the manifest stores them for the
next run and for the renderings made afterwards (:func:`read_parameters`).
They are typed dictionaries, so each of those places is checked against one
declaration and the manifest round-trips them unchanged. A :class:`ReportItem` is one
report: its id, kind, label, notebook and parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Required, TypeAlias, TypedDict, cast, get_args

from qio_analysis.aliases import JsonValue
from qio_analysis.config import NOTEBOOKS_DIR
from qio_analysis.errors import QioConfigError

#: The kinds of report; the index groups its pages by them.
ReportKind = Literal[
    "organisation", "region", "region-improvement", "region-validation", "national", "headlines"
]
REPORT_KINDS: tuple[ReportKind, ...] = get_args(ReportKind)


class DataParameters(TypedDict, total=False):
    """What every notebook of a run gets: its data files (None for the demo data) and options."""

    submissions: str | list[str] | None
    statistics: str | None
    organisations: str | None
    errors: str
    template_cycle: int


class Limited(TypedDict, total=False):
    """The disclosure control threshold, when the run sets one (else the notebook's default)."""

    min_group: int


class Dated(TypedDict, total=False):
    """The date days waiting for validation count to, when the run sets one (else today)."""

    run_date: str


class OrganisationParameters(DataParameters, Limited):
    """``organisation``: one organisation's profile (``trust_profile.ipynb``)."""

    org_code: Required[str]
    cycle: Required[int]


class RegionParameters(DataParameters):
    """``region`` and ``region-improvement``: one NHS England region."""

    region: Required[str]
    cycle: Required[int]


class RegionReviewParameters(RegionParameters, Dated):
    """``region-validation``: one region's validation review (``validation_review.ipynb``)."""


class NationalReviewParameters(DataParameters, Dated):
    """``national``: England's validation review (``validation_review.ipynb``)."""

    region: Required[None]
    cycle: Required[int]


class CompletenessParameters(DataParameters, Dated):
    """``national``: England's completeness page (``completeness.ipynb``)."""

    cycle: Required[int]


class YearOnYearParameters(DataParameters):
    """``national``: England, year on year, every cycle (``year_on_year.ipynb``)."""

    region: Required[None]


class HeadlinesParameters(DataParameters, Limited):
    """``headlines``: the LKS statistics of one financial year (``"2024/25"``)."""

    year: Required[str]


ReportParameters: TypeAlias = (
    OrganisationParameters
    | RegionParameters
    | RegionReviewParameters
    | NationalReviewParameters
    | CompletenessParameters
    | YearOnYearParameters
    | HeadlinesParameters
)

# Each key a report's parameters may hold, and the types its value may have.
_KEY_TYPES: dict[str, tuple[type, ...]] = {
    "submissions": (str, list, type(None)),
    "statistics": (str, type(None)),
    "organisations": (str, type(None)),
    "errors": (str,),
    "template_cycle": (int,),
    "org_code": (str,),
    "cycle": (int,),
    "min_group": (int,),
    "region": (str, type(None)),
    "run_date": (str,),
    "year": (str,),
}


def report_kind(value: object) -> ReportKind:
    """``value`` as a report kind, or :class:`QioConfigError` naming it."""
    for kind in REPORT_KINDS:
        if value == kind:
            return kind
    raise QioConfigError(f"{value!r} is not a kind of report; the kinds are {list(REPORT_KINDS)}.")


def read_parameters(raw: object, *, item: str = "") -> ReportParameters:
    """Parameters as read back from a manifest, checked key by key.

    Keys this version does not know are kept, so that a newer manifest is read
    as written; a known key with a value of the wrong type raises
    :class:`QioConfigError` naming the report.
    """
    if not isinstance(raw, dict):
        raise QioConfigError(f"The manifest's parameters of {item!r} are not a mapping: {raw!r}.")
    for key, value in raw.items():
        allowed = _KEY_TYPES.get(key)
        if allowed is not None and (not isinstance(value, allowed) or isinstance(value, bool)):
            raise QioConfigError(
                f"The manifest's parameter {key!r} of {item!r} should be "
                f"{' or '.join(t.__name__ for t in allowed)}, not {value!r}."
            )
    # Every key a report kind declares was checked above.
    return cast("ReportParameters", raw)


def notebook_parameters(parameters: ReportParameters) -> dict[str, JsonValue]:
    """The parameters as papermill injects them into the notebook (a plain dict, a copy)."""
    # Every value a report kind declares is a JSON value.
    return cast("dict[str, JsonValue]", dict(parameters))


def cycle_of(parameters: ReportParameters) -> int | None:
    """The QIOF cycle a report is about; None for one about every cycle or a statistics year."""
    cycle = parameters.get("cycle")
    return cycle if isinstance(cycle, int) else None


def region_of(parameters: ReportParameters) -> str | None:
    """The region a report is about; None for England or an organisation."""
    region = parameters.get("region")
    return region if isinstance(region, str) else None


def run_date_of(parameters: ReportParameters) -> str | None:
    """The date days waiting for validation were counted to, when the report counts them."""
    run_date = parameters.get("run_date")
    return run_date if isinstance(run_date, str) else None


def year_of(parameters: ReportParameters) -> str | None:
    """The financial year (``"2024/25"``) a headlines report is about."""
    year = parameters.get("year")
    return year if isinstance(year, str) else None


def min_group_of(parameters: ReportParameters, default: int) -> int:
    """The disclosure control threshold an organisation or headlines report was made with."""
    value = parameters.get("min_group")
    return value if isinstance(value, int) else default


@dataclass(frozen=True)
class ReportItem:
    """One report: ``id`` is also its path under the output folder (without ``.html``)."""

    id: str
    kind: ReportKind
    label: str
    notebook: str
    parameters: ReportParameters

    @property
    def html_path(self) -> str:
        return f"{self.id}.html"

    @property
    def notebook_path(self) -> Path:
        return NOTEBOOKS_DIR / self.notebook
