"""The explorer's new views, filters, organisation search and URL state, driven programmatically.

Fixture (hand-worked), LKS statistics 2024/25, min_group 2 unless a test says otherwise:

| service | region   | qualified WTE | NHS WTE | 1:N   | gap to 1:1,250 | type (orgs)  | band          |
|---------|----------|---------------|---------|-------|----------------|--------------|---------------|
| LKS1      | London   | 2             | 3,000   | 1,500 | 0.4            | Acute (ZZA)  | under 5,000   |
| LKS2      | London   | 4             | 4,000   | 1,000 | 0              | Acute (ZZB)  | under 5,000   |
| LKS3      | London   | 3             | 6,000   | 2,000 | 1.8            | Mental (ZZD) | 5,000-9,999   |
| LKS4      | Midlands | 2             | 5,000   | 2,500 | 2              | Acute (ZZC)  | 5,000-9,999   |
| LKS5      | Midlands | 5             | 2,500   |   500 | 0              | Acute (none) | under 5,000   |

London: 9 WTE for 13,000 -> 1:1,444.4; England: 16 for 20,500 -> 1:1,281.25;
LKS1's peers (Acute, under 5,000: LKS1, LKS2; LKS5 serves no listed organisation, so its
type is Unknown): 6 for 7,000 -> 1:1,166.7.
Enquiries: LKS1 30 -> 10 per 1,000; LKS2 80 -> 20; LKS3 60; LKS4 50; LKS5 25 (10 each).
London 170 / 13,000 -> 13.08; England 245 / 20,500 -> 11.95; peers 110 / 7,000 -> 15.71.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import qio_analysis.explorer.app as app
import qio_analysis.explorer.page as page
from qio_analysis.explorer import LevelExplorer, parse_query, readable, to_query
from qio_analysis.metrics import benchmarking as bench
from tests.metrics.helpers import both, stats, subs


@pytest.fixture(autouse=True)
def shown(monkeypatch):
    bundles = []
    monkeypatch.setattr(app, "display", lambda obj, **kw: bundles.append(obj))
    return bundles


SERVICES = {
    "LKS1": ("London", 2, 3000, 30),
    "LKS2": ("London", 4, 4000, 80),
    "LKS3": ("London", 3, 6000, 60),
    "LKS4": ("Midlands", 2, 5000, 50),
    "LKS5": ("Midlands", 5, 2500, 25),
}


@pytest.fixture
def statistics():
    rows = [
        {
            "service_code": code,
            "region": region,
            "year_start": 2024,
            "qualified_wte": q,
            "nhs_wte": n,
            "enquiries": e,
        }
        for code, (region, q, n, e) in SERVICES.items()
    ]
    rows.append(  # an earlier year for the trend: LKS1 at 1:2,000
        {
            "service_code": "LKS1",
            "region": "London",
            "year_start": 2019,
            "qualified_wte": 1,
            "nhs_wte": 2000,
        }
    )
    return stats(rows)


@pytest.fixture
def organisations():
    return pd.DataFrame(
        {
            "org_code": ["ZZA", "ZZB", "ZZC", "ZZD"],
            "org_name": ["Org A", "Org B", "Org C", "Org D"],
            "org_type": ["Acute", "Acute", "Acute", "Mental health"],
            "region": ["London", "London", "Midlands", "South West"],
            "service_code": ["LKS1", "LKS2", "LKS4", "LKS3"],
        }
    )


@pytest.fixture
def levels():
    rows = []
    for org, region in (("A", "London"), ("B", "London"), ("C", "Midlands")):
        for n in range(1, 7):
            rows += both(org, region, 2023, n, (1, None), (1, None))
            rows += both(org, region, 2025, n, (3, None), (2, "High") if org == "B" else (3, None))
    rows += [r for n in range(1, 7) for r in both("D", "London", 2025, n, (2, None), (2, None))]
    return subs(rows)


@pytest.fixture
def explorer(levels, statistics, organisations):
    return LevelExplorer(levels, statistics, organisations, min_group=2)


# ----------------------------------------------------------------- URL state


def test_query_strings_keep_only_explorer_keys():
    assert parse_query("?token=abc&view=radar&org=ZZA&nonsense=1&region=North+East") == {
        "view": "radar",
        "org": "ZZA",
        "region": "North East",
    }
    assert parse_query("") == {} and parse_query("?view=") == {}
    assert (
        to_query({"view": "radar", "cycle": 2025}, {"view": "distribution", "cycle": 2025})
        == "?view=radar"
    )
    assert to_query({"view": "distribution"}, {"view": "distribution"}) == ""


def test_a_link_sets_every_control_and_the_chart(explorer):
    explorer.apply_query("?view=heatmap&cycle=2023&region=London&outcome=3")
    assert (explorer.view.value, explorer.cycle.value, explorer.region.value) == (
        "heatmap",
        2023,
        "London",
    )
    assert explorer.outcome.value == 3
    codes = sorted(name[-4:-1] for name in explorer.table["Organisation"])
    assert codes == ["ZZA", "ZZB"]  # ZZD has no 2023 return
    assert explorer.query == "?view=heatmap&cycle=2023&region=London&outcome=3"
    assert (
        'data-query="?view=heatmap&amp;cycle=2023&amp;region=London&amp;outcome=3"'
        in explorer.url_out.value
    )


def test_both_assessments_on_the_heatmap_show_both_levels(explorer):
    explorer.apply_query("?view=heatmap&assessment=both")
    heats = [t for t in explorer.figure.data if t.type == "heatmap"]
    rows = {y[-4:-1]: i for i, y in enumerate(heats[0].y)}
    # Each label is drawn by the trace of its text colour: take it from whichever has it.
    grid = {
        code: [next(t.text[i][j] for t in heats if t.text[i][j]) for j in range(6)]
        for code, i in rows.items()
    }
    # ZZB self-evaluated 3 and was validated 2 High on every outcome; ZZA kept its 3.
    assert grid["ZZB"] == ["3\u21922 H"] * 6 and grid["ZZA"] == ["3"] * 6
    assert list(explorer.table.columns)[1] == "1 Access: self-evaluated then validated level"
    assert "both levels are shown" in explorer.message.value


def test_the_heatmap_sorts_by_level(explorer):
    explorer.apply_query("?view=heatmap&sort=level")
    rows = explorer.figure.data[0].y
    # 2025 validated: ZZA and ZZC all 3, ZZB and ZZD all 2; ties keep name order
    order = list(dict.fromkeys(rows))
    assert [o[-4:-1] for o in order] == ["ZZA", "ZZC", "ZZB", "ZZD"] or [
        o[-4:-1] for o in order
    ] == ["ZZD", "ZZB", "ZZC", "ZZA"]  # plotly lists y from the bottom
    assert explorer.query == "?view=heatmap&sort=level"
    explorer.view.value = "radar"
    assert explorer.sort.disabled and "heatmap" in explorer.sort.tooltip


def test_changing_a_control_updates_the_url(explorer):
    assert explorer.query == "" and 'data-query=""' in explorer.url_out.value
    explorer.region.value = "Midlands"
    explorer.compare.value = 2023
    assert explorer.query == "?region=Midlands&compare=2023"
    assert "region=Midlands&amp;compare=2023" in explorer.url_out.value


def test_a_link_for_one_organisation_and_a_comparison(explorer):
    explorer.apply_query("?view=radar&org=zzb&compare=2023")
    assert explorer.organisation.value == "Org B (ZZB)"
    assert explorer.figure.data[0].type == "scatterpolar"
    assert explorer.query == "?view=radar&org=ZZB&compare=2023"
    names = [t.name for t in explorer.figure.data]
    assert any("2023" in str(n) for n in names) and any("2025" in str(n) for n in names)


def test_a_bad_link_value_is_named_and_the_rest_applies(explorer):
    explorer.apply_query("?view=heatmap&region=Atlantis&org=NOPE&cycle=1999")
    assert explorer.view.value == "heatmap" and explorer.region.value == "__all__"
    assert explorer.cycle.value == 2025
    message = explorer.message.value
    assert "region=Atlantis" in message and "org=NOPE" in message and "cycle=1999" in message
    explorer.outcome.value = 2  # the note goes once the analyst changes something
    assert "Atlantis" not in explorer.message.value


# ----------------------------------------------------------------- organisation search


def test_search_by_code_or_part_of_a_name(explorer):
    explorer.view.value = "radar"
    assert explorer.find_organisations("zzc") == ["ZZC"]
    assert explorer.find_organisations("org") == ["ZZA", "ZZB", "ZZC", "ZZD"]
    explorer.organisation.value = "rg c"  # what Enter sends: the typed text
    assert explorer.organisation.value == "Org C (ZZC)"  # the single match is picked
    assert explorer.figure.data[0].type == "scatterpolar"


def test_no_match_clears_the_previous_chart(explorer):
    explorer.view.value = "radar"
    explorer.organisation.value = "ZZA"
    assert explorer.figure.data[0].type == "scatterpolar"
    explorer.organisation.value = "Nowhere Trust"
    assert "No organisation matches \u201cNowhere Trust\u201d" in explorer.message.value
    assert len(explorer.figure.data) == 0 and explorer.query.find("org=") == -1
    explorer.organisation.value = "Org"
    assert "4 organisations match" in explorer.message.value and len(explorer.figure.data) == 0


# ----------------------------------------------------------------- filters and controls


def test_organisation_type_filters_every_view(explorer):
    explorer.view.value = "heatmap"
    explorer.org_type.value = "Mental health"
    assert [name[-4:-1] for name in explorer.table["Organisation"]] == ["ZZD"]
    assert explorer.query == "?view=heatmap&type=Mental+health"
    explorer.view.value = "distribution"
    england = explorer.table[explorer.table["region"] == "England"]
    assert england.groupby("outcome")["organisations"].sum().eq(1).all()  # ZZD alone


def test_controls_a_view_ignores_are_disabled_with_a_reason(explorer):
    explorer.view.value = "radar"
    assert explorer.outcome.disabled and "all six outcomes" in explorer.outcome.tooltip
    assert explorer.region.disabled and not explorer.compare.disabled
    explorer.view.value = "agreement"
    assert explorer.compare.disabled and explorer.assessment.disabled
    assert (
        explorer.organisation.disabled and "not one organisation" in explorer.organisation.tooltip
    )
    explorer.view.value = "distribution"
    assert not explorer.outcome.disabled and not explorer.region.disabled
    assert "Share of organisations" in explorer.help.value


def test_tables_are_readable():
    frame = pd.DataFrame(
        {"n_compared": [2.0, 3.0], "pct_improved": [50.0, 12.5], "cycles": [[2021, 2023], None]}
    )
    out = readable(frame)
    assert list(out.columns) == ["Organisations compared", "% improved", "Cycles"]
    assert out["Organisations compared"].tolist() == [2, 3]
    assert out["Cycles"].iloc[0] == "2021, 2023"


def test_long_tables_show_their_first_rows_and_say_so(explorer, monkeypatch):
    monkeypatch.setattr(page, "TABLE_ROWS", 2)
    explorer.view.value = "heatmap"
    assert len(explorer.table) == 4  # 4 organisations, one column per outcome
    assert "First 2 of 4 rows" in explorer.table_view.value
    assert explorer.table_view.value.count("<tr>") == 1 + 2  # header + 2 rows


def test_explorer_table_shows_levels_as_whole_numbers(explorer):
    explorer.view.value = "heatmap"
    assert re.search(r"<td>[0-4]\.0</td>", explorer.table_view.value) is None
    assert "org_code" not in explorer.table_view.value


# ----------------------------------------------------------------- statistics benchmarking


def test_peer_groups_by_workforce_band_and_type(statistics, organisations):
    year = statistics[statistics["year_start"] == 2024]
    peers = bench.peer_groups(year, organisations).set_index("service_code")
    assert peers.loc["LKS1", "peer_group"] == "Acute, under 5,000 NHS WTE"
    assert peers.loc["LKS3", "peer_group"] == "Mental health, 5,000 to 9,999 NHS WTE"
    assert peers.loc["LKS5", "service_type"] == "Unknown"  # no organisation in the table


def test_staffing_benchmark_hand_worked(statistics, organisations):
    table = bench.staffing_benchmark(statistics, organisations, "LKS1", min_group=1)
    latest = table[table["year_start"] == 2024].set_index("comparison")
    assert latest.loc["LKS1 LKS", "nhs_wte_per_qualified"] == pytest.approx(1500)
    assert latest.loc["LKS1 LKS", "qualified_wte_gap"] == pytest.approx(0.4)
    assert latest.loc["London", "nhs_wte_per_qualified"] == pytest.approx(13000 / 9)
    assert latest.loc["England", "nhs_wte_per_qualified"] == pytest.approx(1281.25)
    assert latest.loc["Similar services", "nhs_wte_per_qualified"] == pytest.approx(7000 / 6)
    own_2019 = table[(table["year_start"] == 2019) & (table["comparison"] == "LKS1 LKS")]
    assert own_2019["nhs_wte_per_qualified"].iloc[0] == pytest.approx(2000)


def test_small_comparator_groups_are_withheld(statistics, organisations):
    table = bench.staffing_benchmark(statistics, organisations, "LKS1", min_group=3)
    latest = table[table["year_start"] == 2024].set_index("comparison")
    # Midlands (2 services) is withheld, so London is too: England minus London would give it back.
    assert latest.loc["London", "suppressed"] and pd.isna(
        latest.loc["London", "nhs_wte_per_qualified"]
    )
    assert "subtracting" in latest.loc["London", "reason"]
    assert not latest.loc["England", "suppressed"]


def test_activity_benchmark_hand_worked(statistics, organisations):
    table = bench.activity_benchmark(statistics, organisations, "LKS1", 2024, min_group=1)
    enquiries = table[table["activity"] == "Enquiries"].set_index("comparison")["rate"]
    assert enquiries["LKS1 LKS"] == pytest.approx(10)
    assert enquiries["London"] == pytest.approx(170 / 13)
    assert enquiries["Similar services"] == pytest.approx(110 / 7)
    assert enquiries["England"] == pytest.approx(245 / 20.5)


def test_staffing_view_names_only_the_selected_service(explorer):
    explorer.apply_query("?view=staffing&org=ZZA")
    names = [t.name for t in explorer.figure.data]
    assert names[0] == "LKS1 LKS" and "London" in names and "England" in names
    assert "gap to the 1:1,250 target in 2024/25: 0.4 WTE" in explorer.message.value
    spec = json.dumps(explorer.figure.to_plotly_json(), default=str)
    assert not any(f"LKS{i} LKS" in spec for i in (2, 3, 4, 5))


def test_activity_view_is_a_strip_without_other_names(explorer):
    explorer.apply_query("?view=activity&org=ZZB")
    traces = [t for t in explorer.figure.data if t.name == "LKS2 LKS"]
    assert traces and traces[0].x[0] == pytest.approx(20)
    spec = json.dumps(explorer.figure.to_plotly_json(), default=str)
    assert not any(f"LKS{i} LKS" in spec for i in (1, 3, 4, 5))
    assert "Similar services: Acute, under 5,000 NHS WTE" in explorer.message.value
    assert explorer.outcome.disabled and explorer.compare.disabled


def test_statistics_views_explain_what_is_missing(levels, organisations, explorer):
    explorer.view.value = "staffing"
    assert "Type an organisation" in explorer.message.value
    no_stats = LevelExplorer(levels, None, organisations)
    no_stats.apply_query("?view=activity&org=ZZA")
    assert "needs the LKS statistics" in no_stats.message.value
    assert len(no_stats.figure.data) == 0


def test_demo_data_carries_the_banner():
    demo = LevelExplorer.from_files()
    assert "Synthetic demo data" in demo.banner.value
    assert demo.org_type.options[0] == ("All types", "__all__") and len(demo.org_type.options) == 6


def test_downloads_cannot_carry_formulas(levels, shown):
    evil = levels.assign(
        org_name=levels["org_name"].where(levels["org_code"] != "ZZA", '=HYPERLINK("x")')
    )
    explorer = LevelExplorer(evil)
    explorer.view.value = "heatmap"
    explorer._download_csv()
    import base64

    encoded = re.search(r"base64,([^\"]+)", explorer.downloads.value).group(1)
    text = base64.b64decode(encoded).decode("utf-8-sig")
    assert "=HYPERLINK" in text
    assert not re.search(r'(^|,)"?=HYPERLINK', text, flags=re.M)
    assert "changed so that the file is safe" in explorer.downloads.value


def test_each_activity_rate_needs_min_group_services_behind_it(statistics, organisations):
    # Only LKS1 (30) and LKS2 (80) report enquiries: London and England each have enough
    # services (3 and 5) but just 2 behind the enquiries rate, so with min_group 3 that rate
    # is withheld beside LKS1 (England minus LKS1 would give LKS2's 80 / 4,000 back).
    few = statistics.assign(
        enquiries=statistics["enquiries"].where(statistics["service_code"].isin(["LKS1", "LKS2"]))
    )
    table = bench.activity_benchmark(few, organisations, "LKS1", 2024, min_group=3)
    enquiries = table[table["activity"] == "Enquiries"].set_index("comparison")
    assert enquiries.loc["LKS1 LKS", "rate"] == pytest.approx(10)
    for group in ("London", "England", "Similar services"):
        assert enquiries.loc[group, "suppressed"], group
        assert pd.isna(enquiries.loc[group, "rate"]), group
    # England has 5 services, so only the per-activity rule withholds its enquiries rate;
    # London goes with Midlands (2 services), the peer group (2) on its own size.
    assert "fewer than 3 services" in enquiries.loc["England", "reason"].lower()
    assert "subtracting" in enquiries.loc["London", "reason"]
    england = table[table["comparison"] == "England"].set_index("activity")
    assert not england["suppressed"].drop("Enquiries").any()
