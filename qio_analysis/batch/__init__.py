"""Batch reports: plan items, execute notebooks through papermill, export HTML, manifest and index.

papermill is imported here, before :mod:`qio_analysis.batch.engines` exists:
papermill loads that module through its ``papermill.engine`` entry point
while importing itself, and must find it either absent or complete.
"""

import papermill  # noqa: F401  (see the module docstring: import order matters)
