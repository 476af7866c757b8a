"""Property: every input row is loaded, rejected or superseded, whatever the mix."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qio_analysis as qa

GOOD_LEVELS = ["0", "1", "2 High", "L3", "4", "", "N/A", "2M"]
BAD_LEVELS = ["5", "-1", "three", "2.5", "2 Very high"]

row_strategy = st.fixed_dictionaries(
    {
        "org": st.sampled_from(["ZQ1", "ZQ2", "ZQ3", "", "bad code!"]),
        "cycle": st.sampled_from(["2021", "2023", "2023/24", "twenty"]),
        "submitted": st.sampled_from(["", "2023-05-01", "2023-06-01"]),
        "outcome": st.sampled_from(["1", "2", "Outcome 3", "7"]),
        "assessment": st.sampled_from(["self", "validated", "Validation", "guess"]),
        "level": st.sampled_from(GOOD_LEVELS + BAD_LEVELS),
        "blank_line": st.booleans(),
    }
)


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(row_strategy, min_size=1, max_size=25))
def test_rows_in_equals_loaded_plus_rejected_plus_superseded(tmp_path, rows):
    path = tmp_path / "long.csv"
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "Org code",
                "Org name",
                "Region",
                "Cycle",
                "Submitted",
                "Outcome",
                "Assessment",
                "Level",
            ]
        )
        for r in rows:
            if r["blank_line"]:
                out.writerow([])
            out.writerow(
                [
                    r["org"],
                    "Test NHS Trust",
                    "London",
                    r["cycle"],
                    r["submitted"],
                    r["outcome"],
                    r["assessment"],
                    r["level"],
                ]
            )
    res = qa.read_submissions(path, errors="report")
    assert res.rows_in == len(rows)
    assert res.rows_in == res.rows_loaded + len(res.rejected) + len(res.superseded)
    assert len(res.data) == res.rows_loaded  # long layout: one tidy row per input row
    bad = set()
    line = 1
    for r in rows:
        line += 1 + r["blank_line"]
        if (
            r["org"] in {"", "bad code!"}
            or r["cycle"] == "twenty"
            or r["outcome"] == "7"
            or r["assessment"] == "guess"
            or r["level"] in BAD_LEVELS
        ):
            bad.add(line)
    assert bad <= set(res.rejected.source_row)
    assert not bad & set(res.data.source_row)
