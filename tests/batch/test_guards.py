"""One run, one output folder, inputs that hold still: --out apart from the inputs, the lock, a file replaced mid-run."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time

import pytest

from qio_analysis import cli
from qio_analysis.batch.guards import FolderInUseError, FolderLock, InputWatch, check_apart
from qio_analysis.errors import QioConfigError
from tests.batch.processes import cleanup, finish, kernel_pids, manifest, run_in_process, start
from tests.batch.slow_run import SLOW_ID
from tests.conftest import reports_args

NEW_ROW = "ZXS2,Southholm LKS,ZX3,ZX3,South West,2023/24,1,1900,140,25,50\n"


# --------------------------------------------------------------------- --out apart from the inputs


def test_an_output_folder_inside_an_input_folder_is_refused(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "subs.csv").write_text("x")
    for out in (exports, exports / "reports"):
        with pytest.raises(QioConfigError) as caught:
            check_apart(out, [("--submissions", exports)])
        assert str(caught.value) == (
            f"The output folder {out} is inside the --submissions folder {exports}; "
            "choose an --out outside the input folders."
        )
    # The reverse: an input inside the output folder (a run could overwrite or remove it).
    with pytest.raises(QioConfigError, match=r"The --statistics file .* is inside the output"):
        check_apart(tmp_path, [("--statistics", exports / "subs.csv")])
    with pytest.raises(QioConfigError, match=r"The --submissions folder .* is inside the output"):
        check_apart(tmp_path, [("--submissions", exports)])
    # Beside each other is fine, and so is an output folder beside an input file.
    check_apart(tmp_path / "reports", [("--submissions", exports)])
    check_apart(exports / "reports", [("--statistics", exports / "subs.csv")])


def test_out_equal_to_the_submissions_folder_stops_at_the_start_in_one_sentence(
    reports_data, tmp_path, capsys
):
    folder = tmp_path / "qiof"
    folder.mkdir()
    shutil.copy(reports_data / "submissions.csv", folder)
    args = reports_args(reports_data, folder)
    args[args.index("--submissions") + 1] = str(folder)
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert err == (
        f"qio: The output folder {folder} is inside the --submissions folder {folder}; "
        "choose an --out outside the input folders.\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["submissions.csv"]  # nothing written


# --------------------------------------------------------------------- the lock


def test_the_lock_names_who_holds_it_and_goes_with_them(tmp_path):
    first = FolderLock(tmp_path).acquire()
    with pytest.raises(FolderInUseError) as caught:
        FolderLock(tmp_path).acquire()
    message = str(caught.value)
    assert message.startswith(f"Another run (qio reports, process {os.getpid()} of ")
    assert message.endswith(
        f"is writing to {tmp_path}; wait for it to finish, or choose another --out."
    )
    first.release()
    assert not (tmp_path / ".qio-lock").exists()
    with FolderLock(tmp_path):
        pass


@pytest.mark.slow
def test_a_second_run_on_a_held_folder_refuses_and_writes_nothing(reports_data, tmp_path, capsys):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    process = start(reports_data, out, {"pidfile": str(pidfile), "seconds": 120}, jobs=1)
    with cleanup(process):
        kernel_pids(pidfile, 1, process)  # the first run is building, holding the folder
        before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        other = tmp_path / "other-data"
        shutil.copytree(reports_data, other)
        with (other / "statistics.csv").open("a") as handle:
            handle.write(NEW_ROW)  # a colleague's different data
        assert cli.main(reports_args(other, out)) == 2
        err = capsys.readouterr().err
        assert re.fullmatch(
            rf"qio: Another run \(qio reports, process {process.pid} of \S+ on \S+, started "
            rf"\d{{4}}-\d\d-\d\dT[\d:]+\) is writing to {re.escape(str(out))}; "
            r"wait for it to finish, or choose another --out.\n",
            err,
        ), err
        after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p in before}
        assert after == before  # the second run changed nothing
        process.send_signal(signal.SIGKILL)  # killed outright: its lock goes with it
        finish(process, timeout=30)
    assert cli.main(reports_args(reports_data, out)) == 0
    rows = {row["item"]: row["status"] for row in manifest(out)["items"]}
    # The killed run's items (its test plan) are not listed as current next to this run's.
    assert rows.pop(SLOW_ID) == "withdrawn"
    assert {status for item, status in rows.items() if "ZXQ" not in item} == {"built"}
    assert {status for item, status in rows.items() if "ZXQ" in item} == {"withdrawn"}


# --------------------------------------------------------------------- inputs that hold still


def test_the_watch_sees_a_replaced_changed_or_added_file(tmp_path):
    folder = tmp_path / "qiof"
    folder.mkdir()
    (folder / "a.csv").write_text("one")
    watch = InputWatch(lambda: sorted(folder.iterdir()))
    assert watch.changed() == [] and watch.changed_content() == []
    (folder / "b.csv").write_text("two")
    assert watch.changed() == [folder / "b.csv"]
    (folder / "b.csv").unlink()
    stat = (folder / "a.csv").stat()
    (folder / "a.csv").write_text("ONE")  # same size; identity and content both change
    os.utime(folder / "a.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert watch.changed_content() == [folder / "a.csv"]


@pytest.mark.slow
def test_a_file_replaced_mid_run_stops_it_and_nothing_is_listed_as_current(
    reports_data, tmp_path, monkeypatch
):
    out, pidfile, release = tmp_path / "out", tmp_path / "kernels", tmp_path / "release"
    slow = {"pidfile": str(pidfile), "release": str(release), "seconds": 120}
    process = start(reports_data, out, slow)
    with cleanup(process):
        kernel_pids(pidfile, 1, process)
        replacement = tmp_path / "statistics.csv"
        replacement.write_text((reports_data / "statistics.csv").read_text() + NEW_ROW)
        replacement.replace(reports_data / "statistics.csv")  # as a save from Excel does
        release.touch()  # the slow item ends now that the file is replaced mid-run
        code, _, err = finish(process)
    assert code == 1, err
    stats = reports_data / "statistics.csv"
    assert (
        f"qio: {stats} changed while the reports were being built, so the run stopped and "
        "no report is listed as current; run qio reports again once the file is final."
    ) in err
    run = manifest(out)
    assert run["run"]["state"] == "inputs changed"
    assert not [row for row in run["items"] if row["status"] in {"built", "skipped"}]
    built_pages = [out / f"{row['item']}.html" for row in run["items"] if row["status"] == "stale"]
    assert all("qio:stale" in page.read_text() for page in built_pages)
    assert "data-state='inputs changed'" in (out / "index.html").read_text()

    assert run_in_process(monkeypatch, reports_data, out) == 0  # the rerun: no signal in it
    assert {row["status"] for row in manifest(out)["items"]} >= {"built"}
    assert json.loads((out / "manifest.json").read_text())["run"]["state"] == "complete"


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_a_file_changed_while_it_is_read_stops_before_anything_is_written(
    reports_data, tmp_path, monkeypatch, capsys
):
    from qio_analysis.batch import plan as plan_module

    loaded = plan_module.load_run_inputs

    def load_then_change(options):
        inputs = loaded(options)
        time.sleep(0.01)
        with (reports_data / "statistics.csv").open("a") as handle:
            handle.write(NEW_ROW)
        return inputs

    monkeypatch.setattr(plan_module, "load_run_inputs", load_then_change)
    out = tmp_path / "out"
    assert cli.main(reports_args(reports_data, out)) == 2
    err = capsys.readouterr().err
    assert err == (
        f"qio: {reports_data / 'statistics.csv'} changed while it was being read; "
        "run again once it is final.\n"
    )
    assert sorted(p.name for p in out.iterdir()) == []
