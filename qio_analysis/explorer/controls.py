"""The explorer's controls: one widget per choice, named by its key in a shareable URL.

Built from the data (its cycles, regions, organisation types and
organisations); :mod:`qio_analysis.explorer.app` arranges and observes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as w

from qio_analysis.explorer.views import VIEWS
from qio_analysis.framework import OUTCOMES

#: The value of the region and organisation type controls meaning "no filter".
ALL = "__all__"
_STYLE = {"description_width": "8em"}


@dataclass(frozen=True)
class Controls:
    """Every control; :meth:`by_key` gives those the URL sets, by query key."""

    view: w.ToggleButtons
    cycle: w.Dropdown
    compare: w.Dropdown
    region: w.Dropdown
    org_type: w.Dropdown
    outcome: w.Dropdown
    assessment: w.Dropdown
    sort: w.Dropdown
    organisation: w.Combobox

    def by_key(self) -> dict[str, w.ValueWidget]:
        """The controls set from a query string, by key (see :mod:`qio_analysis.explorer.state`)."""
        return {
            "view": self.view,
            "cycle": self.cycle,
            "region": self.region,
            "outcome": self.outcome,
            "compare": self.compare,
            "type": self.org_type,
            "assessment": self.assessment,
            "sort": self.sort,
        }


#: Heatmap orders: by name, by level, or by whole levels gained since the "Compare with" cycle.
SORTS = [
    ("Name", "name"),
    ("Level, highest first", "level"),
    ("Change, most improved first", "change"),
]


def _dropdown(description: str, options: list, value: object, **kw: object) -> w.Dropdown:
    return w.Dropdown(options=options, value=value, description=description, style=_STYLE, **kw)


def make_controls(
    *,
    cycles: Sequence[int],
    regions: Sequence[str],
    types: Sequence[str],
    organisations: Sequence[str],
    view: str,
    cycle: int | None,
) -> Controls:
    """The controls for data with these ``cycles``, ``regions``, organisation ``types`` and labels."""
    return Controls(
        view=w.ToggleButtons(
            options=[(label, key) for key, (label, _) in VIEWS.items()],
            value=view,
            description="View",
            style={**_STYLE, "button_width": "auto"},
        ),
        cycle=_dropdown("Cycle", list(cycles), cycle or cycles[-1]),
        compare=_dropdown("Compare with", [("None", 0), *[(str(c), c) for c in cycles]], 0),
        region=_dropdown("Region", [("All regions", ALL), *[(r, r) for r in regions]], ALL),
        org_type=_dropdown(
            "Organisation type",
            [("All types", ALL), *[(t, t) for t in types]],
            ALL,
            disabled=not types,
            tooltip="" if types else "Needs the organisations table (--organisations).",
        ),
        outcome=_dropdown(
            "Outcome",
            [("All outcomes", 0), *[(f"{o.number}. {o.short}", o.number) for o in OUTCOMES]],
            0,
        ),
        assessment=_dropdown(
            "Assessment",
            [("Validated", "validated"), ("Self-evaluated", "self"), ("Both", "both")],
            "validated",
        ),
        sort=_dropdown("Sort by", SORTS, "name"),
        organisation=w.Combobox(
            options=list(organisations),
            placeholder="Name or code, then Enter",
            ensure_option=False,
            continuous_update=False,
            description="Organisation",
            style=_STYLE,
        ),
    )


def update_options(
    controls: Controls,
    *,
    cycles: Sequence[int],
    regions: Sequence[str],
    types: Sequence[str],
    organisations: Sequence[str],
) -> None:
    """Give the controls the options of newly read data, keeping each value that is still offered."""
    fresh = make_controls(
        cycles=cycles,
        regions=regions,
        types=types,
        organisations=organisations,
        view=controls.view.value,
        cycle=controls.cycle.value if controls.cycle.value in cycles else None,
    )
    for name in ("cycle", "compare", "region", "org_type"):
        old, new = getattr(controls, name), getattr(fresh, name)
        kept = old.value
        old.options = new.options
        values = [v for _, v in new.options] if isinstance(new.options[0], tuple) else new.options
        old.value = kept if kept in values else new.value
    controls.org_type.disabled = fresh.org_type.disabled
    controls.organisation.options = fresh.organisation.options


def option_matching(control: w.ValueWidget, raw: str) -> object | None:
    """The control's option whose value reads as ``raw`` (any case), or None."""
    options = list(control.options)
    values = [v for _, v in options] if options and isinstance(options[0], tuple) else options
    return next((v for v in values if str(v).lower() == raw.lower()), None)
