"""Batch reports (``qio reports``), in the order one run goes through them:

- :mod:`~qio_analysis.batch.guards`: the output folder apart from the inputs and locked,
  the inputs watched for the length of the run;
- :mod:`~qio_analysis.batch.plan`: the options, one item per report, and what to build,
  keep, mark stale or withdraw (the records it compares are :mod:`~qio_analysis.batch.provenance`);
- :mod:`~qio_analysis.batch.run`: :func:`run_reports`, the run from start to finish;
- :mod:`~qio_analysis.batch.pool`: the worker processes and their supervision;
- :mod:`~qio_analysis.batch.render`: execute one notebook (papermill) and export its HTML;
- :mod:`~qio_analysis.batch.kernel`: the warm kernel each worker reuses (papermill engine
  ``qio-warm``), and :mod:`~qio_analysis.batch.kernel_reset`, the part that runs inside it;
- :mod:`~qio_analysis.batch.renderings`: workbooks, PDFs and the image pack, kept true to
  their reports;
- :mod:`~qio_analysis.batch.outputs` and :mod:`~qio_analysis.batch.index`: the manifest,
  the data checks page and the index; :mod:`~qio_analysis.batch.progress`: what the run prints.

papermill is imported here, before :mod:`qio_analysis.batch.kernel` exists:
papermill loads that module through its ``papermill.engine`` entry point
while importing itself, and must find it either absent or complete.
"""

from typing import TYPE_CHECKING

import papermill  # noqa: F401  (see the module docstring: import order matters)

__all__ = ["RunOptions", "RunSummary", "run_reports"]

if TYPE_CHECKING:
    from qio_analysis.batch.plan import RunOptions
    from qio_analysis.batch.run import RunSummary, run_reports
else:

    def __getattr__(name: str) -> object:
        # Lazy, so that a kernel importing kernel_reset does not import the whole batch.
        if name == "RunOptions":
            from qio_analysis.batch.plan import RunOptions

            return RunOptions
        if name in {"RunSummary", "run_reports"}:
            from qio_analysis.batch import run

            return getattr(run, name)
        raise AttributeError(f"module 'qio_analysis.batch' has no attribute {name!r}")
