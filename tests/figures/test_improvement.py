"""The dumbbell of who moved: marks that point the way the level moved, rows by levels gained."""

from __future__ import annotations

from qio_analysis import figures as f
from qio_analysis import metrics as m
from tests.metrics.helpers import subs


def _rows():
    data = []
    # A rises 1 -> 3 on outcome 1 and stays at 2 on outcome 2; B falls 3 -> 2 on outcome 1;
    # C stays at 2 (Low -> High, a sub-level move) on outcome 1; D is new in 2025.
    for org, first, last in (
        ("A", (1, None), (3, None)),
        ("B", (3, None), (2, None)),
        ("C", (2, "Low"), (2, "High")),
    ):
        data.append((org, "London", 2021, 1, "validated", *first))
        data.append((org, "London", 2025, 1, "validated", *last))
    data += [("A", "London", c, 2, "validated", 2, None) for c in (2021, 2025)]
    data.append(("D", "London", 2025, 1, "validated", 4, None))
    return m.improvement(subs(data))


def test_marks_rows_and_words():
    fig = f.fig_improvement(_rows(), where="London")
    title = fig.layout.title.text.replace("<br>", " ")
    assert title == (
        "In London, 1 of 4 organisations rose at least one level on at least one outcome "
        "since the 2021 baseline"
    )
    named = {t.name: t for t in fig.data if t.showlegend}
    assert set(named) == {
        "Level in 2021",
        "Level in 2025: rose",
        "Level in 2025: fell",
        "Level in 2025: same level",
    }
    assert named["Level in 2025: rose"].marker.symbol == "triangle-right"
    assert named["Level in 2025: fell"].marker.symbol == "triangle-left"
    assert named["Level in 2021"].marker.symbol == "circle-open"
    # Rows by whole levels gained: A (+2), C (0), D (nothing to compare: 0), B (-1).
    order = list(fig.layout.yaxis.categoryarray)
    assert [label[-4:-1] for label in order] == ["ZZA", "ZZC", "ZZD", "ZZB"]
    rose = [t for t in fig.data if t.name == "Level in 2025: rose"]
    assert [list(t.x) for t in rose] == [[3]]
    # C's sub-level move is drawn on one level (whole levels are the headline).
    same = [t for t in fig.data if t.name == "Level in 2025: same level"]
    assert sorted(x for t in same for x in t.x) == [2, 2]  # C on outcome 1, A on outcome 2
    alt = f.figure_alt_text(fig)
    assert "Access: 1 rose, 1 fell, 1 same level" in alt
    assert "20 organisation-outcomes without a level in both cycles are not drawn" in alt  # 24 - 4
    table = f.figure_table(fig)
    assert len(table) == 24
    c = table[(table.Organisation == "Org C (ZZC)") & (table.Outcome == "1: Access")].iloc[0]
    assert (c["Level 2021"], c["Level 2025"], c.Movement) == (
        "Level 2 (Low)",
        "Level 2 (High)",
        "same level; sub-level up",
    )


def test_nothing_to_compare_is_a_message():
    rows = _rows()
    fig = f.fig_improvement(rows[rows.org_code == "ZZD"])
    assert "No organisation has a level in both cycles" in f.figure_alt_text(fig)
