"""Statistics benchmarking: one LKS service beside its region, England and similar services.

**Peer group.** Services are grouped by two things a service cannot change
quickly: the size of the NHS workforce it serves and the type of organisations
it serves.

- *Workforce band* (NHS WTE served in the year): under 5,000; 5,000 to 9,999;
  10,000 to 19,999; 20,000 or more (:data:`SIZE_BANDS`).
- *Organisation type*: the type (acute, mental health, community, ambulance,
  combined) shared by every organisation the service serves, from the
  organisations table; a service serving organisations of different types is
  ``"Mixed"``, and one with no organisation in the table ``"Unknown"``.

A service's peer group is every service in England with the same band and
type in one year (itself included). Across years the group keeps the members
it has in that year, the *peer year* (by default the service's latest
return): a trend compares the same services throughout, and a year shows
fewer of them only where some made no return (``n_services`` says how many).
Bands are not re-drawn each year, so a member crossing 10,000 NHS WTE in an
earlier year never moves the group. Peer, regional and national figures
are anonymous aggregates shown beside a named service, so each goes through
:func:`~qio_analysis.metrics.disclosure.suppress_small_groups`: a group of fewer
than ``min_group`` services shows no figure, with a sentence saying why.
Regions are decided together (secondary suppression), then the service's own
region is picked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.errors import QioConfigError
from qio_analysis.framework import format_financial_year
from qio_analysis.metrics.disclosure import (
    DEFAULT_MIN_GROUP,
    exposed,
    suppress_small_groups,
    suppression_reason,
)
from qio_analysis.metrics.workforce import ACTIVITIES, activity_rates, in_rate, staff_ratio
from qio_analysis.reference import NATIONAL
from qio_analysis.schemas import OrganisationsSchema, StatisticsSchema

#: Lower bounds (NHS WTE served) and labels of the workforce-size bands.
SIZE_BANDS: tuple[tuple[float, str], ...] = (
    (0, "under 5,000 NHS WTE"),
    (5_000, "5,000 to 9,999 NHS WTE"),
    (10_000, "10,000 to 19,999 NHS WTE"),
    (20_000, "20,000+ NHS WTE"),
)
MIXED = "Mixed"
UNKNOWN = "Unknown"


def size_band(nhs_wte: pd.Series) -> pd.Series:
    """The workforce-size band of each NHS WTE figure (missing stays missing).

    >>> size_band(pd.Series([4999.9, 5000, 25000, None])).tolist()
    ['under 5,000 NHS WTE', '5,000 to 9,999 NHS WTE', '20,000+ NHS WTE', nan]
    """
    values = pd.to_numeric(nhs_wte, errors="coerce").astype("float64")
    bounds = [b for b, _ in SIZE_BANDS]
    index = np.searchsorted(bounds, values.fillna(0).to_numpy(), side="right") - 1
    labels = np.array([label for _, label in SIZE_BANDS], dtype=object)[np.clip(index, 0, None)]
    return pd.Series(labels, index=nhs_wte.index, dtype=object).where(values.notna())


@enforce_schemas
def service_types(
    stats: DataFrame[StatisticsSchema], organisations: DataFrame[OrganisationsSchema] | None
) -> pd.Series:
    """Type of organisations each service serves, indexed by ``service_code``.

    Read from the organisations table (its ``service_code`` and ``org_type``):
    one type when every organisation served shares it, ``"Mixed"`` otherwise,
    ``"Unknown"`` when the table has none of the service's organisations.
    """
    codes = pd.Index(stats["service_code"].unique(), name="service_code")
    if organisations is None or organisations.empty:
        return pd.Series(UNKNOWN, index=codes, dtype=object, name="service_type")
    kinds = organisations.dropna(subset=["service_code"]).groupby("service_code")["org_type"]
    kind = kinds.agg(lambda t: t.iloc[0] if (t == t.iloc[0]).all() else MIXED)
    return kind.reindex(codes).fillna(UNKNOWN).astype(object).rename("service_type")


@enforce_schemas
def peer_groups(
    stats: DataFrame[StatisticsSchema], organisations: DataFrame[OrganisationsSchema] | None
) -> pd.DataFrame:
    """``stats`` with ``size_band``, ``service_type`` and ``peer_group`` (band and type) added."""
    types = service_types(stats, organisations)
    band = size_band(stats["nhs_wte"])
    kind = stats["service_code"].map(types)
    return stats.assign(
        size_band=band,
        service_type=kind,
        peer_group=(kind + ", " + band).where(band.notna()),
    )


@enforce_schemas
def peer_panel(
    stats: DataFrame[StatisticsSchema],
    organisations: DataFrame[OrganisationsSchema] | None,
    peer_year: int,
) -> pd.DataFrame:
    """``stats`` (every year) with each service's ``peer_group`` as it was in ``peer_year``.

    Services with no return in ``peer_year`` belong to no peer group (NA).

    ZL02 (under 5,000 NHS WTE in 2023/24) made no 2024/25 return, so it is in
    no group, although ZL03 is under 5,000 in 2024/25:

    >>> from qio_analysis import examples
    >>> panel = peer_panel(examples.three_returns(), None, 2024)
    >>> panel[["year", "service_code", "peer_group"]].values.tolist()
    [['2023/24', 'ZL01', 'Unknown, 5,000 to 9,999 NHS WTE'], ['2023/24', 'ZL02', nan], ['2024/25', 'ZL01', 'Unknown, 5,000 to 9,999 NHS WTE'], ['2024/25', 'ZL03', 'Unknown, under 5,000 NHS WTE']]
    """
    year = peer_groups(stats[stats["year_start"] == peer_year], organisations)
    group = dict(zip(year["service_code"], year["peer_group"], strict=True))
    return stats.assign(peer_group=stats["service_code"].map(group))


def _suppressed(table: pd.DataFrame, group: str, values: list[str], min_group: int) -> pd.DataFrame:
    return suppress_small_groups(
        table,
        min_group=min_group,
        group=group,
        size="n_services",
        within=("year_start",),
        cells=(),
        values=values,
        total=NATIONAL,
    )


def _pick(table: pd.DataFrame, group: str, name: str, label: str) -> pd.DataFrame:
    rows = table[table[group] == name].assign(comparison=label)
    return rows.drop(columns=[group])


@enforce_schemas
def staffing_benchmark(
    stats: DataFrame[StatisticsSchema],
    organisations: DataFrame[OrganisationsSchema] | None,
    service_code: str,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    target: float = STAFF_RATIO_TARGET,
    peer_year: int | None = None,
) -> pd.DataFrame:
    """One service's staff ratio (1:N) and qualified WTE gap each year, beside its comparators.

    One row per year and ``comparison`` (the service, its region, its peer
    group, England) with ``nhs_wte_per_qualified``, ``qualified_wte``,
    ``qualified_wte_gap``, ``n_services``, ``suppressed`` and ``reason``;
    ``peer_group`` names the peer group on its rows. The peer group is the
    services sharing the service's band and type in ``peer_year`` (default:
    its latest return), followed through every year (see the module docstring).
    """
    values = ["nhs_wte_per_qualified", "qualified_wte", "nhs_wte", "qualified_wte_gap"]
    own = stats[stats["service_code"] == service_code]
    if own.empty:
        raise QioConfigError(f"There are no statistics returns for LKS service {service_code!r}.")
    peers = peer_panel(stats, organisations, peer_year or int(own["year_start"].max()))
    service = staff_ratio(own, by="service_code", target=target).assign(
        comparison=own["service_name"].iloc[0]
    )
    regions = _suppressed(
        staff_ratio(stats, by="region", target=target), "region", values, min_group
    )
    region = own["region"].iloc[-1]
    peer_table = _suppressed(
        staff_ratio(peers.dropna(subset=["peer_group"]), by="peer_group", target=target),
        "peer_group",
        values,
        min_group,
    )
    own_peer = peers.loc[own.index, "peer_group"].dropna()
    peer_rows = peer_table[peer_table["peer_group"].isin(own_peer.head(1))].assign(
        comparison="Similar services"
    )
    parts = [
        service.assign(suppressed=False, suppression=""),
        _pick(regions, "region", region, region),
        peer_rows,
        _pick(regions, "region", NATIONAL, NATIONAL),
    ]
    out = pd.concat(parts, ignore_index=True, sort=False)
    return _finish(out, min_group)


@enforce_schemas
def activity_benchmark(
    stats: DataFrame[StatisticsSchema],
    organisations: DataFrame[OrganisationsSchema] | None,
    service_code: str,
    year_start: int,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
) -> pd.DataFrame:
    """Each activity per 1,000 NHS WTE: the service, its region, its peer group and England.

    Long: one row per ``activity`` and ``comparison`` with ``rate``,
    ``n_services``, ``suppressed`` and ``reason``.
    """
    year = stats[stats["year_start"] == year_start]
    own = year[year["service_code"] == service_code]
    if own.empty:
        raise QioConfigError(
            f"There is no {format_financial_year(year_start)} statistics return for LKS "
            f"service {service_code!r}."
        )
    rate_cols = [f"{a}_per_1000_wte" for a in ACTIVITIES]
    peers = peer_groups(year, organisations)
    regions = _suppressed(activity_rates(year, by="region"), "region", rate_cols, min_group)
    peer_table = _suppressed(
        activity_rates(peers.dropna(subset=["peer_group"]), by="peer_group"),
        "peer_group",
        rate_cols,
        min_group,
    )
    peer = peers.loc[own.index, "peer_group"].iloc[0]
    parts = [
        activity_rates(own, by="service_code").assign(
            comparison=own["service_name"].iloc[0], suppressed=False, suppression=""
        ),
        _pick(regions, "region", own["region"].iloc[0], own["region"].iloc[0]),
        _pick(peer_table, "peer_group", peer, "Similar services"),
        _pick(regions, "region", NATIONAL, NATIONAL),
    ]
    wide = pd.concat(parts, ignore_index=True, sort=False)
    long = wide.melt(
        id_vars=["comparison", "n_services", "suppressed", "suppression"],
        value_vars=rate_cols,
        var_name="activity",
        value_name="rate",
    )
    # A rate sums only the services that reported that activity, so each comparator's
    # rate is withheld on its own when fewer than ``min_group`` services are behind it.
    members = {
        own["region"].iloc[0]: year["region"] == own["region"].iloc[0],
        "Similar services": peers["peer_group"] == peer,
        NATIONAL: pd.Series(True, index=year.index),
    }
    behind = pd.Series(
        {
            (label, measure): int((rows & in_rate(year, measure)).sum())
            for label, rows in members.items()
            for measure in ACTIVITIES
        },
        dtype="int64",
    )
    n = pd.Series(
        [
            behind.get((c, a.removesuffix("_per_1000_wte")), -1)
            for c, a in zip(long["comparison"], long["activity"], strict=True)
        ],
        index=long.index,
    )
    small = exposed(n, min_group=min_group) & ~long["suppressed"].fillna(False).astype(bool)
    long["rate"] = long["rate"].mask(small)
    long.loc[small, "suppressed"] = True
    long.loc[small, "suppression"] = "primary"
    long["activity"] = long["activity"].str.removesuffix("_per_1000_wte").map(ACTIVITIES)
    long["peer_group"] = peer
    return _finish(long, min_group)


def _finish(frame: pd.DataFrame, min_group: int) -> pd.DataFrame:
    reasons = {
        kind: suppression_reason(kind, min_group=min_group, units="services")
        for kind in frame["suppression"].dropna().unique()
    }
    out = frame.assign(
        suppressed=frame["suppressed"].fillna(False).astype(bool),
        reason=frame["suppression"].fillna("").map(lambda k: reasons.get(k, "")),
    )
    return out.drop(columns=[c for c in ("suppression", "group_size") if c in out.columns])


@enforce_schemas
def service_distribution(
    stats: DataFrame[StatisticsSchema], year_start: int, measure: str
) -> pd.DataFrame:
    """Every service's value of ``measure`` in one year, without names (for a strip plot).

    ``measure`` is ``"nhs_wte_per_qualified"`` or ``"<activity>_per_1000_wte"``.
    Columns: ``service_code``, ``value``.
    """
    year = stats[stats["year_start"] == year_start]
    if measure == "nhs_wte_per_qualified":
        table = staff_ratio(year, by="service_code")
    else:
        table = activity_rates(year, by="service_code")
    return (
        table[["service_code", measure]]
        .rename(columns={measure: "value"})
        .dropna(subset=["value"])
        .reset_index(drop=True)
    )
