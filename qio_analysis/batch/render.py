"""Step 3 of ``qio reports``: one report item, end to end: execute its notebook, export, write.

Runs in a worker process (or in the command's own process with one job).
Every failure is caught and returned as a result, so one broken organisation
never stops the others. A failed item's executed notebook (with the failing
cell and its traceback) is kept under ``_debug/`` and any stale report for it
is removed, so nothing out of date looks current.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import logging
import os
import time
from pathlib import Path

import nbformat
from nbclient import exceptions as nbclient_errors

from qio_analysis.aliases import JsonValue
from qio_analysis.batch.kernel import ENGINES
from qio_analysis.batch.outputs import ASSETS, ItemResult, describe_os_error
from qio_analysis.batch.parameters import ReportItem, notebook_parameters
from qio_analysis.batch.plan import RunOptions
from qio_analysis.config import NOTEBOOKS_DIR
from qio_analysis.errors import QioError


class CellTimeoutError(QioError):
    """A cell of a report's notebook ran past ``--timeout`` (its message names the cell)."""


def debug_path(out_dir: Path, item: ReportItem) -> Path:
    """Where an item's executed notebook is kept when it fails."""
    return out_dir / "_debug" / (item.id.replace("/", "__") + ".ipynb")


def _quiet_logs() -> None:
    for name in ("papermill", "traitlets", "nbclient"):
        logging.getLogger(name).setLevel(logging.ERROR)


_TEMPLATES: dict[tuple[str, int], object] = {}


def _template(path: Path) -> object:
    """The notebook, read and prepared by papermill once per process (per file version)."""
    from papermill.iorw import load_notebook_node

    key = (str(path), path.stat().st_mtime_ns)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = load_notebook_node(str(path))
    return _TEMPLATES[key]


def execute(item: ReportItem, options: RunOptions, executed: Path) -> nbformat.NotebookNode:
    """Run the item's notebook as ``papermill.execute_notebook`` does, minus its file I/O.

    The same papermill functions in the same order (parameter injection,
    metadata, error markers, the engine registry, ``PapermillExecutionError``),
    called directly so the template is parsed once per process and the
    executed notebook is written (to ``executed``) only when a cell fails.
    """
    from papermill.engines import papermill_engines
    from papermill.execute import (
        prepare_notebook_metadata,
        raise_for_execution_errors,
        remove_error_markers,
    )
    from papermill.parameterize import parameterize_notebook
    from papermill.utils import chdir

    engine = ENGINES[options.engine]
    # parameterize_notebook modifies its input, and execution fills the cells: work on a copy.
    nb: nbformat.NotebookNode = parameterize_notebook(
        copy.deepcopy(_template(item.notebook_path)),
        notebook_parameters(item.parameters),
        report_mode=False,
        kernel_name=options.kernel_name,
        language="python",
        engine_name=engine,
    )
    nb = remove_error_markers(prepare_notebook_metadata(nb, str(item.notebook_path), str(executed)))
    try:
        with chdir(str(NOTEBOOKS_DIR)):
            nb = papermill_engines.execute_notebook_with_engine(
                engine,
                nb,
                input_path=str(item.notebook_path),
                output_path=None,
                kernel_name=options.kernel_name,
                progress_bar=False,
                log_output=False,
                start_timeout=60,
                stdout_file=None,
                stderr_file=None,
                execution_timeout=options.cell_timeout,
            )
    except nbclient_errors.CellTimeoutError as exc:  # a TimeoutError, so also an OSError
        nbformat.write(nb, str(executed))
        raise CellTimeoutError(_timed_out(nb, options.cell_timeout)) from exc
    # Writes the executed notebook, then raises, if a cell failed.
    raise_for_execution_errors(nb, str(executed))
    return nb


def _timed_out(nb: nbformat.NotebookNode, seconds: int) -> str:
    """ "timed out after 10 s in cell 4 (time.sleep(60))": the last cell papermill started.

    Cells are counted as their execution counts are (code cells, the injected
    parameters included), like the cell numbers of other failures.
    """
    started = [
        (number, cell)
        for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1)
        if cell.metadata.get("papermill", {}).get("start_time")
    ]
    if not started:
        return f"a cell timed out after {seconds} s"
    number, cell = started[-1]
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    first = first if len(first) <= 80 else first[:79] + "\u2026"
    return f"timed out after {seconds} s in cell {number} ({first})"


def suppressed_groups(nb: nbformat.NotebookNode) -> list[dict[str, JsonValue]]:
    """Every ``{"qio": {"suppressed": [...]}}`` entry in the outputs' metadata, in order."""
    found: list[dict[str, JsonValue]] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            entries = (output.get("metadata") or {}).get("qio", {}).get("suppressed", [])
            found.extend(dict(e) for e in entries)
    return found


def pending_result(
    item: ReportItem, options: RunOptions, input_hash: str, error: str = ""
) -> ItemResult:
    """The result of ``item`` before it has succeeded (status failed until proven otherwise)."""
    return ItemResult.of(item, "failed", input_hash, engine=options.engine, error=error)


def render_item(item: ReportItem, options: RunOptions, input_hash: str) -> ItemResult:
    """Execute ``item``'s notebook with papermill and write its HTML report."""
    import papermill as pm

    from qio_analysis.io.writers import write_text_atomic
    from qio_analysis.report.html import PLOTLY_JS_NAME, export_html

    _quiet_logs()
    out_dir = options.out_dir
    html_path = out_dir / item.html_path
    executed = debug_path(out_dir, item)
    result = pending_result(item, options, input_hash)
    start = time.perf_counter()
    try:
        executed.parent.mkdir(parents=True, exist_ok=True)
        nb = execute(item, options, executed)
        plotly_src = Path(
            os.path.relpath(out_dir / ASSETS / PLOTLY_JS_NAME, html_path.parent)
        ).as_posix()
        page = export_html(
            nb,
            plotly_src=plotly_src,
            self_contained=options.self_contained,
            input_hash=input_hash,
        )
        write_text_atomic(html_path, page)
        executed.unlink(missing_ok=True)
        suppressed = suppressed_groups(nb)
        if suppressed:
            result.extra["suppressed"] = suppressed
        result.status = "built"
    except pm.PapermillExecutionError as exc:
        result.error = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
    except CellTimeoutError as exc:
        result.error = f"TimeoutError: {exc} (raise --timeout if it needs longer)"
    except OSError as exc:  # disk full, read-only folder: say which file, no traceback
        result.error = describe_os_error(exc, html_path.parent)
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    if result.status == "failed":
        with contextlib.suppress(OSError):  # read-only folder: the error already says so
            html_path.unlink(missing_ok=True)
        if executed.exists():
            result.debug_notebook = executed.relative_to(out_dir).as_posix()
    result.duration_s = round(time.perf_counter() - start, 3)
    result.finished = dt.datetime.now().isoformat(timespec="seconds")
    return result
