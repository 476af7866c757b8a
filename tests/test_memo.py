"""Memoised functions of DataFrames: computed once per content, copies handed out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from hypothesis import given
from hypothesis import strategies as st

from qio_analysis.memo import clear_memo, frame_fingerprint, memoise_frames

CALLS: list[str] = []


@memoise_frames
def total(frame: pd.DataFrame, column: str, *, scale: int = 1) -> pd.DataFrame:
    CALLS.append(column)
    return pd.DataFrame({"total": [frame[column].sum() * scale]})


@memoise_frames
def figure(frame: pd.DataFrame) -> go.Figure:
    CALLS.append("figure")
    return go.Figure(go.Bar(x=list(frame["a"])))


def setup_function():
    clear_memo()
    CALLS.clear()


def test_same_content_is_computed_once_even_in_a_new_frame_object():
    first = total(pd.DataFrame({"a": [1, 2]}), "a")
    again = total(pd.DataFrame({"a": [1, 2]}), "a")  # a new object, as each notebook reads afresh
    assert CALLS == ["a"]
    assert first.at[0, "total"] == again.at[0, "total"] == 3


def test_any_difference_in_content_names_or_arguments_recomputes():
    total(pd.DataFrame({"a": [1, 2]}), "a")
    total(pd.DataFrame({"a": [1, 3]}), "a")  # a value
    total(pd.DataFrame({"a": [1, 2]}, index=[5, 6]), "a")  # the index
    total(pd.DataFrame({"a": [1.0, 2.0]}), "a")  # the dtype
    total(pd.DataFrame({"a": [1, 2]}), "a", scale=2)  # a keyword argument
    total(pd.DataFrame({"b": [1, 2]}), "b")  # the column name
    assert len(CALLS) == 6


def test_results_are_copies_the_caller_may_change():
    frame = pd.DataFrame({"a": [1, 2]})
    result = total(frame, "a")
    result.loc[0, "total"] = 100
    assert total(frame, "a").at[0, "total"] == 3
    fig = figure(frame)
    fig.update_layout(title="changed")
    assert figure(frame).layout.title.text is None
    assert CALLS == ["a", "figure"]


def test_unhashable_arguments_call_straight_through():
    frame = pd.DataFrame({"a": [[1], [2]]})  # lists in cells cannot be hashed
    figure(pd.DataFrame({"a": [1]}))
    total(pd.DataFrame({"a": [1, 2]}), ["a"][0])
    assert len(CALLS) == 2
    with_lists = memoise_frames(lambda f: len(f))
    assert with_lists(frame) == 2 and with_lists(frame) == 2


@given(
    st.lists(st.integers(-5, 5), min_size=1, max_size=6),
    st.lists(st.integers(-5, 5), min_size=1, max_size=6),
)
def test_fingerprints_are_equal_exactly_when_frames_are_equal(left, right):
    a, b = pd.DataFrame({"x": left}), pd.DataFrame({"x": right})
    assert (frame_fingerprint(a) == frame_fingerprint(b)) == a.equals(b)
