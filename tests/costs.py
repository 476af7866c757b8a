"""Costly files first: the order in which `make test`'s workers take the suite's files.

Under ``pytest -n N --dist loadfile`` each worker takes the next file in
collection order when it runs low, so the run lasts as long as the busiest
worker. A costly file taken last (the wheel, the demo cycle, a notebook) leaves
the other worker idle for its whole length. Sorting the files by measured cost,
longest first, with the cheap ones filling in at the end, keeps both workers
busy to the end (longest-processing-time-first scheduling).

``tests/costs.json`` holds each costly file's seconds, as measured by one
``--durations=0`` run (setup, call and teardown summed per file). Files not
listed cost nothing here and keep their collection order. To measure again::

    .venv/bin/python -m pytest -n 2 --dist loadfile --durations=0 -q > /tmp/durations.txt
    .venv/bin/python -m tests.costs /tmp/durations.txt > tests/costs.json

Only the order changes: every test still runs, a file's tests together on one
worker and in their own order.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

COSTS = Path(__file__).with_name("costs.json")
#: Files cheaper than this (seconds) are left out of costs.json: their order is not worth keeping.
LISTED_FROM = 5.0
_DURATION = re.compile(r"^([\d.]+)s (?:setup|call|teardown)\s+(\S+)", re.MULTILINE)


def file_costs(durations: str) -> dict[str, float]:
    """Seconds per file from pytest's ``--durations=0`` report, costliest first.

    >>> file_costs("3.50s call     tests/a.py::t\\n1.00s setup    tests/a.py::t\\n"
    ...            "9.00s call     notebooks/n.ipynb::Cell 1\\n0.20s call     tests/b.py::u\\n")
    {'notebooks/n.ipynb': 9.0, 'tests/a.py': 4.5, 'tests/b.py': 0.2}
    """
    costs: Counter[str] = Counter()
    for seconds, node in _DURATION.findall(durations):
        costs[node.split("::")[0]] += float(seconds)
    return {path: round(seconds, 1) for path, seconds in costs.most_common()}


def load() -> dict[str, float]:
    """The measured costs (none when the file is missing)."""
    if not COSTS.is_file():
        return {}
    return {str(path): float(seconds) for path, seconds in json.loads(COSTS.read_text()).items()}


def costliest_first(paths: Iterable[str], costs: Mapping[str, float]) -> dict[str, int]:
    """Each path's place: costliest first, unlisted ones after in the order given.

    >>> costliest_first(["a", "b", "c", "d"], {"c": 30.0, "b": 60.0})
    {'b': 0, 'c': 1, 'a': 2, 'd': 3}
    """
    seen = list(dict.fromkeys(paths))
    ranked = sorted(range(len(seen)), key=lambda i: (-costs.get(seen[i], 0.0), i))
    return {seen[i]: place for place, i in enumerate(ranked)}


def main(argv: list[str]) -> int:
    [log] = argv
    costs = file_costs(Path(log).read_text(encoding="utf-8"))
    listed = {path: seconds for path, seconds in costs.items() if seconds >= LISTED_FROM}
    sys.stdout.write(json.dumps(listed, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
