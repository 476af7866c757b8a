"""``qio validation-forms`` writes as carefully as ``qio reports``: one sentence for a folder it
cannot write, nothing left half-written, and one run at a time in a folder."""

from __future__ import annotations

import errno

import pytest

from qio_analysis import cli
from qio_analysis.batch.guards import FolderLock
from qio_analysis.io import writers
from tests.forms import EXPORT


def _args(out):
    return ["validation-forms", "--cycle", "2025", "--region", "North West", "--out", str(out),
            "--submissions", str(EXPORT)]  # fmt: skip


@pytest.mark.parametrize(
    ("error", "why"),
    [
        (
            PermissionError(errno.EACCES, "Permission denied"),
            "you do not have permission to write there",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
    ],
)
def test_a_folder_that_cannot_be_written_gets_one_sentence_and_no_forms(
    tmp_path, monkeypatch, capsys, error, why
):
    real = writers.write_workbook_atomic
    calls = []

    def fail_third(path, book, **kw):  # two forms written, then the disk fills
        calls.append(path)
        if len(calls) == 3:
            raise error
        return real(path, book, **kw)

    monkeypatch.setattr(writers, "write_workbook_atomic", fail_third)
    out = tmp_path / "forms"
    assert cli.main(_args(out)) == 2
    err = capsys.readouterr().err
    assert err == (
        f"qio: Cannot write to the output folder {out}: {why}. No form was left from this run.\n"
    )
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == []


def test_two_runs_into_one_folder_one_refuses(tmp_path, capsys):
    out = tmp_path / "forms"
    out.mkdir()
    with FolderLock(out, "qio validation-forms"):
        assert cli.main(_args(out)) == 2
    assert "Another run (qio validation-forms, process " in capsys.readouterr().err
    assert not list(out.glob("*.xlsx"))
    assert cli.main(_args(out)) == 0
    assert len(list(out.glob("*.xlsx"))) == 8
    assert cli.main(_args(out)) == 2  # a second run never writes over the first's forms
    assert "8 form(s) already in" in capsys.readouterr().err


@pytest.mark.slow
def test_report_mode_never_advises_the_option_already_given(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    base = ["reports", "--cycle", "2025", "--out", str(tmp_path / "out"), "--quiet"]
    assert cli.main([*base, "--errors", "report", "--submissions", str(bad)]) == 2
    assert "--errors report" not in capsys.readouterr().err
    assert cli.main([*base, "--submissions", str(bad)]) == 2
    assert "run again with --errors report" in capsys.readouterr().err
