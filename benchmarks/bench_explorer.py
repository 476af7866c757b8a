"""Explorer responsiveness: 50 control changes on the demo data, timed inside a real kernel.

The explorer is built in a Jupyter kernel (started by nbclient, as JupyterLab or
Voila would), then 50 controls are changed programmatically in a fixed order
that visits every view. Each change is timed from setting the value until the
explorer has recomputed and re-displayed the chart and table (widget messages
included). Prints the median and worst update and writes
benchmarks/results/explorer.json. Targets: median <= 150 ms, worst <= 500 ms.

    .venv/bin/python benchmarks/bench_explorer.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
from pathlib import Path

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

RESULTS = Path(__file__).resolve().parent / "results" / "explorer.json"

DRIVER = r"""
import json, time
import qio_analysis as qa
explorer = qa.LevelExplorer.from_files()
orgs = list(explorer._org_by_label)
regions = [v for _, v in explorer.region.options]
views = ["distribution", "heatmap", "radar", "transitions", "agreement"]
steps = []
for i in range(40):
    steps.append(("view", views[i % 5]))
    if views[i % 5] == "radar":
        steps.append(("organisation", orgs[(7 * i) % len(orgs)]))
    steps.append(("region", regions[(i + 1) % len(regions)]))
    steps.append(("outcome", (i % 6) + 1 if i % 2 else 0))
    steps.append(("assessment", ["validated", "self", "both"][i % 3]))
    steps.append(("cycle", [2025, 2023, 2025, 2021][i % 4]))
times = []
for control, value in steps:
    widget = getattr(explorer, control)
    if widget.value == value:
        continue  # only real changes count
    start = time.perf_counter()
    widget.value = value
    times.append((control, str(value), time.perf_counter() - start))
    if len(times) == 50:
        break
print(json.dumps(times))
"""


def main() -> None:
    nb = new_notebook(
        cells=[new_code_cell(DRIVER)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    stdout = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stdout")
    times = json.loads(stdout.strip().splitlines()[-1])
    ms = sorted(t * 1000 for _, _, t in times)
    slowest = max(times, key=lambda t: t[2])
    result = {
        "date": dt.date.today().isoformat(),
        "cores": os.cpu_count(),
        "changes": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 1),
        "max_ms": round(ms[-1], 1),
        "slowest_change": {"control": slowest[0], "value": slowest[1]},
        "targets": {
            "median_at_most_150_ms": statistics.median(ms) <= 150,
            "max_at_most_500_ms": ms[-1] <= 500,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
