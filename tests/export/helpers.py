"""An executed report notebook built in-process: the header, a radar chart and its data."""

from __future__ import annotations

import nbformat
from IPython.display import HTML

from qio_analysis.figures import fig_radar
from qio_analysis.metrics import level_profile
from qio_analysis.report.display import figure_bundle, table_html


def report_notebook(subs, org_code: str = "ZZA", cycle: int = 2025) -> nbformat.NotebookNode:
    """What ``trust_profile`` shows first, as an executed notebook (no kernel needed)."""
    profile = level_profile(subs, org_code, cycle)
    name = profile["org_name"].iloc[0]
    fig = fig_radar(profile)
    header = f"<header><h1>{HTML(name).data}: QIOF levels {cycle}</h1></header>"
    levels = profile[["outcome_short", "validated_level", "validated_sublevel"]]
    outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": header}),
        nbformat.v4.new_output("display_data", data=figure_bundle(fig)),
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": f'<details class="qio-data"><summary>Data behind this chart</summary>{table_html(levels)}</details>'
            },
        ),
    ]
    cell = nbformat.v4.new_code_cell("show(fig)", outputs=outputs, execution_count=1)
    return nbformat.v4.new_notebook(cells=[cell])
