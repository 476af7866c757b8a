"""The polling helper returns as soon as its condition holds and fails by its deadline."""

import time

import pytest

from tests.waiting import wait_for


def test_returns_the_first_truthy_value_as_soon_as_it_appears():
    calls = []

    def third_time():
        calls.append(1)
        return "ready" if len(calls) == 3 else None

    assert wait_for(third_time, timeout=5, what="the third call", interval=0.001) == "ready"
    assert len(calls) == 3


def test_fails_by_the_deadline_naming_what_it_waited_for():
    start = time.monotonic()
    with pytest.raises(TimeoutError, match=r"waited 0\.2 s for the moon, in vain"):
        wait_for(lambda: False, timeout=0.2, what="the moon", interval=0.01)
    assert 0.2 <= time.monotonic() - start < 1.0
