"""The order `make test`'s workers take the files in: measured costs, costliest first."""

from __future__ import annotations

from pathlib import Path

from tests import costs

ROOT = Path(__file__).resolve().parents[1]


def test_every_costed_file_exists_so_none_drops_silently_to_the_end():
    measured = costs.load()
    assert measured, "tests/costs.json is missing or empty"
    missing = [path for path in measured if not (ROOT / path).is_file()]
    assert missing == [], "measure again (docs/testing.md, 'Costliest files first')"
    assert all(seconds >= costs.LISTED_FROM for seconds in measured.values())


def test_costs_are_summed_per_file_across_setup_call_and_teardown():
    report = (
        "======= slowest durations =======\n"
        "12.00s setup    tests/test_b.py::test_x\n"
        "3.00s call     tests/test_b.py::test_x\n"
        "0.50s teardown tests/test_b.py::test_y[1-2]\n"
        "20.10s call     notebooks/n.ipynb::Cell 3\n"
        "1.25s call     qio_analysis/words/formats.py::qio_analysis.words.formats.money\n"
    )
    assert costs.file_costs(report) == {
        "notebooks/n.ipynb": 20.1,
        "tests/test_b.py": 15.5,
        "qio_analysis/words/formats.py": 1.2,
    }


def test_the_costliest_file_comes_first_and_the_rest_keep_their_order():
    files = ["qio_analysis/a.py", "tests/test_a.py", "tests/test_b.py", "notebooks/n.ipynb"]
    place = costs.costliest_first(files, {"notebooks/n.ipynb": 90.0, "tests/test_b.py": 40.0})
    assert sorted(files, key=place.__getitem__) == [
        "notebooks/n.ipynb",
        "tests/test_b.py",
        "qio_analysis/a.py",
        "tests/test_a.py",
    ]
