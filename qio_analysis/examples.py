"""Tiny hand-made tables for the package's examples, small enough to work out by hand.

The doctests of the metrics and figures use these (never the demo files), so
an example's expected values can be checked against the table printed here.
Each function returns a new, checked tidy table.
"""

from __future__ import annotations

import pandas as pd

from qio_analysis.schemas import statistics_table, submissions_table

_NAMES = {
    "ZA01": "Ashby NHS Trust",
    "ZA02": "Brook NHS Trust",
    "ZA03": "Cran NHS Trust",
    "ZA04": "Dale NHS Trust",
}


def _named(codes: list[str]) -> dict[str, list[str]]:
    return {"org_code": codes, "org_name": [_NAMES[c] for c in codes]}


def one_organisation() -> pd.DataFrame:
    """ZA01 in London: validated levels for 2023, then a 2025 self-evaluation and validation.

    The validator lowered outcome 1 from 3 to 2 (High); outcome 2 stayed at 2.
    Outcomes 3 to 6 have no level.

    >>> one_organisation()[["cycle", "outcome", "assessment", "level", "sublevel"]]
       cycle  outcome assessment  level sublevel
    0   2023        1  validated      1      NaN
    1   2023        2  validated      2      NaN
    2   2025        1       self      3      NaN
    3   2025        1  validated      2     High
    4   2025        2  validated      2      NaN
    """
    return submissions_table(
        pd.DataFrame(
            {
                **_named(["ZA01"] * 5),
                "region": "London",
                "cycle": [2023, 2023, 2025, 2025, 2025],
                "outcome": [1, 2, 1, 1, 2],
                "assessment": ["validated", "validated", "self", "validated", "validated"],
                "level": [1, 2, 3, 2, 2],
                "sublevel": [None, None, None, "High", None],
            }
        )
    )


def four_organisations() -> pd.DataFrame:
    """Four London organisations' validated 2025 levels on outcome 1: 1, 2, 3 and 3.

    >>> four_organisations()[["org_code", "level"]].values.tolist()
    [['ZA01', 1], ['ZA02', 2], ['ZA03', 3], ['ZA04', 3]]
    """
    return submissions_table(
        pd.DataFrame(
            {
                **_named(["ZA01", "ZA02", "ZA03", "ZA04"]),
                "region": "London",
                "cycle": 2025,
                "outcome": 1,
                "assessment": "validated",
                "level": [1, 2, 3, 3],
            }
        )
    )


def submission_statuses() -> pd.DataFrame:
    """Three organisations in 2025: ZA01 has all six outcomes validated, ZA02 only a
    self-evaluation (awaiting validation), and ZA03 (Midlands) took part in 2023 only.

    >>> submission_statuses().groupby(["org_code", "cycle"]).size().to_dict()
    {('ZA01', 2025): 6, ('ZA02', 2025): 1, ('ZA03', 2023): 1}
    """
    return submissions_table(
        pd.DataFrame(
            {
                **_named(["ZA01"] * 6 + ["ZA02", "ZA03"]),
                "region": ["London"] * 7 + ["Midlands"],
                "cycle": [2025] * 7 + [2023],
                "outcome": [1, 2, 3, 4, 5, 6, 1, 1],
                "assessment": ["validated"] * 6 + ["self", "validated"],
                "level": [2, 2, 2, 2, 2, 2, 3, 1],
            }
        )
    )


def movers() -> pd.DataFrame:
    """Outcome 1 in London, 2023 and 2025: ZA01 rose from 1 to 2, ZA02 left, ZA03 is new.

    >>> movers()[["org_code", "cycle", "level"]].values.tolist()
    [['ZA01', 2023, 1], ['ZA01', 2025, 2], ['ZA02', 2023, 2], ['ZA03', 2025, 3]]
    """
    return submissions_table(
        pd.DataFrame(
            {
                **_named(["ZA01", "ZA01", "ZA02", "ZA03"]),
                "region": "London",
                "cycle": [2023, 2025, 2023, 2025],
                "outcome": 1,
                "assessment": "validated",
                "level": [1, 2, 2, 3],
            }
        )
    )


def validator_changes() -> pd.DataFrame:
    """ZA01's four 2025 outcomes, self-evaluated and validated: the validator lowered outcome 2.

    >>> validator_changes().pivot(index="outcome", columns="assessment", values="level")
    assessment  self  validated
    outcome
    1              2          2
    2              3          2
    3              2          2
    4              1          1
    """
    return submissions_table(
        pd.DataFrame(
            {
                **_named(["ZA01"] * 8),
                "region": "London",
                "cycle": 2025,
                "outcome": [1, 1, 2, 2, 3, 3, 4, 4],
                "assessment": ["self", "validated"] * 4,
                "level": [2, 2, 3, 2, 2, 2, 1, 1],
            }
        )
    )


def two_services() -> pd.DataFrame:
    """Two LKS services' 2024/25 returns: ZL01 (London) and ZL02 (Midlands, no enquiries).

    ZL01 has 4 qualified WTE for 5,000 NHS WTE (1:1,250) and 1,000 enquiries;
    ZL02 has 1.5 for 2,500 (1:1,667).

    >>> two_services()[["service_code", "qualified_wte", "nhs_wte", "enquiries"]].values.tolist()
    [['ZL01', 4.0, 5000.0, 1000], ['ZL02', 1.5, 2500.0, <NA>]]
    """
    return statistics_table(
        pd.DataFrame(
            {
                "service_code": ["ZL01", "ZL02"],
                "region": ["London", "Midlands"],
                "year_start": 2024,
                "qualified_wte": [4.0, 1.5],
                "nhs_wte": [5000.0, 2500.0],
                "enquiries": [1000, None],
            }
        )
    )


def three_returns() -> pd.DataFrame:
    """London returns for 2023/24 and 2024/25: ZL01 both years, ZL02 the first, ZL03 the second.

    >>> three_returns()[["year", "service_code", "qualified_wte", "nhs_wte"]].values.tolist()
    [['2023/24', 'ZL01', 4.0, 5000.0], ['2023/24', 'ZL02', 1.5, 2500.0], ['2024/25', 'ZL01', 4.4, 5000.0], ['2024/25', 'ZL03', 2.0, 2000.0]]
    """
    return statistics_table(
        pd.DataFrame(
            {
                "service_code": ["ZL01", "ZL02", "ZL01", "ZL03"],
                "region": "London",
                "year_start": [2023, 2023, 2024, 2024],
                "qualified_wte": [4.0, 1.5, 4.4, 2.0],
                "nhs_wte": [5000.0, 2500.0, 5000.0, 2000.0],
            }
        )
    )
