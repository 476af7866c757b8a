"""The organisation report's anonymous context: small groups are withheld, and say so everywhere."""

from __future__ import annotations

import pandas as pd
import pytest

import qio_analysis as qa
from qio_analysis.io.submissions import submissions_frame
from qio_analysis.metrics import disclosure
from qio_analysis.report import context as ctx
from qio_analysis.report import display as d
from tests.metrics.helpers import stats

#: region -> validated level of each organisation (the same on all six outcomes).
REGIONS = {"London": [1, 3], "South West": [2] * 6, "Midlands": [4] * 7}


def small_subs() -> pd.DataFrame:
    rows, number = [], 0
    for region, levels in REGIONS.items():
        for level in levels:
            number += 1
            for outcome in range(1, 7):
                for assessment in ("self", "validated"):
                    rows.append(
                        {
                            "org_code": f"ZQ{number:02d}",
                            "org_name": f"Organisation {number}",
                            "region": region,
                            "cycle": 2025,
                            "outcome": outcome,
                            "assessment": assessment,
                            "level": level,
                            "sublevel": None,
                            "score": float(level),
                            "source_file": "fixture.csv",
                            "source_row": len(rows) + 2,
                        }
                    )
    return qa.schemas.validate_submissions(submissions_frame(rows))


@pytest.fixture
def shown(monkeypatch):
    captured: list[tuple[object, dict]] = []
    monkeypatch.setattr(d, "display", lambda obj, **kw: captured.append((obj, kw)))
    return captured


def page(shown) -> str:
    """Everything a reader sees: HTML outputs and the charts' alt text and data."""
    parts = []
    for obj, _ in shown:
        if isinstance(obj, dict):
            parts.append(obj["text/plain"])
        else:
            parts.append(obj.data)
    return "\n".join(parts)


def chart(shown) -> dict:
    return next(obj[d.PLOTLY_MIME] for obj, _ in shown if isinstance(obj, dict))


def records(shown) -> list[dict]:
    return [
        r for _, kw in shown for r in kw.get("metadata", {}).get("qio", {}).get("suppressed", [])
    ]


def org(code: str) -> pd.Series:
    return qa.level_profile(small_subs(), code, 2025).iloc[0]


def test_a_region_of_two_is_withheld_in_chart_alt_text_and_tables(shown):
    ctx.regional_context(small_subs(), org("ZQ01"), 2025, min_group=5)
    text = page(shown)
    assert "London is not shown. Fewer than 5 organisations are behind these figures" in text
    assert "Not shown: fewer than 5 organisations" in text  # summary table
    assert "London: median" not in text and "London: Level 3+" not in text
    # England (15 organisations: levels 1, 2 x6, 3, 4 x7): median Level 3, 8 of 15 at 3+.
    assert "<td>Level 3</td>" in text and "<td>53%</td>" in text and "<td>15</td>" in text
    bars = chart(shown)["data"]
    assert {label for trace in bars for label in trace["y"][1]} == {"England"}
    assert chart(shown)["layout"]["meta"]["alt_text"].endswith(
        "they could reveal individual organisations."
    )
    assert records(shown) == [
        {
            "group": "London",
            "n": 2,
            "reason": qa.metrics.disclosure.suppression_reason("primary"),
            "what": "regional and national context, 2025",
        }
    ]


def test_the_data_behind_the_chart_says_why_a_group_is_missing(shown):
    ctx.regional_context(small_subs(), org("ZQ02"), 2025)
    table_html = next(
        o.data for o, _ in shown if "Data behind this chart" in getattr(o, "data", "")
    )
    assert "Fewer than 5 organisations are behind these figures" in table_html


def test_the_data_behind_the_chart_keeps_whole_numbers_whole(shown):
    # The withheld London row used to turn every column float: "1.0", "Level 1", "8.0".
    ctx.regional_context(small_subs(), org("ZQ01"), 2025)
    table_html = next(
        o.data for o, _ in shown if "Data behind this chart" in getattr(o, "data", "")
    )
    # England, outcome 1, Level 4: 7 Midlands organisations of 15 with a level.
    assert (
        "<td>England</td>\n      <td>1</td>\n      <td>Level 4</td>\n      <td>7</td>" in table_html
    )
    assert "<td>15</td>" in table_html
    # Percentages here are 0.0, 6.7, 40.0 and 46.7: never 1.0 or 15.0.
    assert "<td>1.0</td>" not in table_html and "<td>15.0</td>" not in table_html


def test_the_secondary_region_says_it_protects_a_smaller_group(shown):
    ctx.regional_context(small_subs(), org("ZQ03"), 2025)
    text = page(shown)
    assert "Not shown: protects a smaller group" in text
    assert "South West: median" not in text
    assert [r["group"] for r in records(shown)] == ["South West"]
    assert "subtracting the published groups from the England total" in records(shown)[0]["reason"]


def test_a_large_region_is_shown_and_nothing_is_recorded(shown):
    ctx.regional_context(small_subs(), org("ZQ09"), 2025)
    text = page(shown)
    assert "Midlands: median" in text and "<td>Level 4</td>" in text and "<td>100%</td>" in text
    assert records(shown) == []


def test_min_group_two_shows_the_region_of_two(shown):
    ctx.regional_context(small_subs(), org("ZQ01"), 2025, min_group=2)
    assert "London: median" in page(shown) and records(shown) == []


def test_everything_withheld_gives_a_chart_that_says_so(shown):
    ctx.regional_context(small_subs(), org("ZQ01"), 2025, min_group=16)
    spec = chart(shown)
    assert spec["data"] == []
    assert "England is not shown" in spec["layout"]["meta"]["alt_text"]
    assert {r["group"] for r in records(shown)} == {"London", "England"}


def three_services() -> pd.DataFrame:
    return stats(
        [
            {"service_code": s, "year_start": 2024, "nhs_wte": 1000.0, "enquiries": 10.0 * (i + 1)}
            for i, s in enumerate(["ZS1", "ZS2", "ZS3"])
        ]
    )


def test_england_activity_is_withheld_with_fewer_than_five_services(shown):
    national = disclosure.national_activity(three_services())
    assert national["suppressed"].all() and national["enquiries_per_1000_wte"].isna().all()
    own = qa.activity_rates(three_services().iloc[:1], by="service_code")
    ctx.activity_context(own, three_services(), "2024/25")
    text = page(shown)
    assert "<td>10.0</td>" in text  # the service's own rate is its own to see
    assert "<td>20.0</td>" not in text  # England: (10 + 20 + 30) / 3000 * 1000
    assert "<td>Not shown: fewer than 5 services</td>" in text
    assert records(shown)[0]["group"] == "England (LKS activity)"
    assert "Fewer than 5 LKS services" in records(shown)[0]["reason"]
    shown.clear()
    ctx.activity_context(own, three_services(), "2024/25", min_group=3)
    assert "<td>20.0</td>" in page(shown) and records(shown) == []


def six_services_two_with_expert_searches() -> pd.DataFrame:
    # Six services, so England's year is shown; but only ZS1 and ZS2 report expert
    # searches, so England's expert-search rate is ZS1's plus one other service's.
    return stats(
        [
            {
                "service_code": f"ZS{i}",
                "year_start": 2024,
                "nhs_wte": 1000.0,
                "enquiries": 10.0 * i,
                **({"expert_searches": {1: 5.0, 2: 50.0}[i]} if i <= 2 else {}),
            }
            for i in range(1, 7)
        ]
    )


def test_england_activity_withholds_a_rate_with_fewer_than_five_services_behind_it(shown):
    data = six_services_two_with_expert_searches()
    national = disclosure.national_activity(data)
    row = national.iloc[0]
    assert not row["suppressed"] and row["withheld"] == ("expert_searches",)
    assert row["n_expert_searches"] == 2 and row["n_enquiries"] == 6
    assert pd.isna(row["expert_searches_per_1000_wte"]) and pd.isna(row["expert_searches"])
    # Enquiries: (10 + 20 + ... + 60) / 6000 * 1000 = 35.0.
    assert row["enquiries_per_1000_wte"] == pytest.approx(35.0)
    own = qa.activity_rates(data.iloc[:1], by="service_code")
    ctx.activity_context(own, data, "2024/25")
    text = page(shown)
    assert "<td>35.0</td>" in text
    assert "<td>27.5</td>" not in text  # (5 + 50) / 2000 * 1000: ZS1 plus ZS2 alone
    assert "<td>5.0</td>" in text  # ZS1's own expert-search rate is its own to see
    assert text.count("<td>Not shown: fewer than 5 services</td>") == 1
    assert records(shown) == [
        {
            "group": "England (expert searches)",
            "n": 2,
            "reason": qa.metrics.disclosure.suppression_reason("primary", units="LKS services"),
            "what": "national LKS activity rates, 2024/25",
        }
    ]
    shown.clear()
    ctx.activity_context(own, data, "2024/25", min_group=2)
    assert "<td>27.5</td>" in page(shown) and records(shown) == []
