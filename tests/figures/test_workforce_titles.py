"""A caller's title stands instead of the workforce charts' headlines, so a chart of services needs no region."""

from __future__ import annotations

from qio_analysis import examples
from qio_analysis.figures import fig_activity_trend, fig_staff_ratio, figure_alt_text
from qio_analysis.metrics import activity_rates, staff_ratio


def test_a_staff_ratio_chart_of_services_takes_the_callers_title():
    fig = fig_staff_ratio(staff_ratio(examples.two_services(), by="service_name"), title="Services")
    assert fig.layout.title.text == "Services"
    assert "ZL01 LKS: 1:1,250; ZL02 LKS: 1:1,667; England: 1:1,364." in figure_alt_text(fig)


def test_the_activity_trend_takes_the_callers_title_and_keeps_its_alt_text():
    fig = fig_activity_trend(activity_rates(examples.two_services()), title="Activity")
    assert fig.layout.title.text == "Activity"
    assert figure_alt_text(fig).startswith("Six line charts of activity per 1,000 NHS WTE")


def test_a_year_without_any_ratio_says_so_instead_of_drawing_nothing():
    ratio = staff_ratio(examples.two_services(), by="region").assign(nhs_wte_per_qualified=None)
    fig = fig_staff_ratio(ratio)
    assert figure_alt_text(fig) == "No staff ratio can be calculated for 2024/25."
