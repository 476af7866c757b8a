"""Deterministic synthetic demo data: fictional organisations, QIOF cycles and LKS returns.

Everything here is invented. Organisation names are built from made-up place
names and codes start with ``Z`` (unused by real NHS trusts), so no real trust
is ever paired with invented levels or statistics. Regions are the real seven
NHS England regions, sized roughly like the real trust counts.

The exports are deliberately messy, like real ones, to exercise the readers:
title rows above headers, a notes sheet, mixed level notations, region codes,
a cycle written as ``2025/26``, a superseded resubmission, numbers as text
with thousands separators and a ``£`` sign, and financial years in four styles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from qio_analysis import config
from qio_analysis.demo import exports, population
from qio_analysis.framework import SUBLEVELS
from qio_analysis.io.writers import write_bytes_atomic

DEFAULT_SEED = 20210401
DEFAULT_ORGANISATIONS = 220


@dataclass
class DemoData:
    """Generated tables and the export files (name -> bytes) that carry them."""

    organisations: pd.DataFrame
    services: pd.DataFrame
    levels: pd.DataFrame  # the generator's ground truth, tidy
    statistics: pd.DataFrame  # ground truth, tidy
    files: dict[str, bytes]


def generate(n_organisations: int = DEFAULT_ORGANISATIONS, seed: int = DEFAULT_SEED) -> DemoData:
    """Generate the demo tables and export files, deterministically for a given seed."""
    rng = np.random.default_rng(seed)
    orgs = population.organisations(rng, n_organisations)
    orgs, services = population.services(rng, orgs)
    levels = population.levels(rng, orgs)
    stats = population.statistics(rng, orgs, services)
    files = {
        "qiof/qiof_levels_2021.xlsx": exports.qiof_2021(levels),
        "qiof/qiof_levels_2023.xlsx": exports.qiof_2023(levels, rng),
        "qiof/qiof_levels_2025.csv": exports.qiof_2025(levels, rng),
        "lks_statistics_returns.xlsx": exports.statistics_returns(stats, rng),
        "organisations.csv": exports.organisations_table(orgs),
        config.SYNTHETIC_MARK: synthetic_mark(n_organisations, seed),
    }
    levels = levels.assign(
        sublevel=pd.Categorical(levels["sublevel"], categories=SUBLEVELS, ordered=True)
    )
    return DemoData(orgs, services, levels, stats, files)


def synthetic_mark(n_organisations: int, seed: int) -> bytes:
    """The note written beside the exports: it marks every output made from them as synthetic."""
    return (
        f"{config.SYNTHETIC_TITLE}\n\n"
        "Every organisation, code, service, level and statistic in this folder is invented\n"
        f"by `qio demo-data` ({n_organisations} fictional organisations, seed {seed}).\n"
        "Reports, workbooks and charts made from these files are marked as synthetic.\n"
        "Do not present these numbers as real results.\n"
    ).encode()


def write_demo(
    directory: str | Path, *, n_organisations: int = DEFAULT_ORGANISATIONS, seed: int = DEFAULT_SEED
) -> list[Path]:
    """Generate the demo exports and write them (atomically) under ``directory``."""
    data = generate(n_organisations, seed)
    return [
        write_bytes_atomic(Path(directory) / name, content) for name, content in data.files.items()
    ]
