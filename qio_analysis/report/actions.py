"""The validator's required actions and recommendations on a report page.

One table per page, from :func:`qio_analysis.metrics.actions.required_actions`:
the organisation report lists its own beside the strengths and areas for
improvement, the validation review lists a region's. Text from forms reaches
the page only through :func:`~qio_analysis.report.display.table_html`
(escaped), and a cut text carries a visible note saying where the rest is.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, display

from qio_analysis.framework import OUTCOME_SHORT
from qio_analysis.io.inputs import Inputs
from qio_analysis.metrics.actions import required_actions, who_validated
from qio_analysis.report.display import heading, table_html
from qio_analysis.text import escape_html
from qio_analysis.words.actions import (
    REQUIRED_ACTIONS_HEADING,
    VALIDATOR_NOT_RECORDED,
    cut_note,
    no_actions_sentence,
)
from qio_analysis.words.formats import format_date


def actions_table(actions: pd.DataFrame, *, organisation: bool = True) -> pd.DataFrame:
    """A :func:`required_actions` frame for people: outcome, action (with any cut note), who, when.

    ``organisation=True`` adds the organisation's name and code (a region's list).
    """
    text = [
        f"{a} {cut_note(f, c)}" if cut else a
        for a, cut, f, c in zip(
            actions["action"], actions["cut"], actions["source_file"], actions["cell"], strict=True
        )
    ]
    table = pd.DataFrame(
        {
            "Outcome": [f"{int(o)} {OUTCOME_SHORT[int(o)]}" for o in actions["outcome"]],
            "Required actions and recommendations": text,
            "Validated by": actions["validator"].tolist(),
            "Date validated": [format_date(d) for d in actions["validated_on"]],
        }
    )
    if organisation:
        names = [
            f"{n} ({c})" for n, c in zip(actions["org_name"], actions["org_code"], strict=True)
        ]
        table.insert(0, "Organisation", names)
    return table


def show_required_actions(
    inputs: Inputs,
    cycle: int,
    *,
    org_code: str | None = None,
    region: str | None = None,
    scope: str,
) -> pd.DataFrame:
    """Under its heading, the required actions of one organisation (``org_code``) or region,
    or a sentence saying there are none.

    ``scope`` names the organisation or region in the words. Returns the
    :func:`required_actions` frame shown.
    """
    heading(REQUIRED_ACTIONS_HEADING)
    actions = required_actions(inputs.checks.validations(), cycle, org_code=org_code, region=region)
    if actions.empty:
        display(
            HTML(
                f'<p class="qio-actions-none">{escape_html(no_actions_sentence(scope, cycle))}</p>'
            )
        )
        return actions
    caption = f"Required actions and recommendations by outcome, {scope}, {cycle}"
    markup = table_html(actions_table(actions, organisation=org_code is None), caption)
    display(HTML(f'<div class="qio-actions">{markup}</div>'))
    return actions


def adjustments_table(
    adjusted: pd.DataFrame, inputs: Inputs, *, region: bool = False
) -> pd.DataFrame:
    """The review's table of every outcome validators raised or lowered, with who and when.

    ``adjusted`` holds the raised and lowered rows of
    :func:`~qio_analysis.metrics.validator_changes`; each gets the validator and
    date from the form that set it (``not recorded`` for an export's level).
    ``region=True`` adds each organisation's region (the national view).
    """
    from qio_analysis.report.tables import changes_table

    rows = who_validated(adjusted, inputs.checks.validations())
    return changes_table(rows, region=region).assign(
        **{
            "Validated by": [
                VALIDATOR_NOT_RECORDED if pd.isna(v) else v for v in rows["validator"]
            ],
            "Date validated": [format_date(d) for d in rows["validated_on"]],
        }
    )
