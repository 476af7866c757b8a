"""Property: whatever corruption a file suffers, it loads with every row accounted for,
or fails with a QioDataError; never a raw Python exception, never a lost row."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qio_analysis as qa
from tests.conftest import write_workbook

HEADER = ["Org code", "Org name", "Region", "Cycle", "Submitted", "Outcome", "Assessment", "Level"]
GOOD = ["ZQ1", "Quayside NHS Trust", "London", "2023", "2023-05-01", "1", "self", "2 High"]
JUNK = [
    "",
    "#N/A",
    "#REF!",
    "N/A",
    "NULL",
    "-",
    "\u202eZQ2",
    "ZQ\u200b3",
    "12/25/2023",
    "2023/21",
    "2023/24",
    "2023.0",
    "2024/04/01",
    "2024-04-01T10:00:00+01:00",
    "45383",
    "(1,234)",
    "12345678901234567890",
    "7",
    "validated",
    "Outcome 3",
    "Kingâ€™s",
    "x" * 40,
]

cell_edit = st.tuples(st.integers(0, 30), st.integers(0, len(HEADER) - 1), st.sampled_from(JUNK))
settings_ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _rows(n: int, edits: list[tuple[int, int, str]]) -> list[list[str]]:
    rows = [
        [
            GOOD[0][:2] + str(1 + i % 4),
            *GOOD[1:4],
            f"2023-05-0{1 + i % 3}",
            str(1 + i % 6),
            ("self", "validated")[i % 2],
            GOOD[7],
        ]
        for i in range(n)
    ]
    for r, c, value in edits:
        if rows:
            rows[r % len(rows)][c] = value
    return rows


def _check(res: qa.ReadResult, n_rows: int) -> None:
    assert res.rows_in == n_rows
    assert res.rows_in == res.rows_loaded + len(res.rejected) + len(res.superseded)
    files = res.files
    assert (files.rows_in == files.loaded + files.rejected + files.superseded).all()
    assert len(res.data) == res.rows_loaded  # long layout: one tidy row per input row
    assert not res.data.org_code.str.contains("\u202e|\u200b").any()


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings_
@given(st.integers(1, 25), st.lists(cell_edit, max_size=15))
def test_corrupted_cells_in_a_workbook_are_all_accounted_for(tmp_path, n, edits):
    rows = _rows(n, edits)
    path = write_workbook(tmp_path / "levels.xlsx", {"Levels": [HEADER, *rows]})
    try:
        res = qa.read_submissions(path, errors="report")
    except qa.QioDataError as exc:  # e.g. every row blank in a key column: a named error is fine
        assert path.name in str(exc)
        return
    blank = sum(all(not c.strip() for c in r) for r in rows)
    _check(res, n - blank)


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings_
@given(
    st.integers(1, 25),
    st.lists(cell_edit, max_size=15),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=3),
)
def test_corrupted_csv_bytes_load_accounted_or_fail_named(
    tmp_path, n, edits, delimiter, encoding, flips
):
    rows = (
        [[c.replace("â€™", "'") for c in r] for r in _rows(n, edits)]
        if encoding == "cp1252"
        else _rows(n, edits)
    )
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([HEADER, *rows])
    data = bytearray(buffer.getvalue().encode(encoding, errors="replace"))
    for where, byte in flips:
        if data:
            data[where % len(data)] = byte
    path = tmp_path / "levels.csv"
    path.write_bytes(bytes(data))
    try:
        res = qa.read_submissions(path, errors="report")
    except qa.QioDataError as exc:
        assert path.name in str(exc)
        return
    assert res.rows_in == res.rows_loaded + len(res.rejected) + len(res.superseded)
    files = res.files
    assert (files.rows_in == files.loaded + files.rejected + files.superseded).all()
    if not flips:
        blank = sum(all(not c.strip() for c in r) for r in rows)
        _check(res, n - blank)


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings_
@given(st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 255)), min_size=1, max_size=4))
def test_corrupted_workbook_bytes_load_accounted_or_fail_named(tmp_path, flips):
    path = write_workbook(tmp_path / "levels.xlsx", {"Levels": [HEADER, *_rows(12, [])]})
    data = bytearray(path.read_bytes())
    for where, byte in flips:
        data[where % len(data)] = byte
    path.write_bytes(bytes(data))
    try:
        res = qa.read_submissions(path, errors="report")
    except qa.QioDataError as exc:
        assert path.name in str(exc)
        return
    assert res.rows_in == res.rows_loaded + len(res.rejected) + len(res.superseded)
