"""Orders of organisations for charts: by name, by mean level, by whole levels gained.

A chart that lists organisations in rows shows them in one of these orders;
each is a pure function (frame in, frame out, the input never modified), so
the heatmap, the dumbbells and a table sorted the same way agree. Ties keep
name order, and an organisation with nothing to rank by comes last.
"""

from __future__ import annotations

import pandas as pd

_ORGS = ["org_code", "org_name"]


def organisations_by_name(df: pd.DataFrame) -> pd.DataFrame:
    """Each organisation in ``df`` once (``org_code, org_name``), in name order.

    >>> rows = pd.DataFrame({"org_code": ["B", "A", "B"], "org_name": ["Bury", "Ashby", "Bury"]})
    >>> organisations_by_name(rows)["org_code"].tolist()
    ['A', 'B']
    """
    return df[_ORGS].drop_duplicates("org_code").sort_values("org_name", kind="stable")


def organisations_by_mean_level(df: pd.DataFrame, level: str) -> pd.DataFrame:
    """Organisations by the mean of their ``level`` column across outcomes, highest first.

    Whole levels only (the column holds levels, never sub-levels); ties in
    name order; an organisation without a level last. Columns:
    ``org_code, org_name, mean_level``.

    >>> rows = pd.DataFrame(
    ...     {
    ...         "org_code": ["A", "A", "B", "B", "C"],
    ...         "org_name": ["Ashby", "Ashby", "Bury", "Bury", "Crewe"],
    ...         "validated_level": [1, 2, 3, None, None],
    ...     }
    ... )
    >>> organisations_by_mean_level(rows, "validated_level").values.tolist()
    [['B', 'Bury', 3.0], ['A', 'Ashby', 1.5], ['C', 'Crewe', nan]]
    """
    orgs = organisations_by_name(df)
    mean = df.groupby("org_code")[level].mean()
    return orgs.assign(mean_level=orgs["org_code"].map(mean).astype("float64")).sort_values(
        "mean_level", ascending=False, kind="stable", na_position="last"
    )


def organisations_by_levels_gained(df: pd.DataFrame, change: pd.DataFrame) -> pd.DataFrame:
    """Organisations by whole levels gained on the outcomes ``df`` holds for them, most first.

    ``change`` has one row per ``org_code`` and ``outcome`` with ``level_change``
    in whole levels (NA where not comparable), as
    :func:`~qio_analysis.metrics.improvement` gives it; only the pairs of
    organisation and outcome in ``df`` count. Ties in name order; an
    organisation with nothing comparable last. Columns:
    ``org_code, org_name, levels_gained``.

    >>> rows = pd.DataFrame(
    ...     {"org_code": ["A", "B", "C"], "org_name": ["Ashby", "Bury", "Crewe"], "outcome": 1}
    ... )
    >>> change = pd.DataFrame(
    ...     {"org_code": ["A", "B", "B", "C"], "outcome": [1, 1, 2, 1], "level_change": [1, 0, 3, None]}
    ... )
    >>> organisations_by_levels_gained(rows, change).values.tolist()
    [['A', 'Ashby', 1.0], ['B', 'Bury', 0.0], ['C', 'Crewe', nan]]
    """
    orgs = organisations_by_name(df)
    drawn = change.merge(df[["org_code", "outcome"]], on=["org_code", "outcome"])
    gained = drawn.groupby("org_code")["level_change"].sum(min_count=1)
    return orgs.assign(levels_gained=orgs["org_code"].map(gained).astype("float64")).sort_values(
        "levels_gained", ascending=False, kind="stable", na_position="last"
    )


def organisations_by_net_change(df: pd.DataFrame) -> pd.DataFrame:
    """Organisations by net whole levels moved across their outcomes, most gained first.

    Takes :func:`~qio_analysis.metrics.improvement` rows; an organisation
    with nothing comparable counts as no change (0). Ties in name order.
    Columns: ``org_code, org_name, net_change``.

    >>> rows = pd.DataFrame(
    ...     {
    ...         "org_code": ["A", "A", "B", "C"],
    ...         "org_name": ["Ashby", "Ashby", "Bury", "Crewe"],
    ...         "level_change": [1, -1, None, 2],
    ...     }
    ... )
    >>> organisations_by_net_change(rows).values.tolist()
    [['C', 'Crewe', 2.0], ['A', 'Ashby', 0.0], ['B', 'Bury', 0.0]]
    """
    net = df.groupby("org_code")["level_change"].sum(min_count=1).astype("Float64").fillna(0)
    names = df.drop_duplicates("org_code").set_index("org_code")["org_name"]
    ordered = pd.DataFrame({"net": net, "name": names.reindex(net.index)}).sort_values(
        ["net", "name"], ascending=[False, True], kind="stable"
    )
    return pd.DataFrame(
        {
            "org_code": ordered.index.to_numpy(),
            "org_name": ordered["name"].to_numpy(),
            "net_change": ordered["net"].astype("float64").to_numpy(),
        }
    )
