"""Validation agreement and quadratic-weighted kappa, hand-worked and cross-checked."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qio_analysis as qa
from qio_analysis import metrics as m
from tests.metrics.helpers import both, subs

PAIRS = [(2, 2), (3, 2), (1, 1), (3, 3), (2, 1)]  # (self, validated)


def test_kappa_by_hand():
    # Observed disagreement: two cells one apart, weight 1/16 each: 0.125.
    # Expected: marginals self {1:1, 2:2, 3:2}, validated {1:2, 2:2, 3:1};
    # sum r_i c_j (i-j)^2 = 6 + 6 + 20 = 32, so sum w E = 32 / (5 * 16) = 0.4.
    # kappa = 1 - 0.125 / 0.4 = 0.6875.
    first, second = zip(*PAIRS, strict=True)
    assert m.quadratic_weighted_kappa(first, second) == pytest.approx(0.6875)


def _kappa_by_moments(a, b):
    """Independent formula: QWK = 2 cov / (var a + var b + (mean a - mean b)^2), population moments."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    cov = ((a - a.mean()) * (b - b.mean())).mean()
    denominator = a.var() + b.var() + (a.mean() - b.mean()) ** 2
    return 2 * cov / denominator


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=2, max_size=40))
def test_kappa_matches_the_moment_formula(pairs):
    a, b = zip(*pairs, strict=True)
    expected = _kappa_by_moments(a, b) if len(set(a) | set(b)) > 1 else math.nan
    got = m.quadratic_weighted_kappa(a, b)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, abs=1e-9)
        assert got == pytest.approx(m.quadratic_weighted_kappa(b, a))  # symmetric


def test_kappa_undefined_cases():
    assert math.isnan(m.quadratic_weighted_kappa([], []))
    assert math.isnan(m.quadratic_weighted_kappa([2, 2], [2, 2]))
    with pytest.raises(ValueError):
        m.quadratic_weighted_kappa([1, 2], [1])


def test_validation_agreement_summary_and_confusion():
    rows = []
    for org, (s, v) in zip("ABCDE", PAIRS, strict=True):
        rows += both(org, "London", 2025, 1, (s, None), (v, None))
    rows += both("F", "London", 2025, 1, (2, None), (None, None))  # no pair: ignored
    rows += both("A", "London", 2025, 2, (2, "High"), (2, "Low"))
    result = m.validation_agreement(subs(rows), 2025)
    s = result.summary
    o1 = s[s.outcome == 1].iloc[0]
    assert o1.n_pairs == 5
    assert o1.pct_exact == 60 and o1.pct_lowered == 40 and o1.pct_raised == 0
    assert (o1.n_level_lowered, o1.n_level_raised) == (2, 0)
    assert o1.kappa == pytest.approx(0.6875)
    o2 = s[s.outcome == 2].iloc[0]
    assert (o2.pct_exact, o2.pct_exact_score, o2.n_sublevel_lowered) == (100, 0, 1)
    pooled = s[s.outcome.isna()].iloc[0]
    assert pooled.n_pairs == 6
    c = result.confusion
    assert len(c[c.outcome == 1]) == 25
    assert c[(c.outcome == 1) & (c.self_level == 3) & (c.validated_level == 2)].n.item() == 1
    assert c[c.outcome == 1].n.sum() == 5


def test_agreement_by_region_has_england_pooled():
    rows = both("A", "London", 2025, 1, (2, None), (2, None)) + both(
        "B", "Midlands", 2025, 1, (3, None), (2, None)
    )
    s = m.validation_agreement(subs(rows), 2025, by="region").summary
    pooled = s[s.outcome.isna()].set_index("region")
    assert list(pooled.index) == ["London", "Midlands", "England"]
    assert pooled.loc["England", "pct_exact"] == 50
    assert pooled.loc["Midlands", "n_level_lowered"] == 1


def test_sub_level_kappa_by_hand():
    # Scores self (4.25, 2, 3) against validated (4, 2, 3): category indices on the 20-step
    # scale are self (17, 8, 12), validated (16, 8, 12); weights (i - j)^2 / 19^2.
    # Observed: one pair one step apart: (1/361) / 3 = 1/1083.
    # Expected: marginals 1/3 each; sum over the 9 cells of (i - j)^2 = 1 + 81 + 25 + 64 + 0
    # + 16 + 16 + 16 + 0 = 219, so sum w E = 219 / (9 * 361) = 219 / 3249.
    # kappa = 1 - (1/1083) / (219/3249) = 1 - 3/219 = 0.986301...
    got = m.weighted_kappa([4.25, 2.0, 3.0], [4.0, 2.0, 3.0], m.agreement.SCORES)
    assert got == pytest.approx(1 - 3 / 219)
    # At whole levels the same pairs agree completely: 4 Low validated as 4 is agreement there.
    assert m.weighted_kappa([4, 2, 3], [4, 2, 3]) == 1.0


def test_linear_weights_by_hand():
    # PAIRS with linear weights |i - j| / 4: observed 2 * (1/4) / 5 = 0.1.
    # Expected: sum r_i c_j |i - j| over self {1:1, 2:2, 3:2} and validated {1:2, 2:2, 3:1}
    # = 1*(0*2 + 1*2 + 2*1) + 2*(1*2 + 0 + 1*1) + 2*(2*2 + 1*2 + 0) = 4 + 6 + 12 = 22,
    # so sum w E = 22 / (25 * 4) = 0.22 and kappa = 1 - 0.1 / 0.22 = 6/11.
    first, second = zip(*PAIRS, strict=True)
    assert m.weighted_kappa(first, second, weights="linear") == pytest.approx(6 / 11)
    with pytest.raises(qa.QioConfigError, match="weights must be"):
        m.weighted_kappa(first, second, weights="cubic")


def test_agreement_at_score_resolution_and_weighting_stated():
    rows = both("A", "London", 2025, 1, (4, "Low"), (4, None))  # sub-level dropped
    rows += both("B", "London", 2025, 1, (2, None), (2, None))
    rows += both("C", "London", 2025, 1, (3, "High"), (2, "High"))  # a whole level lowered
    rows += both("D", "London", 2025, 1, (1, None), (1, "Medium"))  # sub-level added
    rows += both("E", "London", 2025, 1, (1, "Low"), (1, "High"))  # sub-level raised
    s = m.validation_agreement(subs(rows), 2025).summary
    one = s[s.outcome == 1].iloc[0]
    assert one.pct_exact == 80 and one.pct_lowered == 20 and one.pct_raised == 0
    # A and D added or dropped a sub-level on the same level, which is not comparable: they
    # are left out of every sub-level figure and counted apart. Of the 3 compared (B, C, E):
    # same level and sub-level B, lowered C (a whole level), raised E (Low to High).
    assert (one.n_sublevel_not_comparable, one.n_pairs_score, one.n_exact_score) == (2, 3, 1)
    assert one.pct_exact_score == pytest.approx(100 / 3)
    assert one.pct_lowered_score == pytest.approx(100 / 3)
    assert one.pct_raised_score == pytest.approx(100 / 3)
    assert (one.n_level_lowered, one.n_level_raised) == (1, 0)
    assert (one.n_sublevel_lowered, one.n_sublevel_raised) == (0, 1)
    # Sub-level kappa over the 3 compared pairs only, as weighted_kappa gives for them.
    assert one.kappa_score == pytest.approx(
        m.weighted_kappa([2.0, 3.75, 1.25], [2.0, 2.75, 1.75], m.agreement.SCORES)
    )
    assert not any("mean" in c for c in s.columns)  # levels are never averaged (A1)
    assert one.weighting == "quadratic"
    # Five pairs are too few for a bootstrap interval: it is left out, not made up.
    assert math.isnan(one.kappa_low) and math.isnan(one.kappa_score_high)
    linear = m.validation_agreement(subs(rows), 2025, weights="linear").summary
    assert (linear.weighting == "linear").all()


def test_bootstrap_interval_is_reproducible_with_its_seed():
    first, second = zip(*(PAIRS * 4), strict=True)
    again = [m.agreement.kappa_interval(first, second, seed=7) for _ in range(2)]
    assert again[0] == again[1]
    low, high = again[0]
    assert low < m.weighted_kappa(first, second) < high
    assert m.agreement.kappa_interval(first, second, seed=8) != again[0]
    assert all(math.isnan(v) for v in m.agreement.kappa_interval([1], [1]))
    assert all(math.isnan(v) for v in m.agreement.kappa_interval(first[:9], second[:9]))
    assert all(math.isnan(v) for v in m.agreement.kappa_interval(first, second, n_boot=0))
