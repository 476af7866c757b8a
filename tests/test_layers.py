"""The layer guard: an unmarked test cannot start Chromium, a kernel, a server or the batch."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qio_analysis import cli
from tests.conftest import reports_args, require_marker
from tests.layers import GUARD, UnmarkedTestError, check_command

BROWSER = "@pytest.mark.browser"
SLOW = "@pytest.mark.slow"


@pytest.mark.parametrize(
    ("command", "marker", "what"),
    [
        (["/usr/bin/chromium", "--headless", "--screenshot=x.png"], BROWSER, "starts Chromium"),
        (["node", "cli.js", "run-driver"], BROWSER, "Playwright's browser driver"),
        ([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"], SLOW, "a Jupyter kernel"),
        (["/venv/bin/qio", "reports", "--cycle", "2025"], SLOW, "runs `qio reports`"),
        ([sys.executable, "-m", "qio_analysis.cli", "reports"], SLOW, "runs `qio reports`"),
        (["/venv/bin/qio", "explore", "--port", "0"], SLOW, "starts the explorer"),
        ("voila notebook.ipynb --no-browser", SLOW, "a Jupyter server"),
    ],
)
def test_an_unmarked_test_is_refused_a_costly_command_naming_the_marker(command, marker, what):
    with GUARD.pretending("tests/x.py::test_x", set()) as violations:
        with pytest.raises(UnmarkedTestError, match=rf"^tests/x\.py::test_x .*{what}"):
            check_command(command)
        assert len(violations) == 1 and marker in violations[0]
        with pytest.raises(UnmarkedTestError):  # through the real entry point, before any start
            subprocess.Popen(command)


@pytest.mark.parametrize(
    "command",
    [
        ["pdftotext", "-layout", "/tmp/test_reports_draw_offline_in_chromium/a.pdf", "-"],
        ["/venv/bin/qio", "--help"],
        [sys.executable, "-c", "print('ipykernel and voila are only words here')"],
    ],
)
def test_cheap_commands_pass_even_when_their_arguments_name_a_costly_thing(command):
    with GUARD.pretending("tests/x.py::test_x", set()) as violations:
        check_command(command)
    assert violations == []


def test_a_qio_reports_subprocess_that_prints_needs_both_markers():
    command = ["/venv/bin/qio", "reports", "--cycle", "2025", "--pdf"]
    refused = pytest.raises(UnmarkedTestError, match=BROWSER)
    with GUARD.pretending("tests/x.py::test_x", {"slow"}) as violations, refused:
        check_command(command)
    with GUARD.pretending("tests/x.py::test_x", {"slow", "browser"}) as allowed:
        check_command(command)
    assert len(violations) == 1 and allowed == []


def test_the_marker_lets_the_command_through():
    with GUARD.pretending("tests/x.py::test_x", {"browser"}) as violations:
        check_command(["/usr/bin/chromium", "--version"])
        with pytest.raises(UnmarkedTestError, match=SLOW):
            check_command(["qio", "reports"])
    assert len(violations) == 1


def test_an_unmarked_test_cannot_run_the_batch_in_process(reports_data, tmp_path):
    out = tmp_path / "out"
    refused = pytest.raises(UnmarkedTestError, match=r"runs the batch .*@pytest\.mark\.slow")
    with GUARD.pretending("tests/x.py::test_x", set()) as violations, refused:
        cli.main(reports_args(reports_data, out))
    assert len(violations) == 1
    assert not (out / "manifest.json").exists()


def test_this_test_is_itself_guarded(request):
    """The hooks in tests/conftest.py guard every test, with its own id and markers."""
    assert GUARD.test == request.node.nodeid
    assert GUARD.markers == {"xdist_group"}  # its worker group (tests/conftest.py), no layer


def test_a_costly_fixture_refuses_an_unmarked_test(request):
    with pytest.raises(
        pytest.fail.Exception, match=r"a warm kernel but is not marked @pytest\.mark\.slow"
    ):
        require_marker(request, "slow", "a warm kernel")
