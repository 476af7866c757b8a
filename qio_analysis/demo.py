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

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from qio_analysis.framework import OUTCOME_NUMBERS, SUBLEVELS, from_score
from qio_analysis.io.writers import csv_bytes, write_bytes_atomic, xlsx_bytes
from qio_analysis.reference import REGION_CODES, REGIONS

DEFAULT_SEED = 20210401
DEFAULT_ORGANISATIONS = 220
CYCLES = (2021, 2023, 2025)
STAT_YEARS = tuple(range(2019, 2025))  # financial years 2019/20 to 2024/25
#: Share of organisations per region, after the real trust counts (Q1 2025 ODS).
REGION_WEIGHTS = {"Y60": 39, "Y56": 32, "Y62": 31, "Y63": 31, "Y59": 28, "Y61": 22, "Y58": 19}
TYPE_WEIGHTS = {
    "Acute": 0.55,
    "Mental health": 0.22,
    "Community": 0.09,
    "Ambulance": 0.05,
    "Combined": 0.09,
}
TYPE_WTE = {
    "Acute": 5900,
    "Mental health": 2900,
    "Community": 2350,
    "Ambulance": 3800,
    "Combined": 4700,
}

_ROOTS = (
    "Ash Bram Brook Cran Dun Elm Fen Gorse Hart Hazel Holm Ivy Kes Lark Lang Marl Mill Oak Pen "
    "Ros Sel Stan Tarn Thorn Wend Wil Yar Alder Clay Fox Heron Kings Lynd Merri Wren Bex Cal "
    "Dray Ember Gil Hol Iver Jun Kel Lud Nor Ot Pol Quen Rad Sal Tol Ul Ver Wat"
).split()
_STEMS = (
    "bridge vale field ford moor wick combe ley ham ton bury stow well mere holt dale worth "
    "thorpe minster cliffe haven brook by gate"
).split()
_ACUTE = (
    "{p} Hospitals NHS Foundation Trust",
    "{p} University Hospitals NHS Trust",
    "{p} and {q} Hospitals NHS Trust",
    "{p} Teaching Hospitals NHS Foundation Trust",
    "{p} General Hospital NHS Trust",
)
_PATTERNS = {
    "Acute": _ACUTE,
    "Mental health": ("{p} Partnership NHS Foundation Trust", "{p} Mental Health NHS Trust"),
    "Community": ("{p} Community Health NHS Trust", "{p} Community Healthcare NHS Trust"),
    "Ambulance": ("{p} Ambulance Service NHS Trust",),
    "Combined": ("{p} Health and Care NHS Foundation Trust", "{p} Integrated Care NHS Trust"),
}


@dataclass
class DemoData:
    """Generated tables and the export files (name -> bytes) that carry them."""

    organisations: pd.DataFrame
    services: pd.DataFrame
    levels: pd.DataFrame  # the generator's ground truth, tidy
    statistics: pd.DataFrame  # ground truth, tidy
    files: dict[str, bytes]


def _place_names(rng: np.random.Generator, n: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        name = rng.choice(_ROOTS) + rng.choice(_STEMS)
        if rng.random() < 0.15:
            name = rng.choice(["North ", "South ", "East ", "West ", "Upper ", "Great "]) + name
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _organisations(rng: np.random.Generator, n: int) -> pd.DataFrame:
    total = sum(REGION_WEIGHTS.values())
    counts = {code: math.floor(n * w / total) for code, w in REGION_WEIGHTS.items()}
    for code in sorted(REGION_WEIGHTS, key=lambda c: -REGION_WEIGHTS[c])[
        : n - sum(counts.values())
    ]:
        counts[code] += 1
    places = _place_names(rng, 2 * n)
    types = list(TYPE_WEIGHTS)
    rows = []
    index = 0
    for code in REGIONS:
        for i in range(counts[code]):
            org_type = "Ambulance" if i == 0 else rng.choice(types, p=list(TYPE_WEIGHTS.values()))
            if org_type == "Ambulance" and i:
                org_type = "Acute"
            pattern = rng.choice(_PATTERNS[org_type])
            name = pattern.format(p=places[2 * index], q=places[2 * index + 1])
            rows.append(
                {
                    "org_code": f"Z{chr(65 + index // 100 % 26)}{index % 100:02d}",
                    "org_name": name,
                    "org_type": str(org_type),
                    "region": REGIONS[code],
                    "place": places[2 * index],
                }
            )
            index += 1
    return pd.DataFrame(rows)


def _services(rng: np.random.Generator, orgs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Group organisations (within a region) into LKS services of 1-3 organisations."""
    service_of: dict[str, str] = {}
    rows = []
    number = 1
    for region in REGIONS.values():
        codes = list(orgs.loc[orgs["region"] == region, "org_code"])
        order = rng.permutation(len(codes))
        i = 0
        while i < len(codes):
            size = int(rng.choice([1, 2, 3], p=[0.55, 0.3, 0.15]))
            members = [codes[j] for j in order[i : i + size]]
            i += size
            code = f"ZLKS{number:03d}"
            number += 1
            lead = members[0]
            place = orgs.loc[orgs["org_code"] == lead, "place"].iloc[0]
            rows.append(
                {
                    "service_code": code,
                    "service_name": f"{place} Library and Knowledge Service",
                    "lead_org_code": lead,
                    "organisations_served": ";".join(members),
                    "region": region,
                }
            )
            service_of.update(dict.fromkeys(members, code))
    services = pd.DataFrame(rows)
    orgs = orgs.assign(service_code=orgs["org_code"].map(service_of)).drop(columns="place")
    return orgs, services


def _quantise(value: float, rng: np.random.Generator) -> float:
    """Clip to 0-4.75 and snap to a level with or without a sub-level."""
    value = min(max(value, 0.0), 4.75)
    if rng.random() < 0.3:
        return float(round(min(value, 4.0)))
    return math.floor(value * 4) / 4


def _levels(rng: np.random.Generator, orgs: pd.DataFrame) -> pd.DataFrame:
    outcome_effect = {1: 0.35, 2: -0.1, 3: 0.1, 4: 0.0, 5: -0.05, 6: -0.35}
    rows = []
    for org in orgs.itertuples(index=False):
        ability = rng.normal(1.75, 0.55)
        momentum = rng.normal(0.45, 0.3)
        latent = {n: ability + outcome_effect[n] + rng.normal(0, 0.35) for n in OUTCOME_NUMBERS}
        for k, cycle in enumerate(CYCLES):
            if k:
                latent = {n: v + momentum + rng.normal(0, 0.3) for n, v in latent.items()}
            if rng.random() < 0.03:
                continue  # about 3% of organisations miss a cycle
            awaiting = cycle == CYCLES[-1] and rng.random() < 0.02
            for n in OUTCOME_NUMBERS:
                validated = _quantise(latent[n], rng)
                self_score = validated
                if rng.random() < 0.25:  # validators change about a quarter
                    step = rng.choice([0.25, 1.0, -0.25], p=[0.6, 0.3, 0.1])
                    self_score = min(max(validated + step, 0.0), 4.75)
                for assessment, value in (("self", self_score), ("validated", validated)):
                    level, sub = from_score(value)
                    if assessment == "validated" and awaiting:
                        level, sub = None, None
                    rows.append(
                        {
                            "org_code": org.org_code,
                            "org_name": org.org_name,
                            "region": org.region,
                            "cycle": cycle,
                            "outcome": n,
                            "assessment": assessment,
                            "level": level,
                            "sublevel": sub,
                        }
                    )
    return pd.DataFrame(rows).astype({"level": "Int64"})


# --------------------------------------------------------------------- exports


@dataclass
class _WideRow:
    org_code: str
    org_name: str
    region: str
    levels: dict[tuple[int, str], tuple[int | None, str | None]]


def _wide(levels: pd.DataFrame, cycle: int) -> list[_WideRow]:
    """One row per organisation taking part in ``cycle``, in code order."""
    out = []
    part = levels[levels["cycle"] == cycle].sort_values(["org_code", "outcome", "assessment"])
    for code, group in part.groupby("org_code", sort=True):
        first = group.iloc[0]
        cells = {
            (r.outcome, r.assessment): (
                None if pd.isna(r.level) else int(r.level),
                None if pd.isna(r.sublevel) else str(r.sublevel),
            )
            for r in group.itertuples(index=False)
        }
        out.append(_WideRow(str(code), first["org_name"], first["region"], cells))
    return out


_NOTATIONS = (
    "{l} - {s}",
    "{l} {s}",
    "{l}{s0}",
    "Level {l} \u2013 {s}",
    "L{l} {s}",
    "{l} ({s_lower})",
)


def _export_2021(wide: list[_WideRow]) -> bytes:
    header = ["Organisation code", "Organisation name", "Region", "Cycle"]
    for n in OUTCOME_NUMBERS:
        for label in ("self-evaluated", "validated"):
            header += [f"Outcome {n} {label} level", f"Outcome {n} {label} sub-level"]
    rows: list[list[object]] = [
        ["QIOF baseline 2021: self-evaluated and validated levels"],
        ["Exported from the QIOF submission system. SYNTHETIC DEMO DATA: fictional organisations."],
        [],
        header,
    ]
    for i, org in enumerate(wide):
        row: list[object] = [org.org_code, org.org_name, org.region, 2021]
        for n in OUTCOME_NUMBERS:
            for a in ("self", "validated"):
                row += list(org.levels[n, a])
        rows.append(row)
        if i == 40:
            rows.append([])  # a stray blank row, as hand-edited exports have
    notes = [
        ["About this export"],
        ["Levels: 0 (not developed) to 4 (highly developed); sub-levels Low, Medium, High."],
        ["This is synthetic demo data generated by qio-analysis. The organisations are fictional."],
    ]
    return xlsx_bytes({"Notes": notes, "Levels": rows})


def _export_2023(wide: list[_WideRow], rng: np.random.Generator) -> bytes:
    header = ["ODS code", "Trust name", "NHS England region", "Submission year", "Date submitted"]
    for n in OUTCOME_NUMBERS:
        header += [f"OUTCOME {n} \u2013 Self-Assessed", f"Outcome {n} Validated"]
    rows: list[list[object]] = [
        ["Quality and Improvement Outcomes Framework 2023 - levels report"],
        header,
    ]
    for i, org in enumerate(wide):
        submitted = pd.Timestamp("2023-04-03") + pd.Timedelta(days=int(rng.integers(0, 60)))
        row: list[object] = [
            org.org_code,
            org.org_name,
            org.region,
            2023,
            submitted.to_pydatetime(),
        ]
        for n in OUTCOME_NUMBERS:
            for a in ("self", "validated"):
                row.append(_combined(*org.levels[n, a], rng))
        if i == 7:  # an earlier, lower submission later replaced by the organisation
            early = list(row)
            early[4] = (submitted - pd.Timedelta(days=21)).to_pydatetime()
            early[5] = "1 - Low"
            rows.append(early)
        rows.append(row)
    return xlsx_bytes({"QIOF 2023": rows})


def _combined(level: int | None, sub: str | None, rng: np.random.Generator) -> object:
    if level is None:
        return None
    if sub is None:
        return [level, f"Level {level}", f"L{level}"][int(rng.integers(0, 3))]
    pattern = _NOTATIONS[int(rng.integers(0, len(_NOTATIONS)))]
    return pattern.format(l=level, s=sub, s0=str(sub)[0], s_lower=str(sub).lower())


def _export_2025(wide: list[_WideRow], rng: np.random.Generator) -> bytes:
    header = ["Org code", "Organisation", "Region", "Round"]
    for n in OUTCOME_NUMBERS:
        for label in ("Self-evaluated", "Validated"):
            header += [f"Outcome {n} {label} level", f"Outcome {n} {label} sublevel"]
    lines = [header]
    for i, org in enumerate(wide):
        code, region = org.org_code, org.region
        row: list[object] = [
            f" {code.lower()}" if i % 37 == 5 else code,
            org.org_name,
            REGION_CODES[region] if i % 9 == 0 else (region.upper() if i % 13 == 0 else region),
            "2025/26",
        ]
        for n in OUTCOME_NUMBERS:
            for a in ("self", "validated"):
                level, sub = org.levels[n, a]
                if level is None:
                    row += ["N/A" if a == "validated" else "", ""]
                else:
                    row += [
                        str(int(level)),
                        "" if sub is None else (sub if rng.random() < 0.8 else sub[0]),
                    ]
        lines.append(row)
    frame = pd.DataFrame(lines[1:], columns=lines[0])
    return b"\xef\xbb\xbf" + csv_bytes(frame)


def _statistics(
    rng: np.random.Generator, orgs: pd.DataFrame, services: pd.DataFrame
) -> pd.DataFrame:
    wte = {o.org_code: TYPE_WTE[o.org_type] * rng.lognormal(0, 0.35) for o in orgs.itertuples()}
    rows = []
    for svc in services.itertuples(index=False):
        members = svc.organisations_served.split(";")
        base_wte = sum(wte[m] for m in members)
        staffing = rng.lognormal(-0.045, 0.3)  # mean 1
        users = rng.uniform(0.45, 0.75)
        activity = rng.lognormal(0, 0.25)
        for k, year in enumerate(STAT_YEARS):
            if rng.random() < 0.02:
                continue  # a missed return
            nhs = base_wte * (1 + 0.012 * k) * rng.normal(1, 0.01)
            target_ratio = 1700 - 22 * k  # national ratio improves from ~1:1,750
            qualified = max(0.6, round(nhs / target_ratio * staffing * rng.normal(1, 0.04), 1))
            covid = 0.75 if year == 2020 else 1.0
            # activity per 1,000 NHS WTE, scaled by this service's size and year
            scale = nhs / 1000 * activity * covid * (1 + 0.03 * k)

            def count(per_1000: float, scale: float = scale) -> int:
                return round(scale * per_1000 * rng.normal(1, 0.1))

            potential = round(nhs * 1.12)
            rows.append(
                {
                    "service_code": svc.service_code,
                    "service_name": svc.service_name,
                    "lead_org_code": svc.lead_org_code,
                    "organisations_served": svc.organisations_served,
                    "region": svc.region,
                    "year_start": year,
                    "qualified_wte": qualified,
                    "other_wte": round(qualified * rng.uniform(0.5, 1.1), 1),
                    "nhs_wte": round(nhs, 1),
                    "potential_users": potential,
                    "registered_users": int(potential * min(0.95, users + 0.015 * k)),
                    "enquiries": count(230),
                    "expert_searches": count(38 + 2 * k),
                    "evidence_summaries": count(3 + 0.8 * k),
                    "people_trained": count(62),
                    "inductions": count(70),
                    "document_supply": count(150 - 6 * k),
                    "expenditure_gbp": round(qualified * 95_000 * rng.normal(1, 0.08), 2),
                }
            )
    return pd.DataFrame(rows)


_YEAR_STYLES = ("{y}/{yy}", "{y}-{yy}", "{y}-{y1}", "FY{y}/{yy}")


def _export_statistics(stats: pd.DataFrame, rng: np.random.Generator) -> bytes:
    header = [
        "Service code",
        "Service name",
        "Lead organisation code",
        "Organisations served",
        "Region",
        "Year",
        "Qualified LKS staff WTE",
        "Other LKS staff WTE",
        "NHS staff WTE served",
        "Potential users",
        "Registered users",
        "Enquiries",
        "Literature searches",
        "Evidence summaries",
        "People trained",
        "Inductions",
        "Items supplied",
        "Expenditure (\u00a3)",
    ]
    measures = [
        "qualified_wte",
        "other_wte",
        "nhs_wte",
        "potential_users",
        "registered_users",
        "enquiries",
        "expert_searches",
        "evidence_summaries",
        "people_trained",
        "inductions",
        "document_supply",
        "expenditure_gbp",
    ]
    rows: list[list[object]] = [
        ["LKS workforce and activity statistics returns, 2019/20 to 2024/25 (SYNTHETIC DEMO DATA)"],
        [],
        header,
    ]
    for i, rec in enumerate(stats.itertuples(index=False)):
        y = rec.year_start
        style = _YEAR_STYLES[y % len(_YEAR_STYLES)]
        served = (
            rec.organisations_served.replace(";", "; ") if i % 5 == 0 else rec.organisations_served
        )
        row: list[object] = [
            rec.service_code,
            rec.service_name,
            rec.lead_org_code,
            served,
            rec.region,
            style.format(y=y, yy=f"{(y + 1) % 100:02d}", y1=y + 1),
        ]
        for m in measures:
            value = getattr(rec, m)
            if m == "expenditure_gbp" and i % 11 == 0:
                value = f"\u00a3{value:,.2f}"
            elif m in {"enquiries", "people_trained"} and value >= 1000 and i % 7 == 0:
                value = f"{value:,}"
            row.append(value)
        rows.append(row)
    return xlsx_bytes({"Returns": rows})


def generate(n_organisations: int = DEFAULT_ORGANISATIONS, seed: int = DEFAULT_SEED) -> DemoData:
    """Generate the demo tables and export files, deterministically for a given seed."""
    rng = np.random.default_rng(seed)
    orgs = _organisations(rng, n_organisations)
    orgs, services = _services(rng, orgs)
    levels = _levels(rng, orgs)
    stats = _statistics(rng, orgs, services)
    files = {
        "qiof/qiof_levels_2021.xlsx": _export_2021(_wide(levels, 2021)),
        "qiof/qiof_levels_2023.xlsx": _export_2023(_wide(levels, 2023), rng),
        "qiof/qiof_levels_2025.csv": _export_2025(_wide(levels, 2025), rng),
        "lks_statistics_returns.xlsx": _export_statistics(stats, rng),
        "organisations.csv": csv_bytes(
            orgs.rename(
                columns={
                    "org_code": "Organisation code",
                    "org_name": "Organisation name",
                    "org_type": "Organisation type",
                    "region": "Region",
                    "service_code": "LKS service code",
                }
            )
        ),
    }
    levels = levels.assign(
        sublevel=pd.Categorical(levels["sublevel"], categories=SUBLEVELS, ordered=True)
    )
    return DemoData(orgs, services, levels, stats, files)


def write_demo(
    directory: str | Path, *, n_organisations: int = DEFAULT_ORGANISATIONS, seed: int = DEFAULT_SEED
) -> list[Path]:
    """Generate the demo exports and write them (atomically) under ``directory``."""
    data = generate(n_organisations, seed)
    return [
        write_bytes_atomic(Path(directory) / name, content) for name, content in data.files.items()
    ]
