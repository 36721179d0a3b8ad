"""Bad parameters give one clear InputError naming the field."""

from __future__ import annotations

import pytest

from carebook.cost_benefit.params import CostBenefitParams, assumptions_table, parse_section
from carebook.errors import InputError

LINE = {"label": "Service", "annual_cost_gbp": 100, "start": "2019-01-01", "end": "2020-01-01"}


@pytest.mark.parametrize(("section", "field", "words"), [
    ({"cost_lines": [LINE | {"annual_cost_gbp": -5}]}, "cost_benefit.cost_lines.0.annual_cost_gbp", "greater than or equal to 0"),
    ({"counterfactual_cost_gbp_a_year": -1}, "cost_benefit.counterfactual_cost_gbp_a_year", "greater than or equal to 0"),
    ({"success_rate": 1.7}, "cost_benefit.success_rate", "less than or equal to 1"),
    ({"cost_lines": [LINE | {"end": "2018-01-01"}]}, "cost_benefit.cost_lines.0", "on or after the start"),
    ({"intake_start": "2020-01-01", "intake_end": "2019-01-01"}, "cost_benefit", "on or after intake_start"),
    ({"uncertainty": {"success_rate": {"kind": "lognormal", "low": 0.1, "high": 0.9}}},
     "cost_benefit.uncertainty.success_rate.kind", "'triangular', 'uniform' or 'normal'"),
    ({"uncertainty": {"succes_rate": {"kind": "uniform", "low": 0.1, "high": 0.9}}}, "cost_benefit.uncertainty", "succes_rate"),
    ({"sucess_rate": 0.5}, "cost_benefit", "did you mean 'success_rate'"),
])
def test_bad_parameter_is_one_clear_error(section, field, words):
    with pytest.raises(InputError) as caught:
        parse_section(section, file="data/councils/essex.yml")
    message = str(caught.value)
    assert caught.value.where.startswith(field)
    assert words in message
    assert message.startswith("data/councils/essex.yml: cost_benefit")
    assert "\n" not in message


def test_empty_section_gives_national_defaults():
    assert parse_section(None) == CostBenefitParams()


def test_assumptions_table_has_value_and_source(rotherham):
    rows = {row["parameter"]: row for row in assumptions_table(rotherham)}
    assert rows["success_rate"]["value"] == 0.7
    assert "Calibrated" in rows["success_rate"]["source"]
    assert all(row["source"] for row in rows.values())
