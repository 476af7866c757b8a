"""The charts hold still: every figure built from the demo data has the JSON (or SVG) it had.

A change to a chart that is meant updates ``figure_digests.json`` in the same
commit (``python -m tests.figures.figure_cases --write-digests``); a change to
how the charts are built must leave every digest as it was. To see what
changed, dump both sides (see ``figure_cases``) and diff them.
"""

from __future__ import annotations

import json

import pytest

from tests.figures import figure_cases

RECORD = json.loads(figure_cases.DIGESTS.read_text())
EXPECTED: dict[str, str] = RECORD["digests"]
CASES = figure_cases.cases()


@pytest.fixture(scope="module", autouse=True)
def same_drawing_libraries():
    """Another plotly or pandas may write the same chart differently: say so rather than fail."""
    installed = figure_cases.drawing_libraries()
    if installed != RECORD["libraries"]:
        pytest.skip(
            f"figure digests were recorded with {RECORD['libraries']}, and {installed} is "
            "installed: check the charts, then record them again with "
            "`python -m tests.figures.figure_cases --write-digests`"
        )


def test_every_case_has_a_digest_and_every_digest_a_case():
    assert sorted(CASES) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_figure_is_unchanged(name):
    built = CASES[name]()
    assert figure_cases.digest(built) == EXPECTED[name], (
        f"{name} differs from its recorded digest; dump the figures before and after with "
        "`python -m tests.figures.figure_cases DIR` to see how"
    )
