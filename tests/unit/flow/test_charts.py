"""The flow diagram carries the projected numbers on its arrows; every chart builds."""

from __future__ import annotations

import pytest

from carebook.flow import charts
from carebook.flow.analysis import analyse
from carebook.flow.sensitivity import sensitivity_curves, sensitivity_grid
from carebook.params import load_council


@pytest.fixture(scope="module")
def flow():
    return analyse(load_council("triborough"))


def test_arrows_carry_the_seed_current_flow(flow):
    edges = charts.flow_edges(flow.projection, "2014/15").set_index("flow")["children"]
    assert edges[["new_referrals", "repeat_referrals", "assessments", "conferences", "plans",
                  "direct_entries", "entries_via_plan"]].tolist() == [3360, 840, 3700, 415, 350, 168, 112]


def test_arrows_after_the_change(flow):
    edges = charts.flow_edges(flow.projection, "2018/19").set_index("flow")["children"]
    assert edges["repeat_referrals"] == 376
    assert edges["entries_via_plan"] + edges["direct_entries"] == pytest.approx(220, abs=1)


def test_every_chart_builds(flow):
    specs = [
        charts.flow_diagram(flow.projection),
        charts.sensitivity_chart(sensitivity_curves(flow.base, flow.rates, flow.scenario, points=3)),
        charts.sensitivity_grid_chart(sensitivity_grid(flow.base, flow.rates, flow.scenario, points=3)),
        charts.savings_chart(flow.savings),
    ]
    # the rows each chart draws: three points on each of the three levers' curves, a 3 x 3
    # grid, and five years x two kinds of saving (placements, staff) as bars
    rows = [sorted(len(data) for data in chart.to_dict()["datasets"].values()) for chart in specs[1:]]
    assert rows == [[3, 3, 3], [9], [10]]
    panels = specs[0].to_dict()["vconcat"]
    assert [panel["title"] for panel in panels] == ["2014/15: today", "2018/19: after the change"]
