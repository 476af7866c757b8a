"""Wait for a condition with a deadline, never for a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float, what: str, *, interval: float = 0.05) -> T:
    """Poll ``condition`` until it returns something truthy, and return that; fail after ``timeout`` seconds saying ``what`` never happened."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise TimeoutError(f"waited {timeout:g} s for {what}, in vain")
        time.sleep(min(interval, 0.5, max(deadline - time.monotonic(), 0.0)))
