"""Type aliases shared across the package, each saying what it stands for.

Where a value comes from a library that ships no type information (papermill,
plotly, openpyxl, tqdm, psutil), its alias says so once here, instead of an
unchecked type at every use.
"""

from __future__ import annotations

from typing import Any, TypeAlias

#: Anything ``json`` reads or writes.
JsonValue: TypeAlias = str | int | float | bool | list["JsonValue"] | dict[str, "JsonValue"] | None

#: A value of any type, from a library without type information or from arbitrary user state
#: (papermill's notebook manager, a tqdm bar, a psutil process, a kernel's globals).
Untyped: TypeAlias = Any

#: One row of a tidy table as a reader builds it: column name -> value. Each column has its
#: own type (text, a number, a date, or None), which the table's pandera schema checks when
#: the rows become a frame; one static type for every value would mean a cast at each use.
Row: TypeAlias = dict[str, Any]
