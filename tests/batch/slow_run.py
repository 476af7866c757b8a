"""``qio reports`` on test notebooks, with one slow item first, for tests that send signals.

    python -m tests.batch.slow_run '{"pidfile": ..., "marker": ..., "seconds": 60}' reports ...

The data is read and hashed as usual, but the plan is replaced by
:data:`QUICK` small items (half a second each) after one slow item, so these
tests exercise the batch machinery, not the report notebooks. The slow
item's notebook appends its kernel's PID to ``pidfile`` and waits ``seconds``
(only on the first attempt when ``marker`` is given), or until the file
``release`` exists when it is given, so a test can find the worker running
it from the process tree and kill it mid-item, or let it finish when it has
done what it needed. With an empty JSON object there is no slow item.
"""

from __future__ import annotations

import json
import signal
import sys

from qio_analysis import cli
from qio_analysis.batch import plan
from tests.conftest import TEST_NOTEBOOKS

SLOW_ID = "2025/organisations/ZXSLOW"
QUICK = 3


def plan_with(parameters: dict):
    """A stand-in for ``plan.plan_items``: the slow item (if ``parameters``), then the quick ones.

    A test that needs the test plan but not a process of its own sets it with
    ``monkeypatch.setattr(plan, "plan_items", plan_with({}))`` and calls ``cli.main``.
    """

    def with_slow_item(*args, **kwargs):
        items = [
            plan.ReportItem(
                f"2025/organisations/ZXQ{n}",
                "organisation",
                f"Quick organisation (ZXQ{n})",
                str(TEST_NOTEBOOKS / "quick.ipynb"),
                {"n": n},
            )
            for n in range(QUICK)
        ]
        slow = plan.ReportItem(
            SLOW_ID,
            "organisation",
            "Slow organisation (ZXSLOW)",
            str(TEST_NOTEBOOKS / "slow.ipynb"),
            parameters,
        )
        return [slow, *items] if parameters else items

    return with_slow_item


def main() -> int:
    # Ctrl+C reaches the run as it does from a terminal, even when the test run itself was
    # started in the background, where SIGINT arrives ignored and children inherit that.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    plan.plan_items = plan_with(json.loads(sys.argv[1]))
    return cli.main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
