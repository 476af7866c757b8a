"""One report item, end to end, inside a worker process: execute, export, write atomically.

Every failure is caught and returned as a result, so one broken organisation
never stops the others. A failed item's executed notebook (with the failing
cell and its traceback) is kept under ``_debug/`` and any stale report for it
is removed, so nothing out of date looks current.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from qio_analysis.batch.engines import ENGINES
from qio_analysis.batch.items import ReportItem
from qio_analysis.batch.manifest import ItemResult
from qio_analysis.config import NOTEBOOKS_DIR

ASSETS = "assets"


@dataclass(frozen=True)
class RunSettings:
    """How items are executed and written (the same for every item of a run)."""

    out_dir: str
    engine: str = "warm"
    self_contained: bool = False
    cell_timeout: int = 300
    kernel_name: str = "python3"


def debug_path(out_dir: Path, item: ReportItem) -> Path:
    """Where an item's executed notebook is kept when it fails."""
    return out_dir / "_debug" / (item.id.replace("/", "__") + ".ipynb")


def _quiet_logs() -> None:
    for name in ("papermill", "traitlets", "nbclient"):
        logging.getLogger(name).setLevel(logging.ERROR)


_TEMPLATES: dict[tuple[str, int], object] = {}


def _template(path: Path) -> object:
    """The notebook, read and prepared by papermill once per worker (per file version)."""
    from papermill.iorw import load_notebook_node

    key = (str(path), path.stat().st_mtime_ns)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = load_notebook_node(str(path))
    return _TEMPLATES[key]


def execute(item: ReportItem, settings: RunSettings, executed: Path) -> object:
    """Run the item's notebook the way ``papermill.execute_notebook`` does, minus its file I/O.

    Same steps and metadata (parameter injection, papermill metadata, error
    markers, ``PapermillExecutionError``); the template is parsed once per
    worker and the executed notebook is written to ``executed`` only when a
    cell fails, for debugging.
    """
    from papermill.engines import papermill_engines
    from papermill.execute import (
        prepare_notebook_metadata,
        raise_for_execution_errors,
        remove_error_markers,
    )
    from papermill.parameterize import parameterize_notebook
    from papermill.utils import chdir

    engine = ENGINES[settings.engine]
    # parameterize_notebook modifies its input, and execution fills the cells: work on a copy.
    nb = parameterize_notebook(
        copy.deepcopy(_template(item.notebook_path)),
        item.parameters,
        report_mode=False,
        kernel_name=settings.kernel_name,
        language="python",
        engine_name=engine,
    )
    nb = remove_error_markers(prepare_notebook_metadata(nb, str(item.notebook_path), str(executed)))
    with chdir(str(NOTEBOOKS_DIR)):
        nb = papermill_engines.execute_notebook_with_engine(
            engine,
            nb,
            input_path=str(item.notebook_path),
            output_path=None,
            kernel_name=settings.kernel_name,
            progress_bar=False,
            log_output=False,
            start_timeout=60,
            stdout_file=None,
            stderr_file=None,
            execution_timeout=settings.cell_timeout,
        )
    raise_for_execution_errors(
        nb, str(executed)
    )  # writes the notebook, then raises, if a cell failed
    return nb


def pending_result(
    item: ReportItem, settings: RunSettings, input_hash: str, error: str = ""
) -> ItemResult:
    """The result of ``item`` before it has succeeded (status failed until proven otherwise)."""
    return ItemResult(
        item=item.id,
        kind=item.kind,
        label=item.label,
        notebook=item.notebook,
        parameters=item.parameters,
        status="failed",
        input_hash=input_hash,
        output=item.html_path,
        engine=settings.engine,
        error=error,
    )


def render_item(item: ReportItem, settings: RunSettings, input_hash: str) -> ItemResult:
    """Execute ``item``'s notebook with papermill and write its HTML report."""
    import papermill as pm

    from qio_analysis.io.writers import write_text_atomic
    from qio_analysis.report.html import PLOTLY_JS_NAME, export_html

    _quiet_logs()
    out_dir = Path(settings.out_dir)
    html_path = out_dir / item.html_path
    executed = debug_path(out_dir, item)
    executed.parent.mkdir(parents=True, exist_ok=True)
    result = pending_result(item, settings, input_hash)
    start = time.perf_counter()
    try:
        nb = execute(item, settings, executed)
        plotly_src = Path(
            os.path.relpath(out_dir / ASSETS / PLOTLY_JS_NAME, html_path.parent)
        ).as_posix()
        write_text_atomic(
            html_path,
            export_html(nb, plotly_src=plotly_src, self_contained=settings.self_contained),
        )
        executed.unlink(missing_ok=True)
        result.status = "built"
    except pm.PapermillExecutionError as exc:
        result.error = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
    except (
        Exception
    ) as exc:  # kernel died twice, timeouts, export errors: isolate, record, carry on
        result.error = f"{type(exc).__name__}: {exc}"
    if result.status == "failed":
        html_path.unlink(missing_ok=True)
        if executed.exists():
            result.debug_notebook = executed.relative_to(out_dir).as_posix()
    result.duration_s = round(time.perf_counter() - start, 3)
    result.finished = dt.datetime.now().isoformat(timespec="seconds")
    return result
