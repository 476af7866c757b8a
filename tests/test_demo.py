"""The synthetic demo data: reproducible, fictional, realistic and readable."""

from __future__ import annotations

import pandas as pd
import pytest

import qio_analysis as qa
from qio_analysis import config
from qio_analysis.demo import generate, synthetic_mark, write_demo
from tests.conftest import SHARED_ETR


def test_demo_data_written_anywhere_marks_what_is_made_from_it_as_synthetic(tmp_path):
    demo = tmp_path / "elsewhere"
    (demo / "qiof").mkdir(parents=True)
    for name in ("qiof/qiof_levels_2025.csv", "organisations.csv"):
        (demo / name).write_text("code\n")
    (demo / config.SYNTHETIC_MARK).write_bytes(synthetic_mark(40, 7))
    for path in (
        demo,
        demo / "qiof",
        demo / "qiof" / "qiof_levels_2025.csv",
        demo / "organisations.csv",
    ):
        assert config.is_demo_path(path), path
    assert config.is_demo_path(config.DEMO_SUBMISSIONS)

    (demo / config.SYNTHETIC_MARK).write_text("Notes about these exports\n")  # not the mark
    assert not config.is_demo_path(demo / "organisations.csv")
    (demo / config.SYNTHETIC_MARK).write_bytes(b"\xff\xfe not text")
    assert not config.is_demo_path(demo / "qiof")
    (demo / config.SYNTHETIC_MARK).unlink()
    assert not config.is_demo_path(demo / "qiof" / "qiof_levels_2025.csv")
    assert synthetic_mark(40, 7).decode().startswith(config.SYNTHETIC_TITLE + "\n")
    assert "40 fictional organisations, seed 7" in synthetic_mark(40, 7).decode()


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_regenerating_reproduces_the_committed_files_exactly(tmp_path):
    written = write_demo(tmp_path)
    assert written
    for path in written:
        committed = config.DEMO_DIR / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} differs from a fresh generation"
        )


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_demo_organisations_are_fictional():
    orgs = generate().organisations
    assert orgs.org_code.str.startswith("Z").all()
    if not SHARED_ETR.exists():
        pytest.skip(
            "../shared/reference/etr.csv is absent: cannot compare with the real trust list"
        )
    real = qa.read_ods_trusts(SHARED_ETR)
    assert not set(orgs.org_code) & set(real.org_code)
    assert not {n.lower() for n in orgs.org_name} & {n.lower() for n in real.org_name}


@pytest.fixture(scope="module")
def demo():
    return qa.read_submissions(config.DEMO_SUBMISSIONS), qa.read_statistics(config.DEMO_STATISTICS)


def test_demo_exports_load_cleanly_and_exercise_the_readers(demo):
    subs, stats = demo
    assert len(subs.rejected) == 0 and len(stats.rejected) == 0
    assert len(subs.superseded) == 1
    notes = "\n".join(subs.notes + stats.notes)
    for expected in (
        "header found",
        "ignored 'Notes'",
        "level notation normalised",
        "cycle given as a span",
        "region written as a code",
        "number written as text",
        "financial year normalised",
    ):
        assert expected in notes
    orgs = qa.read_organisations(config.DEMO_ORGANISATIONS)
    assert 200 <= len(orgs) <= 240
    assert set(orgs.org_type) == {"Acute", "Mental health", "Community", "Ambulance", "Combined"}
    assert orgs.region.nunique() == 7
    per_service = orgs.groupby("service_code").size()
    assert per_service.between(1, 3).all()


def test_demo_levels_are_realistic(demo):
    subs = demo[0].data
    assert sorted(subs.cycle.unique()) == [2021, 2023, 2025]
    wide = subs.pivot_table(
        index=["org_code", "cycle", "outcome"], columns="assessment", values="score"
    )
    validated = subs[subs.assessment == "validated"].level.dropna()
    assert validated.between(1, 3).mean() > 0.6
    changed = (wide["self"] != wide["validated"]).groupby(level=["org_code", "cycle"]).any().mean()
    per_level = (wide["self"] != wide["validated"]).mean()
    assert 0.15 < per_level < 0.35  # validators change about a quarter of self-evaluations
    assert changed > per_level
    down = (wide["self"] > wide["validated"]).mean()
    assert down > 2 * (wide["self"] < wide["validated"]).mean()  # mostly downwards
    orgs = qa.read_organisations(config.DEMO_ORGANISATIONS)
    taking_part = subs.groupby("cycle").org_code.nunique()
    missing = 1 - taking_part / len(orgs)
    assert missing.between(0.005, 0.07).all()
    mean_by_cycle = subs[subs.assessment == "validated"].groupby("cycle").score.mean()
    assert mean_by_cycle.is_monotonic_increasing


def test_demo_statistics_have_plausible_national_magnitudes(demo):
    stats = demo[1].data
    assert sorted(stats.year.unique()) == [f"{y}/{(y + 1) % 100:02d}" for y in range(2019, 2025)]
    national = stats.groupby("year_start")[["qualified_wte", "nhs_wte"]].sum()
    assert national.qualified_wte.between(600, 730).all()
    assert national.nhs_wte.between(1.05e6, 1.45e6).all()
    ratio = national.nhs_wte / national.qualified_wte
    assert 1650 <= ratio.iloc[0] <= 1850
    assert ratio.iloc[-1] < ratio.iloc[0]  # improving towards 1:1,250
    assert pd.api.types.is_integer_dtype(stats.enquiries)
