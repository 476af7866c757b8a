"""The warm kernel and its papermill engine: reuse, honest reset, replacement and retry, metadata."""

from __future__ import annotations

import re

import papermill as pm
import pytest
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from qio_analysis import cli
from qio_analysis.batch import kernel as kernel_module
from qio_analysis.batch import plan
from tests.conftest import TEST_NOTEBOOKS, reports_args

NOTEBOOKS = TEST_NOTEBOOKS
pytestmark = pytest.mark.slow


@pytest.fixture
def kernel(warm_kernel):
    return warm_kernel


def run(name, tmp_path, **kw):
    return pm.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(tmp_path / f"{name}.out.ipynb"),
        engine_name="qio-warm",
        kernel_name="python3",
        progress_bar=False,
        **kw,
    )


def test_engine_is_registered_with_papermill():
    from papermill.engines import papermill_engines

    assert papermill_engines.get_engine("qio-warm") is kernel_module.WarmKernelEngine


def test_no_state_leaks_between_notebooks_in_one_kernel(kernel, tmp_path):
    run("leak_a", tmp_path)
    pid = kernel.km.provisioner.pid
    nb = run("leak_b", tmp_path)  # raises PapermillExecutionError if anything leaked
    assert (
        kernel.km.provisioner.pid == pid and kernel.runs == 2 and kernel.restarts == 0
    )  # same kernel, reused
    printed = [
        o["text"] for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout"
    ]
    assert printed == ["clean\n"]


def test_state_it_cannot_reset_replaces_the_kernel(kernel, tmp_path):
    run("thread_leak", tmp_path)
    assert kernel.restarts == 0
    run("leak_b", tmp_path)
    assert kernel.restarts == 1


def test_dead_kernel_is_replaced_and_the_item_retried_once(kernel, tmp_path):
    marker = tmp_path / "marker"
    nb = run("crash_once", tmp_path, parameters={"marker": str(marker)})
    assert kernel.restarts == 1
    assert any(
        "second attempt ran" in o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
    )


def test_kernel_that_keeps_dying_fails_after_one_retry(kernel, tmp_path):
    with pytest.raises(DeadKernelError):
        run("always_dies", tmp_path)
    assert (
        kernel.restarts == 2
    )  # replaced for the retry, and again after it so the next notebook has a kernel
    run("leak_b", tmp_path)  # the next notebook gets a working kernel


def test_hang_past_the_cell_timeout_is_retried_then_fails(kernel, tmp_path):
    with pytest.raises(CellTimeoutError):
        run("hang", tmp_path, execution_timeout=2)
    assert kernel.restarts == 2  # replaced after each timeout (a hung kernel is never reused)
    run("leak_b", tmp_path)


def test_papermill_metadata_is_recorded(kernel, tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="broken on purpose"):
        run("fails", tmp_path, parameters={"marker": "x"})
    import nbformat

    nb = nbformat.read(tmp_path / "fails.out.ipynb", as_version=4)
    meta = nb.metadata.papermill
    assert meta.parameters == {"marker": "x"} and meta.exception is True and meta.duration > 0
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all({"start_time", "duration", "exception"} <= set(c.metadata.papermill) for c in code)


def _normalise(html: str) -> str:
    return re.sub(r'<span class="qio-generated">[^<]*</span>', "", html)


def _pages(out):
    return {
        p.relative_to(out).as_posix(): _normalise(p.read_text())
        for p in out.rglob("*.html")
        if p.name not in {"index.html", "data_checks.html"}
    }


def test_reports_are_the_same_whichever_engine_or_jobs(built_reports, tmp_path, monkeypatch):
    """The session's build (warm engine, one job, in process) against the warm engine on two
    workers (jobs alone differ), then a fresh kernel per notebook on two workers (the engine
    alone differs), for one report of each kind and notebook (a fresh kernel each). All
    read the same data folder: a report records its inputs' paths."""
    data, reference_out = built_reports
    reference = _pages(reference_out)
    # every kind of report: organisations, regions, national, headlines
    assert {
        "2025/organisations/ZX1.html",
        "2025/regions/london.html",
        "national/year_on_year.html",
        "headlines/2024-25/annual_headlines.html",
    } <= reference.keys()
    assert len(reference) >= 10
    warm = tmp_path / "warm"
    assert cli.main(reports_args(data, warm, "--xlsx", "--engine", "warm", jobs=2)) == 0
    pages = _pages(warm)
    assert pages.keys() == reference.keys()
    for name, html in pages.items():
        assert html == reference[name], f"{name} differs between warm/1 and warm/2"

    planned, kinds = plan.plan_items, set()

    def one_of_each_kind(*args, **kwargs):
        first = {}
        for item in planned(*args, **kwargs):
            first.setdefault((item.kind, item.notebook), item)
        kinds.update(first)
        return list(first.values())

    monkeypatch.setattr(plan, "plan_items", one_of_each_kind)
    fresh = tmp_path / "fresh"
    assert cli.main(reports_args(data, fresh, "--xlsx", "--engine", "fresh", jobs=2)) == 0
    pages = _pages(fresh)
    assert len(pages) == len(kinds) >= 8 and pages.keys() <= reference.keys()
    for name, html in pages.items():
        assert html == reference[name], f"{name} differs between warm/1 and fresh/2"


def test_the_engine_is_registered_once_through_the_entry_point():
    from importlib.metadata import entry_points

    found = [e for e in entry_points(group="papermill.engine") if e.name == "qio-warm"]
    assert [e.value for e in found] == ["qio_analysis.batch.kernel:WarmKernelEngine"]
