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
    # 3,000 NHS WTE for 2 qualified WTE: 1:1,500, and 3,000 / 1,250 - 2 = 0.4 WTE short.
    assert (
        "LKS1 LKS is at 1:1,500 in 2024/25, which does not yet meet the 1:1,250 target: "
        "0.4 more qualified WTE would meet it." in explorer.message.value
    )
    spec = json.dumps(explorer.figure.to_plotly_json(), default=str)
    assert not any(f"LKS{i} LKS" in spec for i in (2, 3, 4, 5))


def test_activity_view_is_a_strip_without_other_names(explorer):
    explorer.apply_query("?view=activity&org=ZZB")
    traces = [t for t in explorer.figure.data if t.name == "LKS2 LKS"]
    assert traces and traces[0].x[0] == pytest.approx(20)
    spec = json.dumps(explorer.figure.to_plotly_json(), default=str)
    assert not any(f"LKS{i} LKS" in spec for i in (1, 3, 4, 5))
    # LKS1 and LKS2: the two Acute services under 5,000 NHS WTE in 2024/25.
    assert (
        "Similar services: the 2 services that, like LKS2 LKS in 2024/25, serve Acute "
        "organisations and under 5,000 NHS WTE (its peer group)." in explorer.message.value
    )
    assert explorer.outcome.disabled and explorer.compare.disabled


def test_activity_key_is_on_screen_and_no_mark_hides_another(explorer):
    explorer.apply_query("?view=activity&org=ZZB")
    fig = explorer.figure
    legend = fig.layout.legend
    # under the title, above the first panel: seen as the chart's frame opens
    assert (legend.yref, legend.yanchor) == ("container", "top")
    assert (1 - legend.y) * fig.layout.height < fig.layout.margin.t
    heights = {
        t.name: t.y[0]
        for t in fig.data
        if t.name and not t.name.startswith("Other") and t.name != "LKS2 LKS"
    }
    assert len(heights) >= 2 and len(set(heights.values())) == len(heights), heights


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


# ----------------------------------------------------------------- links from outside


@pytest.mark.parametrize(
    "query",
    [
        "?view=radar&org=" + "Z" * 20_000,
        "?view=radar&" + "&".join(["org=NOPE"] * 5_000),
        "?view=radar&org=ZZ\u202eA&region=\u2066<b>Lon</b>\u2069don",
        "?view=radar&org=%E2%80%AE%E2%81%A6" + "x" * 300 + "&cycle=%00%1b[31m",
        "?view=heatmap&region=" + "%F0%9F%92%A5" * 2_000 + "&sort=level&sort=name",
    ],
)
def test_hostile_links_give_a_chart_and_a_short_clean_message(explorer, query):
    explorer.apply_query(query)
    message = re.sub(r"<[^>]+>", "", explorer.message.value)
    assert len(message) < 600, len(message)
    assert not re.search("[\u202a-\u202e\u2066-\u2069\x00-\x1f\u200b]", message)
    assert "<b>" not in explorer.message.value
    assert len(explorer.figure.data) > 0 or explorer.view.value == "radar"
    assert "This link" in message


def test_a_bidi_override_in_a_link_is_removed_and_the_value_still_matches(explorer):
    explorer.apply_query("?view=radar&org=ZZ%E2%80%AEA")
    assert explorer.organisation.value == "Org A (ZZA)"
    assert explorer.figure.data[0].type == "scatterpolar"
    assert "Invisible or control characters in it were removed." in explorer.message.value


def test_repeated_keys_use_the_last_value_and_say_so(explorer):
    explorer.apply_query("?view=heatmap&region=Midlands&region=London")
    assert explorer.region.value == "London"
    assert "It gave region more than once; the last value was used." in explorer.message.value


# ----------------------------------------------------------------- change in the heatmap


def test_the_heatmap_compares_with_an_earlier_cycle_and_sorts_by_change(explorer):
    # Whole levels gained 2023 -> 2025 over six outcomes: ZZA 3-1 = 2 each (12), ZZC 12,
    # ZZB validated 2 (High) from 1: 1 each (6), ZZD has no 2023 return (not comparable).
    explorer.apply_query("?view=heatmap&compare=2023&sort=change")
    heat = explorer.figure.data[0]
    order = list(dict.fromkeys(heat.y))
    assert [o[-4:-1] for o in order] == ["ZZA", "ZZC", "ZZB", "ZZD"]
    labels = {
        (y[-4:-1], x[0]): text
        for trace in explorer.figure.data
        if trace.type == "heatmap"
        for y, row in zip(trace.y, trace.text, strict=True)
        for x, text in zip(trace.x, row, strict=True)
        if text
    }
    # Signs for change over time; the triangles stay the validator's marks.
    assert labels[("ZZA", "1")] == "3 +2"
    assert labels[("ZZB", "1")] == "2 H \u25bc +1"  # lowered by the validator, up since 2023
    assert labels[("ZZD", "1")] == "2"  # no 2023 level: no comparison
    assert "change since 2023" in explorer.figure.layout.title.text
    table = explorer.table.set_index("Organisation")
    rows = {name[-4:-1]: name for name in table.index}
    assert (
        table.loc[rows["ZZB"], "1 Access: validated level"]
        == "2 (High), level lowered; +1 since 2023"
    )
    assert table.loc[rows["ZZD"], "1 Access: validated level"] == "2"
    assert "since 2023" in explorer.message.value
    assert not explorer.compare.disabled


def test_sorting_by_change_without_a_comparison_says_so(explorer):
    explorer.apply_query("?view=heatmap&sort=change")
    assert "Sorting by change needs an earlier cycle" in explorer.message.value


# ----------------------------------------------------------------- peer groups across years


def test_the_peer_group_keeps_its_members_across_years():
    """Three London services, no organisations table (type Unknown), min_group 1.

    | service | 2023/24 NHS WTE (band)  | 2024/25 NHS WTE (band)  | qualified WTE |
    |---------|-------------------------|-------------------------|---------------|
    | SV1     | 4,000 (under 5,000)     | 4,000 (under 5,000)     | 2 and 2       |
    | SV2     | 4,500 (under 5,000)     | 5,200 (5,000 to 9,999)  | 3 and 3       |
    | SV3     | 6,000 (5,000 to 9,999)  | 4,800 (under 5,000)     | 4 and 4       |

    Drawn each year, SV1's peers would be SV2 in 2023/24 and SV3 in 2024/25. With
    2024/25 as the peer year they are SV1 and SV3 in both years:
    2023/24 (4,000 + 6,000) / (2 + 4) = 1,666.7; 2024/25 (4,000 + 4,800) / 6 = 1,466.7.
    With 2023/24 as the peer year, SV1 and SV2: (4,000 + 4,500) / 5 = 1,700 and
    (4,000 + 5,200) / 5 = 1,840.
    """
    rows = [
        {"service_code": s, "year_start": y, "qualified_wte": q, "nhs_wte": n}
        for s, q, wte in (
            ("SV1", 2, (4000, 4000)),
            ("SV2", 3, (4500, 5200)),
            ("SV3", 4, (6000, 4800)),
        )
        for y, n in zip((2023, 2024), wte, strict=True)
    ]
    table = stats(rows)

    def similar(peer_year):
        out = bench.staffing_benchmark(table, None, "SV1", min_group=1, peer_year=peer_year)
        out = out[out["comparison"] == "Similar services"].set_index("year_start")
        return out["nhs_wte_per_qualified"].round(1).to_dict(), out["n_services"].to_dict()

    assert similar(2024) == ({2023: 1666.7, 2024: 1466.7}, {2023: 2, 2024: 2})
    assert similar(None) == similar(2024)  # the latest return by default
    assert similar(2023) == ({2023: 1700.0, 2024: 1840.0}, {2023: 2, 2024: 2})


def test_the_staffing_view_names_the_rule_size_and_band_and_withholds_a_small_group(
    levels, statistics, organisations
):
    explorer = LevelExplorer(levels, statistics, organisations, min_group=2)
    explorer.apply_query("?view=staffing&org=ZZA")
    message = explorer.message.value
    assert (
        "Similar services: the 2 services that, like LKS1 LKS in 2024/25, serve Acute "
        "organisations and under 5,000 NHS WTE (its peer group)." in message
    )
    # LKS1's only earlier return is 2019/20, when LKS2 made none.
    assert "not all of them made a return every year (1 in 2019/20)" in message
    strict = LevelExplorer(levels, statistics, organisations, min_group=3)
    strict.apply_query("?view=staffing&org=ZZA")
    assert "Similar services: fewer than 3 services that, like LKS1 LKS" in strict.message.value
    similar = strict.table[strict.table["comparison"] == "Similar services"]
    assert similar["nhs_wte_per_qualified"].isna().all()
