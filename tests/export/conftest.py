"""A tiny hand-worked QIOF fixture for the export tests."""

from __future__ import annotations

import pytest

from tests.metrics.helpers import both, subs


def london_rows():
    """Org A (ZZA) in 2023 and 2025, org B (ZZB) in 2025 only, awaiting validation on outcome 6.

    Hand-worked: A 2025 outcome 1 self 2 High, validated 2 Medium (changed, same level);
    outcome 2 self 3, validated 2 (lowered by one level), validated 1 High in 2023 (change +1 level);
    outcomes 3-6 self = validated = 2, 1 in 2023 (change +1). B: 1 Low everywhere, no
    validated level on outcome 6.
    """
    rows = []
    for o in range(1, 7):
        rows += both("A", "London", 2023, o, (1, None), (1, "High") if o == 2 else (1, None))
        if o == 1:
            rows += both("A", "London", 2025, o, (2, "High"), (2, "Medium"))
        elif o == 2:
            rows += both("A", "London", 2025, o, (3, None), (2, None))
        else:
            rows += both("A", "London", 2025, o, (2, None), (2, None))
        rows += both("B", "London", 2025, o, (1, "Low"), (None, None) if o == 6 else (1, "Low"))
    return rows


@pytest.fixture
def london():
    return subs(london_rows())
