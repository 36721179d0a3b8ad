"""National defaults read from data/reference/defaults and the assumption texts made from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebook import defaults
from carebook.errors import InputError
from carebook.flow.params import ChangePhasing, FlowParams
from carebook.formats import schema_source
from carebook.paths import REFERENCE
from carebook.sufficiency import child_level
from carebook.sufficiency.params import SufficiencyParams
from carebook.volume.params import VolumeSizingParams

MODELS = {"sufficiency": SufficiencyParams, "volume_sizing": VolumeSizingParams, "flow_model": FlowParams}


@pytest.mark.parametrize("section", sorted(MODELS))
def test_every_field_has_exactly_one_national_default(section: str) -> None:
    assert sorted(defaults.national_defaults(section)) == sorted(MODELS[section].model_fields)


def test_models_take_their_defaults_and_sources_from_the_files() -> None:
    volume, sufficiency = VolumeSizingParams(), SufficiencyParams()
    assert (volume.age_min, volume.age_max, volume.suitable_share, volume.need_codes) == (11, 16, 0.70, ["N4", "N5", "N6"])
    assert (sufficiency.forecast_band, sufficiency.forecast_simulations, sufficiency.target_fostering_in_house) == (0.9, 300, None)
    assert defaults.national_default("volume_sizing", "suitable_share").evidence == "amber"
    assert schema_source(VolumeSizingParams, "suitable_share") == (
        "Social Finance, care journey cost analysis and volume sizing (in the ADCS paper ‘Social Impact Bonds "
        "– the only game in town?’), funnel row 5")
    # a default is a fresh copy: changing one model's list leaves the next model's alone
    volume.need_codes.append("N1")
    assert VolumeSizingParams().need_codes == ["N4", "N5", "N6"]


def test_flow_model_defaults_are_the_seeds_figures_exactly() -> None:
    with_defaults = [name for name, field in FlowParams.model_fields.items() if not field.is_required()]
    assert sorted(defaults.national_defaults("flow_model")) == sorted(with_defaults)
    entry = defaults.national_default("flow_model", "assessments_per_referral")
    assert entry.value == 3700 / 4200 == 0.8809523809523809
    assert entry.source == "Tri-borough Innovation Programme bid, July 2014: 3,700 assessments for 4,200 referrals"
    assert entry.evidence == "amber"
    params = FlowParams()
    assert params.assessments_per_referral == 3700 / 4200
    assert params.entries_via_plan_share == 112 / 280
    assert params.staff_saving_per_avoided_referral_gbp == 1_500_000 / 464
    assert params.staff_savings_phasing == [0.0, 0.25 / 1.5, 0.70 / 1.5, 1.0, 1.0]
    assert (params.base, params.care_episode_weeks, params.placement_mix, params.funding_request, params.published) == (None,) * 5
    assert ChangePhasing().direct_entry == [0.5, 1.0, 1.0, 1.0]
    assert defaults.national_default("flow_model", "repeat_referral_weight").evidence == "red"
    assert schema_source(FlowParams, "phasing") == (
        "Tri-borough Innovation Programme bid, July 2014: calibrated to its projection table 2014/15-2018/19")


def test_styles_write_values_as_the_log_quotes_them() -> None:
    values = {"share": 0.65, "price": 3000, "years": 3, "band": 0.9, "threshold": 5, "codes": ["V3", "V4"]}
    text = "{share:share}; {price:gbp}; {years:words}; {band:band}; 1 to {threshold:below}; {codes:list}"
    assert defaults.render(text, values) == "65%; £3,000; three; 5th to 95th percentile; 1 to 4; V3, V4"
    assert defaults.render("{band:band}", {"band": 0.8}) == "10th to 90th percentile"


def test_changing_a_default_changes_the_assumption_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = REFERENCE / "assumptions" / "volume_sizing.yml"
    before = {e["id"]: e["assumption"] for e in defaults.assumption_entries(log)}
    assert before["vs-suitable-share"].startswith("70% of eligible care entrants")
    assert before["vs-three-years"].endswith("over the three most recent complete years divided by three")
    assert before["vs-unit-cost-national"] == "National default weekly costs are £7,628 residential and £756 fostering"
    for source in defaults.DEFAULTS.glob("*.yml"):
        text = source.read_text(encoding="utf-8")
        if source.stem == "volume_sizing":
            text = text.replace("value: 0.70", "value: 0.55").replace("funnel_years:\n  value: 3", "funnel_years:\n  value: 4")
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(defaults, "DEFAULTS", tmp_path)
    defaults.national_defaults.cache_clear()
    try:
        after = {e["id"]: e["assumption"] for e in defaults.assumption_entries(log)}
        assert after["vs-suitable-share"].startswith("55% of eligible care entrants")
        assert after["vs-three-years"].endswith("over the four most recent complete years divided by four")
        assert VolumeSizingParams().suitable_share == 0.55
    finally:
        defaults.national_defaults.cache_clear()


def test_child_level_log_states_the_defaults_and_prices() -> None:
    texts = child_level.assumptions_log()["Assumption"].tolist()
    assert any("the 5th to 95th percentile of 300 simulations" in t for t in texts)
    assert any("fostering £600, residential £3,000, semi-independence £1,000 a week" in t for t in texts)
    assert any(t.startswith("Counts of 1 to 4 children") for t in texts)


def test_a_bad_entry_is_named_by_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sufficiency.yml").write_text(
        "forecast_band:\n  value: 0.9\n  unit: share\n  source: Convention\n  evidence: purple\n", encoding="utf-8")
    monkeypatch.setattr(defaults, "DEFAULTS", tmp_path)
    defaults.national_defaults.cache_clear()
    try:
        with pytest.raises(InputError) as raised:
            defaults.national_defaults("sufficiency")
        assert "sufficiency.yml" in str(raised.value) and "forecast_band" in str(raised.value)
        (tmp_path / "sufficiency.yml").write_text(
            "forecast_band:\n  value: 0.9\n  unit: share\n  source: Convention\n  evidence: green\n", encoding="utf-8")
        defaults.national_defaults.cache_clear()
        with pytest.raises(InputError, match="forecast_years"):
            defaults.national_default("sufficiency", "forecast_years")
        with pytest.raises(InputError, match="not a parameter"):
            defaults.render("{no_such_default:share}", {}, file="x.yml", where="id.assumption")
    finally:
        defaults.national_defaults.cache_clear()
