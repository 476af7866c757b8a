"""The only package that opens files: readers for exports, atomic writers for outputs."""

from qio_analysis.io.inputs import DataChecks, Inputs, load_inputs
from qio_analysis.io.organisations import (
    ods_name_case,
    read_ods_trusts,
    read_organisations,
    read_organisations_result,
)
from qio_analysis.io.results import ReadResult
from qio_analysis.io.statistics import load_statistics, read_statistics
from qio_analysis.io.submissions import load_submissions, read_submissions
from qio_analysis.io.writers import write_bytes_atomic, write_csv_atomic, write_text_atomic

__all__ = [
    "DataChecks",
    "Inputs",
    "ReadResult",
    "load_inputs",
    "load_statistics",
    "load_submissions",
    "ods_name_case",
    "read_ods_trusts",
    "read_organisations",
    "read_organisations_result",
    "read_statistics",
    "read_submissions",
    "write_bytes_atomic",
    "write_csv_atomic",
    "write_text_atomic",
]
