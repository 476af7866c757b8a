"""The manifest: one row per report with its parameters, status, duration, error and input hash.

Written as JSON (read back to decide what is up to date) and CSV (for people),
both atomically. Entries for items outside the current run are kept, so one
output folder can hold several cycles.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from qio_analysis.io.writers import write_csv_atomic, write_text_atomic


@dataclass
class ItemResult:
    """What happened to one report item."""

    item: str
    kind: str
    label: str
    notebook: str
    parameters: dict[str, Any]
    status: str
    duration_s: float = 0.0
    error: str = ""
    input_hash: str = ""
    output: str = ""
    debug_notebook: str = ""
    engine: str = ""
    finished: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def read_manifest(path: Path) -> dict[str, ItemResult]:
    """Previous results by item id (empty when there is no manifest yet)."""
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))["items"]
    return {row["item"]: ItemResult(**row) for row in rows}


def write_manifest(out_dir: Path, results: dict[str, ItemResult]) -> tuple[Path, Path]:
    """Write manifest.json and manifest.csv (sorted by item)."""
    rows = [asdict(results[key]) for key in sorted(results)]
    json_path = write_text_atomic(
        out_dir / "manifest.json", json.dumps({"items": rows}, indent=1, default=str) + "\n"
    )
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["parameters"] = frame["parameters"].map(
            lambda p: json.dumps(p, sort_keys=True, default=str)
        )
        frame = frame.drop(columns=["extra"])
    csv_path = write_csv_atomic(out_dir / "manifest.csv", frame)
    return json_path, csv_path
