"""Report tables and the sentences beside them: words for gaps, every cycle, like-for-like headlines."""

from __future__ import annotations

import pandas as pd

from qio_analysis import metrics as m
from qio_analysis import report, words
from tests.metrics.helpers import both, subs

N = (None, None)


def _three_cycles():
    rows = []
    for n in range(1, 7):
        rows += both("A", "London", 2021, n, (1, None), (1, None))
        rows += both("A", "London", 2023, n, (2, None), (2, None))
        rows += both("A", "London", 2025, n, (3, "High"), (3, None) if n != 6 else N)
    return subs(rows)


def test_profile_table_has_a_column_per_cycle_and_the_baseline():
    frame = _three_cycles()
    profile = m.level_profile(frame, "ZZA", 2025)
    table = report.profile_table(profile, m.level_history(frame, "ZZA", 2025))
    assert list(table.columns) == [
        "Outcome",
        "Validated 2021",
        "Validated 2023",
        "Self-evaluated 2025",
        "Validated 2025",
        "Changed by validator",
        "Change since 2023",
        "Change since the 2021 baseline",
        "Focus",
    ]
    first = table.iloc[0]
    # Self-evaluated 3 High, validated 3: the same level, a sub-level on one side only.
    assert first["Changed by validator"] == "Sub-level not comparable: Level 3 (High), then Level 3"
    assert first["Change since 2023"] == "up one level"  # 2 -> 3: whole levels, in words
    assert first["Change since the 2021 baseline"] == "up two levels"
    last = table.iloc[5]
    assert last["Validated 2025"] == "not validated"
    assert last["Changed by validator"] == "not validated"
    assert last["Change since 2023"] == "not comparable"
    assert not table.astype(str).apply(lambda c: c.str.contains("nan|None")).any().any()


def test_provisional_title_and_notice():
    profile = m.level_profile(_three_cycles(), "ZZA", 2025)
    assert words.profile_title(profile) == "Org A: QIOF levels 2025 (provisional)"
    assert words.provisional_notice(profile).startswith(
        "Provisional: 1 of 6 outcomes (outcome 6) is awaiting validation for 2025."
    )
    done = m.level_profile(_three_cycles(), "ZZA", 2023)
    assert words.provisional_notice(done) is None
    assert words.profile_title(done) == "Org A: QIOF levels 2023"


def test_first_cycle_profile_table_has_no_change_columns():
    frame = subs(both("A", "London", 2025, 1, (2, None), (2, None)))
    profile = m.level_profile(frame, "ZZA", 2025)
    table = report.profile_table(profile, m.level_history(frame, "ZZA", 2025))
    assert not [c for c in table.columns if c.startswith("Change ")]
    assert table.loc[1, "Self-evaluated 2025"] == "no return"


def test_completeness_table_says_no_submissions():
    frame = subs([r for n in range(1, 7) for r in both("A", "London", 2025, n, (2, None), N)])
    table = report.completeness_table(m.completeness(frame, None, 2025)).set_index("Region")
    assert table.loc["North West", "Submitted"] == "no submissions"
    assert table.loc["North West", "Submitted (%)"] == "no organisations expected"
    assert table.loc["London", "Awaiting validation (codes)"] == "ZZA"
    assert table.loc["London", "Not submitted (codes)"] == "none"
    assert words.completeness_sentence(m.completeness(frame, None, 2025), "North West") == (
        "North West has no submissions for 2025 (0 organisations expected)."
    )


def test_agreement_table_names_the_weighting_and_interval():
    rows = []
    for org, (s, v) in zip("ABCDE", [(2, 2), (3, 2), (1, 1), (3, 3), (2, 1)], strict=True):
        rows += both(org, "London", 2025, 1, (s, None), (v, None))
    summary = m.validation_agreement(subs(rows), 2025).summary
    table = report.agreement_table(summary)
    kappa = "Kappa, levels (quadratic weights, 95% interval)"
    assert kappa in table.columns
    assert table.iloc[0][kappa] == "0.69"  # 0.6875, hand-worked; 5 pairs: too few for an interval
    other = table[table.Outcome == "All outcomes"].iloc[0]
    assert other["Same level"] == "60%"
    sentence = words.agreement_sentence(summary)
    assert "quadratic weights" in sentence and "too few pairs for a bootstrap interval" in sentence
    empty = m.validation_agreement(subs(both("A", "London", 2025, 1, (2, None), N)), 2025)
    assert "cannot be measured" in words.agreement_sentence(empty.summary)


def test_ratio_table_reads_gaps_as_words():
    ratio = pd.DataFrame(
        {
            "service_name": ["ZS1 LKS"],
            "year": ["2024/25"],
            "qualified_wte": [float("nan")],
            "nhs_wte": [3000.0],
            "nhs_wte_per_qualified": [float("nan")],
            "target": [1250.0],
            "meets_target": pd.array([None], dtype="boolean"),
            "qualified_wte_gap": [float("nan")],
            "note": ["no service reported both qualified WTE and NHS WTE"],
        }
    )
    row = report.ratio_table(ratio).iloc[0]
    assert (row["Qualified LKS WTE"], row["Ratio"], row["Meets 1:1,250"]) == (
        "not reported",
        "cannot be calculated",
        "not known",
    )


def test_ratio_table_prints_the_ratio_its_verdict_is_judged_on():
    # 5,001.6 NHS WTE for 4.0 qualified WTE is 1:1,250.4: not the target, short by 0.0013 WTE.
    ratio = pd.DataFrame(
        {
            "service_name": ["ZS1 LKS", "ZS2 LKS"],
            "year": ["2024/25", "2024/25"],
            "qualified_wte": [4.0, 4.0],
            "nhs_wte": [5001.6, 5000.16],
            "nhs_wte_per_qualified": [1250.4, 1250.04],
            "target": [1250.0, 1250.0],
            "meets_target": pd.array([False, True], dtype="boolean"),
            "qualified_wte_gap": [5001.6 / 1250 - 4.0, 0.0],
            "note": ["", ""],
        }
    )
    table = report.ratio_table(ratio)
    assert table[["Ratio", "Meets 1:1,250", "Extra qualified WTE needed"]].values.tolist() == [
        ["1:1,250.4", "No", "less than 0.1"],
        ["1:1,250", "Yes", "0.0"],
    ]
    sentence = words.ratio_sentence(ratio.iloc[0])
    assert "1:1,250.4" in sentence and "does not yet meet" in sentence
