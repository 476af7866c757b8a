"""The words of the benchmarking charts: their alt text.

Only the selected service is named; the words say so.
"""

from __future__ import annotations

from qio_analysis.words.formats import format_ratio


def strip_alt(x_title: str, selected: str, at: str | None) -> str:
    """The strip chart's alt text: what each dot is, and where the selected service sits (``at``).

    >>> strip_alt("Staff ratio", "ZL01 LKS", "1,136")
    "Strip chart of every service's staff ratio; ZL01 LKS is the highlighted dot at 1,136. Other services are not named."
    """
    where = f" at {at}" if at is not None else ""
    return (
        f"Strip chart of every service's {x_title.lower()}; {selected} is the highlighted dot"
        f"{where}. Other services are not named."
    )


def staffing_trend_alt(selected: str, target: float) -> str:
    """The staffing trend's alt text.

    >>> staffing_trend_alt("ZL01 LKS", 1250.0)
    'Line chart of the staff ratio of ZL01 LKS and its comparators each year, against the 1:1,250 target.'
    """
    return (
        f"Line chart of the staff ratio of {selected} and its comparators each year, "
        f"against the {format_ratio(target)} target."
    )


__all__ = ["staffing_trend_alt", "strip_alt"]
