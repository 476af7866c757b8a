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


def test_an_unmarked_test_cannot_print_with_the_workers_shared_browser(worker_browser):
    import asyncio

    from qio_analysis.export.browser import BrowserSession

    session = BrowserSession(chromium="/nonexistent/chromium")  # refused before any start
    refused = pytest.raises(UnmarkedTestError, match=r"prints or draws with Chromium .*browser")
    with GUARD.pretending("tests/x.py::test_x", set()) as violations, refused:
        asyncio.run(session.browser())
    assert len(violations) == 1 and session.launches == 0
    assert type(worker_browser).browser is BrowserSession.browser  # the one the printers use


def test_this_test_is_itself_guarded(request):
    """The hooks in tests/conftest.py guard every test, with its own id and markers."""
    assert GUARD.test == request.node.nodeid
    assert GUARD.markers - {"xdist_group"} == set()  # at most its worker group: no layer


def test_a_costly_fixture_refuses_an_unmarked_test(request):
    with pytest.raises(
        pytest.fail.Exception, match=r"a warm kernel but is not marked @pytest\.mark\.slow"
    ):
        require_marker(request, "slow", "a warm kernel")


def _fixed_sleeps(path):
    """``(line, seconds)`` of each ``time.sleep``/``sleep`` call with a constant over 0.5 s."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        value = getattr(node.args[0], "value", None)  # a constant's
        if name == "sleep" and isinstance(value, (int, float)) and value > 0.5:
            found.append((node.lineno, value))
    return found


def test_no_test_sleeps_longer_than_half_a_second(tmp_path):
    from pathlib import Path

    tests = Path(__file__).parent
    sleeps = {
        f"{path.relative_to(tests)}:{line}": seconds
        for path in tests.rglob("*.py")
        if path.relative_to(tests).parts[0] != "data"
        for line, seconds in _fixed_sleeps(path)
    }
    assert sleeps == {}, "wait for the condition with tests.waiting.wait_for instead"
    sample = tmp_path / "sample.py"
    sample.write_text("import time\ntime.sleep(0.3)\ntime.sleep(2)\nsleep(1.5)\n")
    assert _fixed_sleeps(sample) == [(3, 2), (4, 1.5)]
