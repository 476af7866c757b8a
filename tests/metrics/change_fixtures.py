"""The two-cycle fixture shared by metric and figure tests."""

import pytest

from tests.metrics.helpers import both, subs

N = (None, None)


@pytest.fixture
def two_cycles():
    rows = []
    rows += both("A", "London", 2021, 1, (1, None), (1, None))
    rows += both("A", "London", 2023, 1, (2, None), (2, None))  # improved (level and score)
    rows += both("B", "London", 2021, 1, (2, "High"), (2, "High"))
    rows += both("B", "London", 2023, 1, (2, "Low"), (2, "Low"))  # same level, lower score
    rows += both("C", "South West", 2021, 1, (3, None), (3, None))
    rows += both("C", "South West", 2023, 1, (2, None), (2, None))  # declined
    rows += both("D", "South West", 2021, 1, (2, None), (2, None))  # left
    rows += both("E", "South West", 2023, 1, (1, None), (1, None))  # new
    rows += both("F", "London", 2021, 1, (2, None), (2, None))
    rows += both("F", "London", 2023, 1, (2, None), N)  # unscored
    return subs(rows)
