"""The tables people use match their output models, and each docstring's "Columns:" lists its model.

Every public metric that declares its output (``output_schemas.returns``) is
checked here: its "Columns:" docstring sections name the model's columns in the
model's order, its output on hand-made tables and on the demo data passes the
model, and a table breaking what the model says is refused.
"""

from __future__ import annotations

import inspect
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qio_analysis as qa
from qio_analysis import examples, metrics
from qio_analysis import output_schemas as out
from qio_analysis.errors import QioDataError
from qio_analysis.metrics import change, validation, workforce
from qio_analysis.schemas import columns_of
from tests.metrics.helpers import subs

#: Every function with a declared output, and the ``by`` columns each is called with below.
DECLARED = {
    "paired_levels": [],
    "level_profile": [],
    "level_distribution": ["region"],
    "transitions": ["region"],
    "improvement": ["region"],
    "improvement_summary": ["region"],
    "headline_figures": [],
    "headline_pack": [],
    "validator_changes": [],
}
BY = "[by]"
_HEADER = re.compile(r"^(?P<indent> *)(?:(?P<part>\w+) )?[Cc]olumns:$")
_NAME = re.compile(r"^(?:[a-z_][a-z0-9_]*|\[by\])$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def column_sections(doc: str) -> dict[str, list[str]]:
    """Each ``Columns:`` section of a docstring (``"<part> columns:"`` for a part) as its names.

    An entry is ``name, name: what they hold``, its description continued on
    deeper lines; a list of names ending in a comma continues on the next line.
    """
    lines = inspect.cleandoc(doc).splitlines()
    sections: dict[str, list[str]] = {}
    i = 0
    while i < len(lines):
        header = _HEADER.match(lines[i])
        i += 1
        if header is None:
            continue
        base, entry, pending = len(header["indent"]), None, ""
        names: list[str] = []
        while i < len(lines) and lines[i].strip() and _indent(lines[i]) > base:
            entry = _indent(lines[i]) if entry is None else entry
            if _indent(lines[i]) == entry:
                text = pending + lines[i].strip()
                described = ": " in text or text.endswith(":")
                pending = "" if described or not text.endswith(",") else text + " "
                if not pending:
                    head = text.split(": ", 1)[0].removesuffix(":")
                    names += [n.strip() for n in head.split(",")]
            i += 1
        sections[(header["part"] or "").lower()] = names
    return sections


def _function(name: str):
    return getattr(metrics, name)


# --------------------------------------------------------------------- the parser itself


def test_the_parser_reads_entries_wrapped_names_and_parts():
    doc = """Summary.

    Matrix columns:
        a, b: the first two,
            described over two lines: with a colon.
        c,
        d: wrapped names.
        [by]: the group.

    Columns:
        e: one.

    Not a column: x.
    """
    assert column_sections(doc) == {"matrix": ["a", "b", "c", "d", "[by]"], "": ["e"]}


# --------------------------------------------------------------------- declarations and docstrings


def test_the_declared_functions_are_the_tables_people_use():
    declared = {
        name
        for name in metrics.__all__
        if callable(getattr(metrics, name)) and out.declared_outputs(getattr(metrics, name))
    }
    assert declared == set(DECLARED)


def test_a_declaration_costs_nothing_at_run_time():
    def made() -> pd.DataFrame:
        return pd.DataFrame({"anything": [1]})

    assert out.returns(out.PackWithheldSchema)(made) is made  # not wrapped: nothing runs
    assert out.declared_outputs(made) == {"": out.PackWithheldSchema}
    with pytest.raises(QioDataError, match="figure"):
        out.check_output(made, made())


@pytest.mark.parametrize("name", sorted(DECLARED))
def test_each_docstring_lists_its_models_columns_in_order(name):
    func = _function(name)
    sections = column_sections(func.__doc__)
    models = out.declared_outputs(func)
    assert set(sections) == set(models), name
    for part, model in models.items():
        listed = sections[part]
        assert all(_NAME.match(n) for n in listed), listed
        assert [n for n in listed if n != BY] == columns_of(model), (name, part)
        # A group column chosen with by= is listed exactly where a model that allows it puts it.
        strict = model.to_schema().strict
        assert (BY in listed) == (not strict), (name, part)


def test_literal_value_sets_are_the_metrics_own():
    assert out.MOVEMENT_STATUSES == (change.COMPARED, change.NEW, change.LEFT, change.UNSCORED)
    assert set(out.DIRECTIONS) == {
        validation.LOWERED,
        validation.RAISED,
        validation.UNCHANGED,
        validation.SUBLEVEL_ONE_SIDE,
    }
    assert (
        *validation.ADJUSTMENTS,
        validation.UNCHANGED,
        validation.SUBLEVEL_ONE_SIDE,
    ) == out.ADJUSTMENT_KINDS
    rates = [c for c in columns_of(out.PackTrendSchema) if c.endswith("_per_1000_wte")]
    assert rates == [f"{a}_per_1000_wte" for a in workforce.ACTIVITIES]


# --------------------------------------------------------------------- hand-made tables


def _checked(name: str, *args, groups: list[str] | None = None, **kwargs):
    """Call a declared function, check its output and its column order against the docstring.

    ``groups`` are the ``by`` columns expected (by default those of ``by=``, else the usual).
    """
    func = _function(name)
    result = out.check_output(func, func(*args, **kwargs))
    sections = column_sections(func.__doc__)
    if groups is None:
        by = kwargs.get("by", DECLARED[name])
        groups = [] if by is None else [by] if isinstance(by, str) else list(by)
    for part in out.declared_outputs(func):
        table = getattr(result, part) if part else result
        expected = [c for n in sections[part] for c in (groups if n == BY else [n])]
        assert list(table.columns) == expected, (name, part)
    return result


def test_profile_of_one_organisation():
    profile = _checked("level_profile", examples.one_organisation(), "ZA01", 2025)
    assert profile["outcome"].tolist() == [1, 2, 3, 4, 5, 6]
    assert profile["adjustment"].tolist()[:2] == [-1, pd.NA]


def test_distribution_of_four_organisations():
    dist = _checked("level_distribution", examples.four_organisations(), 2025, by=None)
    one = dist[dist["outcome"] == 1]
    assert one["n"].tolist() == [0, 1, 1, 2, 0] and one["n_scored"].tolist() == [4] * 5
    by_region = _checked("level_distribution", examples.four_organisations(), 2025, by="region")
    assert set(by_region["region"]) == {"London", "England"}


def test_transitions_and_improvement_of_movers():
    moved = _checked("transitions", examples.movers(), 2023, 2025, by="region")
    first = moved.summary.iloc[0]
    assert (first["n_orgs"], first["n_compared"], first["improved"]) == (3, 1, 1)
    rows = _checked("improvement", examples.movers())
    summary = _checked("improvement_summary", rows)
    assert summary["org_code"].tolist() == sorted(summary["org_code"]) == ["ZA01", "ZA02", "ZA03"]
    assert summary["n_compared"].tolist() == [1, 0, 0]
    national = _checked("improvement", examples.movers(), by=None)
    assert "region" not in national.columns
    assert _checked("improvement_summary", national, groups=[])["n_outcomes"].tolist() == [6] * 3


def test_validator_changes_and_paired_levels():
    changes = _checked("validator_changes", examples.validator_changes(), 2025)
    assert changes["direction"].tolist() == ["unchanged", "lowered", "unchanged", "unchanged"]
    pairs = _checked("paired_levels", examples.validator_changes(), 2025)
    assert len(pairs) >= len(changes)


def test_headline_figures_and_pack_of_three_returns():
    figures = _checked("headline_figures", examples.three_returns(), "2024/25")
    assert figures.set_index("measure").at["qualified_wte", "n_both"] == 1
    pack = _checked("headline_pack", examples.three_returns(), "2024/25", min_group=2)
    assert not pack.withheld.empty  # one service in both years: like for like is withheld
    assert pack.withheld["reason"].str.len().min() > 0


# --------------------------------------------------------------------- the models refuse what is wrong


def _profile() -> pd.DataFrame:
    return metrics.level_profile(examples.one_organisation(), "ZA01", 2025)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("validated_level", 5),  # levels are 0-4
        ("self_score", 5.0),  # scores are below 5
        ("comparison", "sideways"),  # a status of the one rule
        ("outcome", 7),  # six outcomes
    ],
)
def test_the_profile_model_refuses_a_value_no_profile_can_hold(column, value):
    bad = _profile()
    bad[column] = pd.Series([value] * len(bad), dtype=bad[column].dtype)
    with pytest.raises(QioDataError) as raised:
        out.check_output(metrics.level_profile, bad)
    assert column in {p.column for p in raised.value.problems}


def test_a_sublevel_outside_low_medium_high_is_refused():
    bad = _profile().assign(self_sublevel=pd.Categorical(["Top"] * 6))
    with pytest.raises(QioDataError, match="self_sublevel"):
        out.check_output(metrics.level_profile, bad)


def test_counts_that_do_not_add_up_are_refused():
    dist = metrics.level_distribution(examples.four_organisations(), 2025)
    with pytest.raises(QioDataError, match="scored or missing"):
        out.check_output(metrics.level_distribution, dist.assign(n_missing=dist["n_missing"] + 1))
    with pytest.raises(QioDataError, match="pct"):
        out.check_output(metrics.level_distribution, dist.assign(pct=dist["pct"] + 101))
    moved = metrics.transitions(examples.movers(), 2023, 2025)
    summary = moved.summary.assign(declined=moved.summary["declined"] + 1)
    with pytest.raises(QioDataError, match="one status"):
        out.check_output(metrics.transitions, moved._replace(summary=summary))


def test_a_column_out_of_order_or_missing_is_refused():
    profile = _profile()
    swapped = profile[["org_name", "org_code", *profile.columns[2:]]]
    with pytest.raises(QioDataError):
        out.check_output(metrics.level_profile, swapped)
    with pytest.raises(QioDataError, match="is_strength"):
        out.check_output(metrics.level_profile, profile.drop(columns="is_strength"))


# --------------------------------------------------------------------- invariants and the demo data

LEVEL_CHOICES = [
    (None, None),
    (0, None),
    (1, "Low"),
    (2, None),
    (2, "High"),
    (3, "Medium"),
    (4, None),
]
REGION = {"A": "London", "B": "London", "C": "Midlands", "D": "South West"}
ROW = st.tuples(
    st.sampled_from("ABCD"),
    st.sampled_from([2021, 2023, 2025]),
    st.integers(1, 6),
    st.sampled_from(["self", "validated"]),
    st.sampled_from(LEVEL_CHOICES),
)


@pytest.mark.slow  # seconds of examples: not the fast layer
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=50))
def test_any_submissions_give_tables_their_models_accept(raw):
    seen = {(o, c, n, a): lv for o, c, n, a, lv in raw}
    data = subs([(o, REGION[o], c, n, a, *lv) for (o, c, n, a), lv in seen.items()])
    cycles = sorted(data["cycle"].unique())
    latest = int(cycles[-1])
    _checked("paired_levels", data)
    _checked("level_distribution", data, cycles, by="region", assessment=["self", "validated"])
    _checked("validator_changes", data, latest)
    org = data.loc[data["cycle"] == latest, "org_code"].iloc[0]
    _checked("level_profile", data, org, latest)
    if len(cycles) > 1:
        _checked("transitions", data, int(cycles[0]), latest, by="region")
        _checked("improvement_summary", _checked("improvement", data))


@pytest.fixture(scope="module")
def demo():
    return qa.load_inputs()


@pytest.mark.slow  # the demo data's full tables: seconds, not the fast layer
def test_the_demo_data_gives_tables_their_models_accept(demo):
    s, stats = demo.submissions, demo.statistics
    _checked("paired_levels", s, 2025)
    _checked("level_profile", s, "ZA07", 2025)
    _checked("level_distribution", s, [2023, 2025], by="region")
    _checked("transitions", s, 2023, 2025, by="region")
    _checked("improvement_summary", _checked("improvement", s))
    _checked("validator_changes", s, 2025)
    _checked("headline_figures", stats)
    assert _checked("headline_pack", stats).withheld.empty
    withheld = _checked("headline_pack", stats, min_group=30)
    assert withheld.regions["suppressed"].any() and not withheld.withheld.empty
