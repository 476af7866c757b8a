"""An organisation's QIOF story: validated levels of every cycle it took part in.

The radar, the change table and the explorer all draw from :func:`level_history`,
so every view shows the same cycles in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.errors import QioConfigError
from qio_analysis.framework import OUTCOME_NUMBERS, OUTCOME_SHORT
from qio_analysis.schemas import SubmissionsSchema
from qio_analysis.words import NO_RETURN, NOT_VALIDATED, level_words


@enforce_schemas
def level_history(
    subs: DataFrame[SubmissionsSchema],
    org_code: str,
    cycle: int | None = None,
    *,
    cycles: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Validated levels of every cycle ``org_code`` took part in up to ``cycle``, plus its self-evaluation.

    One row per cycle, assessment and outcome: the validated levels of each
    cycle up to and including ``cycle`` (default: the organisation's latest)
    and the self-evaluation of ``cycle`` itself, oldest cycle first.
    ``cycles`` keeps only those earlier cycles (a "compare with" choice);
    ``cycle`` is always kept. Columns: ``org_code, cycle, assessment,
    outcome, outcome_short, level, sublevel, score, label`` (the level in
    words; ``not validated`` or ``no return`` when missing), ``series`` (the
    legend name, e.g. ``Validated 2021``), ``is_current`` and ``age`` (0 for
    ``cycle``, 1 for the cycle before, ...).

    >>> from qio_analysis import examples
    >>> subs = examples.one_organisation()
    >>> h = level_history(subs, "ZA01", 2025)  # three series of the six outcomes
    >>> list(dict.fromkeys(h["series"])), len(h)
    (['Validated 2023', 'Self-evaluated 2025', 'Validated 2025'], 18)
    >>> h.loc[h["outcome"] == 1, "label"].tolist()
    ['Level 1', 'Level 3', 'Level 2 (High)']
    """
    org = subs[subs["org_code"] == org_code]
    if org.empty:
        raise QioConfigError(f"There are no submissions for organisation {org_code!r}.")
    took_part = sorted(int(c) for c in org["cycle"].unique())
    cycle = took_part[-1] if cycle is None else int(cycle)
    if cycle not in took_part:
        listed = ", ".join(map(str, took_part))
        raise QioConfigError(f"{org_code} has no submission for {cycle}; it took part in {listed}.")
    earlier = [c for c in took_part if c < cycle]
    if cycles is not None:
        earlier = [c for c in earlier if c in {int(c) for c in cycles}]
    shown = [*earlier, cycle]
    parts = []
    for c in shown:
        for assessment in ("self", "validated") if c == cycle else ("validated",):
            rows = org[(org["cycle"] == c) & (org["assessment"] == assessment)]
            rows = rows.set_index("outcome").reindex(list(OUTCOME_NUMBERS))
            missing = NOT_VALIDATED if assessment == "validated" else NO_RETURN
            word = "Validated" if assessment == "validated" else "Self-evaluated"
            parts.append(
                pd.DataFrame(
                    {
                        "org_code": org_code,
                        "cycle": c,
                        "assessment": assessment,
                        "outcome": list(OUTCOME_NUMBERS),
                        "outcome_short": [OUTCOME_SHORT[n] for n in OUTCOME_NUMBERS],
                        "level": pd.array(rows["level"].to_numpy(), dtype="Int64"),
                        "sublevel": rows["sublevel"].astype(object).to_numpy(),
                        "score": rows["score"].astype("float64").to_numpy(),
                        "label": [
                            level_words(lv, s, missing=missing)
                            for lv, s in zip(rows["level"], rows["sublevel"], strict=True)
                        ],
                        "series": f"{word} {c}",
                        "is_current": c == cycle,
                        "age": len(shown) - 1 - shown.index(c),
                    }
                )
            )
    out = pd.concat(parts, ignore_index=True)
    out["sublevel"] = out["sublevel"].where(out["sublevel"].notna(), None)
    return out


def history_wide(history: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome, one column of level words per series (the radar's data table).

    >>> from qio_analysis import examples
    >>> subs = examples.one_organisation()
    >>> wide = history_wide(level_history(subs, "ZA01", 2025))
    >>> wide.iloc[1].tolist()
    ['2: Evidence in decisions', 'Level 2', 'no return', 'Level 2']
    """
    series = list(dict.fromkeys(history["series"]))
    wide = history.pivot(index="outcome", columns="series", values="label")[series]
    wide.insert(0, "Outcome", [f"{n}: {OUTCOME_SHORT[int(n)]}" for n in wide.index.tolist()])
    return wide.reset_index(drop=True).rename_axis(columns=None)
