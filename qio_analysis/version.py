"""The package version, read once from the installed distribution.

Its own small module, so a report, a manifest or a workbook cover can say
which version made it without importing the whole package.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("qio-analysis")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
