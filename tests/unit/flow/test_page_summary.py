"""The flow model's entry in the executive summary: what its figures rest on."""

from __future__ import annotations

from carebook.flow import analysis, page as flow_page
from carebook.params import load_council


class SummaryPage:
    """Records the summary entry the page module writes for a council."""

    def __init__(self, council: str) -> None:
        self.council = load_council(council)

    def summary(self, **entry: object) -> None:
        self.entry = entry


def test_a_council_on_the_tri_boroughs_assumed_changes_rests_on_illustrative_parameters():
    nottingham, triborough = SummaryPage("nottingham"), SummaryPage("triborough")
    flow_page.summarise(nottingham, analysis.analyse(nottingham.council))
    flow_page.summarise(triborough, analysis.analyse(triborough.council))
    assert nottingham.entry["basis"] == ("illustrative",)
    assert "those the Tri-borough assumed in its 2014 bid, not measured for Nottingham" in nottingham.entry["certainty"]
    assert triborough.entry["basis"] == ()  # its own base year and its own changes
    assert "60 children fewer a year would enter care" in triborough.entry["answer"]
