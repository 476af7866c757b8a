"""The generator's ground truth: fictional organisations, LKS services, QIOF levels and returns.

Each function draws from the one random generator in a fixed order, so a
seed always gives the same tables.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from qio_analysis.framework import OUTCOME_NUMBERS, from_score
from qio_analysis.reference import REGIONS

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


def organisations(rng: np.random.Generator, n: int) -> pd.DataFrame:
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


def services(rng: np.random.Generator, orgs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
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


def levels(rng: np.random.Generator, orgs: pd.DataFrame) -> pd.DataFrame:
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


def statistics(
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
