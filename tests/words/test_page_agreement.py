"""Every number on a page agrees with every other: the regional summary's sentence and its table."""

from __future__ import annotations

import re

import pytest

import qio_analysis as qa
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.report.tables import context_table
from qio_analysis.words import regional_levels_sentence


@pytest.fixture(scope="module")
def summary():
    subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    return qa.level_summary(qa.level_distribution(subs, 2025, by="region"))


@pytest.mark.parametrize("region", REGION_NAMES)
def test_the_sentence_counts_what_the_table_lists(summary, region):
    sentence = regional_levels_sentence(summary, region, 2025)
    table = context_table(summary, [region, NATIONAL])
    listed = set(table[f"{region}: organisations with a validated level"])
    submitted = int(re.match(r"(\d+) organisations", sentence).group(1))
    ours = summary[summary["region"] == region]
    assert submitted == int(ours["n_orgs"].max())
    if "every one has a validated level" in sentence:
        assert listed == {submitted}
    else:
        said = {
            int(n)
            for n in re.findall(r"(\d+) have a validated level|between (\d+) and (\d+)", sentence)[
                0
            ]
            if n
        }
        assert said == listed or said == {min(listed), max(listed)}


def test_north_west_says_both_numbers():
    """The page that said "34 organisations ... have levels" beside a table of 32."""
    subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    summary = qa.level_summary(qa.level_distribution(subs, 2025, by="region"))
    assert regional_levels_sentence(summary, "North West", 2025).startswith(
        "34 organisations in North West submitted for 2025, and 32 have a validated level on "
        "each outcome (2 do not yet)."
    )
