"""Inputs: bad rates and phasing give one clear InputError naming the field; any council
runs on its own official statistics (Leeds checked against the published CSV)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from carebook.errors import InputError
from carebook.flow.analysis import analyse
from carebook.flow.calibrate import financial_year
from carebook.flow.scenarios import checked_profile
from carebook.params import load_council

LEEDS = "E08000035"


def _write_council(folder: Path, flow_model: str) -> None:
    (folder / "testshire.yml").write_text(
        "name: Testshire\nmembers: [E08000035]\nflow_model:\n" + flow_model, encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("section", "field", "expected"),
    [
        ("  re_referral_reduction: -0.1\n", "flow_model.re_referral_reduction", "greater than or equal to 0"),
        ("  plan_to_care_reduction: 1.7\n", "flow_model.plan_to_care_reduction", "less than or equal to 1"),
        ("  assessments_per_referral: 1.2\n", "flow_model.assessments_per_referral", "less than or equal to 1"),
        ("  phasing:\n    direct_entry: [0.5, 1, 1, 0.8]\n", "flow_model.phasing.direct_entry", "end at full effect"),
        ("  phasing:\n    re_referral: [0.5, 1.5, 1, 1]\n", "flow_model.phasing.re_referral", "between 0 and 1"),
        ("  staff_savings_phasing: [0, 0.5, 0.9]\n", "flow_model.staff_savings_phasing", "end at full effect"),
        (
            "  base: {year: '2014/15', referrals: 100, repeat_referral_rate: 1.2, assessments: 80,"
            " conferences: 10, plans: 8, entries_into_care: 5, entries_via_plan: 2}\n",
            "flow_model.base.repeat_referral_rate", "less than 1",
        ),
        (
            "  base: {year: '2014/15', referrals: 100, repeat_referral_rate: 0.2, assessments: 80,"
            " conferences: 10, plans: 12, entries_into_care: 5, entries_via_plan: 2}\n",
            "flow_model.base", "plans to be at most the conferences",
        ),
    ],
)
def test_invalid_inputs_give_one_clear_error_naming_the_field(councils_dir, section, field, expected):
    _write_council(councils_dir, section)
    with pytest.raises(InputError) as error:
        load_council("testshire")
    message = str(error.value)
    assert error.value.where == field
    assert expected in message
    assert "testshire.yml" in message
    assert "\n" not in message


def test_a_phasing_profile_given_in_code_is_checked_too():
    with pytest.raises(InputError, match="end at full effect") as error:
        checked_profile([0.25, 0.5], "scenario.direct_entry")
    assert error.value.where == "scenario.direct_entry"


def _published(file: str, code: str, period: str, column: str, population_type: str | None = None) -> float:
    path = Path(os.environ["CAREBOOK_PUBLIC_DATA"]) / "dfe" / file
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["new_la_code"] == code and row["time_period"] == period and row["geographic_level"] == "Local authority":
                if population_type is None or row["population_type"] == population_type:
                    return float(row[column])
    raise AssertionError(f"{code} {period} not in {file}")


def test_leeds_runs_on_its_own_published_figures():
    run = analyse(load_council(LEEDS))
    period = run.official.evidence["time_period"].iloc[0]
    assert period == "2025" and run.base.year == financial_year(period) == "2024/25"
    referrals = _published("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", LEEDS, period, "referral_count")
    rereferrals = _published("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", LEEDS, period, "rereferral_count")
    icpc = _published("c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv", LEEDS, period, "ICPC")
    plans = _published("d3_cpps_subsequent_plan_2013_to_2025.csv", LEEDS, period, "CPP_start")
    starting = _published("cla_number_and_rate_per_10k_children.csv", LEEDS, period, "children_count",
                          "Children starting to be looked after each year")
    assert run.base.referrals == referrals
    assert run.base.repeat_referral_rate == pytest.approx(rereferrals / referrals)
    assert run.base.conferences == icpc
    assert run.base.plans == plans
    assert run.base.entries_into_care == starting
    # assessments are not published: the stated ratio (seed 004, 3,700 per 4,200 referrals)
    assert run.base.assessments == pytest.approx(referrals * 3700 / 4200)
    assert run.projection.iloc[0]["referrals"] == referrals
    assert run.projection.iloc[0]["entries_into_care"] == pytest.approx(starting)
    assert "Leeds" in run.base.source


def test_a_group_sums_its_members_published_counts():
    """The Tri-borough calibrated from official statistics: counts summed over its three boroughs."""
    from carebook.flow.calibrate import base_from_official

    council = load_council("triborough")
    official = base_from_official(council, council.flow_model.model_copy(update={"base": None}))
    period = official.evidence["time_period"].iloc[0]
    file = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    total = sum(_published(file, code, period, "referral_count") for code in council.codes)
    repeats = sum(_published(file, code, period, "rereferral_count") for code in council.codes)
    assert official.base.referrals == total
    assert official.base.repeat_referral_rate == pytest.approx(repeats / total)


def test_a_council_without_a_complete_year_is_one_clear_error():
    with pytest.raises(InputError, match="expected one year in which referrals"):
        analyse(load_council("E09000001"))  # City of London: figures suppressed
