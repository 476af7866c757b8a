"""Shared fixtures: paths to hand-written data, a tiny workbook builder, shared frames and batch helpers.

Fixtures used by more than one test module live here (pytest finds them
without imports); modules import only plain helpers and constants.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings
from openpyxl import Workbook

from tests import costs, layers

DATA = Path(__file__).parent / "data"
REPORTS = DATA / "reports"
TEST_NOTEBOOKS = DATA / "notebooks"
SHARED_ETR = Path(__file__).resolve().parents[2] / "shared" / "reference" / "etr.csv"

# Fixture notebooks under tests/data are inputs to tests, not notebooks to validate.
collect_ignore_glob = ["data/*", "artifacts/*"]


# Hypothesis's 200 ms deadline per example fails a correct test on a busy machine (five
# test runs on two cores): a test passes or fails on the code, not the load. A test that
# sets its own deadline keeps it.
settings.register_profile("qio", deadline=None)
settings.load_profile("qio")


# --------------------------------------------------------------------- layers (docs/testing.md)


def pytest_configure(config):
    layers.install()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Notebook cells (nbval) run a kernel: they belong to the slow layer.

    Under ``pytest -n N --dist loadfile`` (make test) a file's tests run on one worker,
    in order: a notebook's cells share its kernel, a module's fixture is made once. The
    workers take the costliest files first, so that no long file is left to run alone
    at the end.
    """
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: costly files first (tests/costs.py)
        place = costs.costliest_first((_file_of(item) for item in items), costs.load())
        items.sort(key=lambda item: place[_file_of(item)])  # stable: a file keeps its order


def _file_of(item) -> str:
    return item.nodeid.split("::")[0]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    layers.GUARD.start(item.nodeid, {mark.name for mark in item.iter_markers()})
    if item.get_closest_marker("browser") and not _chromium_found():
        pytest.skip(
            "Debian chromium is not installed (apt-get install -y chromium poppler-utils, "
            "or scripts/install-system-packages); .ci/run installs it in CI"
        )


def _chromium_found() -> bool:
    return Path("/usr/bin/chromium").exists() or shutil.which("chromium") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    try:
        return (yield)
    finally:
        layers.GUARD.stop()


@pytest.fixture(autouse=True)
def _layer_guard():
    """Fail a test that started Chromium, a kernel, a server or the batch without its marker,
    even where the code under test caught the refusal."""
    yield
    if layers.GUARD.violations:
        pytest.fail("\n".join(dict.fromkeys(layers.GUARD.violations)), pytrace=False)


def require_marker(request, marker: str, what: str) -> None:
    """Refuse a costly fixture to a test without ``marker``."""
    if request.node.get_closest_marker(marker) is None:
        pytest.fail(
            f"{request.node.nodeid} uses {what} but is not marked @pytest.mark.{marker} "
            "(docs/testing.md)",
            pytrace=False,
        )


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write literal rows to an .xlsx (the first sheet listed comes first)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def two_cycles():
    """Six organisations over two cycles: improved, lower score, declined, left, new, unscored."""
    from tests.metrics.helpers import both, subs

    none = (None, None)
    rows = []
    rows += both("A", "London", 2021, 1, (1, None), (1, None))
    rows += both("A", "London", 2023, 1, (2, None), (2, None))  # improved (level and score)
    rows += both("B", "London", 2021, 1, (2, "High"), (2, "High"))
    rows += both("B", "London", 2023, 1, (2, "Low"), (2, "Low"))  # same level, lower score
    rows += both("C", "South West", 2021, 1, (3, None), (3, None))
    rows += both("C", "South West", 2023, 1, (2, None), (2, None))  # declined
    rows += both("D", "South West", 2021, 1, (2, None), (2, None))  # left
    rows += both("E", "South West", 2023, 1, (1, None), (1, None))  # new
    rows += both("F", "London", 2021, 1, (2, None), (2, None))
    rows += both("F", "London", 2023, 1, (2, None), none)  # unscored
    return subs(rows)


LONG_SUBMISSIONS_HEADER = "Org code,Org name,Region,Cycle,Submitted,Outcome,Assessment,Level\n"


@pytest.fixture
def inputs_dir(tmp_path):
    """A submissions folder (a superseded, two rejected and a bidi-override row) and an organisations table."""
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a.csv").write_text(
        LONG_SUBMISSIONS_HEADER
        + "ZQ1,Quayside NHS Trust,London,2023,2023-05-01,1,self,2\n"  # superseded by row 4
        + "ZQ2,<script>alert(1)</script> NHS Trust,London,2023,,1,self,9\n"  # rejected: level 9
        + "ZQ1,Quayside NHS Trust,London,2023,2023-06-01,1,self,3\n"  # loaded
        + "ZQ3,Riverton NHS Trust,London,2023/21,,1,self,1\n",  # rejected: cycle
        encoding="utf-8",
    )
    (subs / "b.csv").write_text(
        LONG_SUBMISSIONS_HEADER + "ZQ4,Hill\u202e NHS Trust,London,2023,,1,validated,2\n"
    )
    (subs / "notes.docx").write_bytes(b"PK")
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "Organisation code,Organisation name,Organisation type,Region,LKS service code\n"
        "ZQ1,Quayside NHS Trust,Acute,London,\n"
    )
    return subs, orgs


# --------------------------------------------------------------------- batch


@pytest.fixture
def reports_data(tmp_path) -> Path:
    """A private copy of the small report data set (tests may change it)."""
    folder = tmp_path / "data"
    shutil.copytree(REPORTS, folder)
    return folder


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory) -> tuple[Path, Path]:
    """``(data, out)``: the small report data set built once per worker, with workbooks.

    Shared by every test that asks for it: read it, or copy it first
    (:func:`built_reports_copy`); tests/batch/test_rebuild.py reruns into it and puts
    it back after each test. Tests that use it are marked ``slow``.
    """
    from qio_analysis import cli

    base = tmp_path_factory.mktemp("built-reports")
    shutil.copytree(REPORTS, base / "data")
    assert cli.main(reports_args(base / "data", base / "out", "--xlsx")) == 0
    return base / "data", base / "out"


@pytest.fixture
def built_reports_copy(built_reports, tmp_path) -> tuple[Path, Path]:
    """A private copy of :func:`built_reports`, ``(data, out)``, for a test that changes it."""
    copies = []
    for folder in built_reports:
        copies.append(tmp_path / folder.name)
        shutil.copytree(folder, copies[-1])
    return copies[0], copies[1]


def reports_args(data: Path, out: Path, *extra: str, jobs: int = 1) -> list[str]:
    """``qio reports`` arguments for the small report data set."""
    return [
        "reports",
        "--cycle",
        "2025",
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--quiet",
        "--submissions",
        str(data / "submissions.csv"),
        "--statistics",
        str(data / "statistics.csv"),
        "--organisations",
        str(data / "organisations.csv"),
        *extra,
    ]


@pytest.fixture(scope="session", autouse=True)
def worker_browser():
    """This worker's one Chromium: every PDF and image pack the package prints in this
    process uses it (a fresh browser context each), started with the first, closed at the
    end. A test that needs a browser of its own wraps its call in ``shared_browser(None)``."""
    from qio_analysis.export.browser import BrowserSession, shared_browser

    session = BrowserSession()
    with shared_browser(session):
        yield session
    session.close()


@pytest.fixture(scope="session")
def _worker_kernels():
    """Stop this worker's warm kernels when the session ends."""
    from qio_analysis.batch import kernel

    yield
    kernel.shutdown_kernels()


@pytest.fixture
def warm_kernel(request, _worker_kernels):
    """This worker's warm kernel, started once and reset between tests (replaced when it
    cannot be reset), with its run and restart counts at zero."""
    from qio_analysis.batch import kernel

    require_marker(request, "slow", "a warm kernel")
    warm = kernel.warm_kernel("python3")
    warm.ensure_clean()
    warm.runs = warm.restarts = 0
    return warm
