"""Reference data: NHS England regions and organisation types.

File reading (the ODS trust list, the analysis organisations table) lives in
:mod:`qio_analysis.io`; this module only holds the fixed lists and lookups.
"""

from __future__ import annotations

import re

from qio_analysis.errors import QioConfigError

#: The seven NHS England regions: ODS code -> name.
REGIONS: dict[str, str] = {
    "Y56": "London",
    "Y58": "South West",
    "Y59": "South East",
    "Y60": "Midlands",
    "Y61": "East of England",
    "Y62": "North West",
    "Y63": "North East and Yorkshire",
}
REGION_NAMES: tuple[str, ...] = tuple(REGIONS.values())
REGION_CODES: dict[str, str] = {name: code for code, name in REGIONS.items()}

#: An ODS-style organisation or LKS service code, as every table holds it (upper case).
ORG_CODE_PATTERN = r"^[A-Z0-9]{3,10}$"

#: Label used for national (all-regions) rows in every summary table.
NATIONAL = "England"

ORGANISATION_TYPES: tuple[str, ...] = (
    "Acute",
    "Mental health",
    "Community",
    "Ambulance",
    "Combined",
)

_BY_KEY = {
    **{code.lower(): name for code, name in REGIONS.items()},
    **{name.lower(): name for name in REGION_NAMES},
}
ALLOWED_REGIONS = ", ".join(f"{name} ({code})" for code, name in REGIONS.items())


def _key(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip().lower())


def region_name(value: str) -> str:
    """Canonical region name from a name (any case) or ODS code.

    >>> region_name("y56"), region_name("  north east AND yorkshire ")
    ('London', 'North East and Yorkshire')
    """
    if isinstance(value, str):
        name = _BY_KEY.get(_key(value))
        if name is not None:
            return name
    raise QioConfigError(f"{value!r} is not an NHS England region. Allowed: {ALLOWED_REGIONS}.")


def is_region(value: object) -> bool:
    """True when ``value`` names a region by name or code."""
    return isinstance(value, str) and _key(value) in _BY_KEY


def region_slug(name: str) -> str:
    """File-name-safe form of a region name: ``north-east-and-yorkshire``."""
    return re.sub(r"[^a-z0-9]+", "-", region_name(name).lower()).strip("-")
