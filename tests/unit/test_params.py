"""Council files: validated into typed parameters, with errors that name file and field."""

from __future__ import annotations

import pytest

from carebook.errors import InputError
from carebook.params import council_files, load_council, slugify

DEFAULTS = {"rotherham", "nottingham", "triborough", "essex", "warwickshire", "buckinghamshire"}


def write_council(folder, slug, text):
    (folder / f"{slug}.yml").write_text(text, encoding="utf-8")


def test_the_default_councils_are_the_seed_councils():
    assert set(council_files()) == DEFAULTS
    for slug in DEFAULTS:
        council = load_council(slug)
        assert council.has_own_file and council.source_file == f"data/councils/{slug}.yml"


def test_the_triborough_is_a_group_of_three():
    council = load_council("triborough")
    assert council.is_group
    assert council.codes == ["E09000013", "E09000020", "E09000033"]
    assert council.old_codes == ["205", "207", "213"]


@pytest.mark.parametrize("ref", ["E08000035", "Leeds", "leeds", "LEEDS"])
def test_any_english_council_by_code_or_name(ref):
    council = load_council(ref)
    assert (council.slug, council.name, council.codes, council.old_codes) == ("leeds", "Leeds", ["E08000035"], ["383"])
    assert council.region_name == "Yorkshire and The Humber"
    assert not council.has_own_file
    assert council.cost_benefit is None


def test_a_code_with_a_council_file_uses_the_file():
    assert load_council("E08000018").slug == "rotherham"
    assert load_council("Rotherham").has_own_file


def test_unknown_council_suggests_the_nearest_name():
    with pytest.raises(InputError, match="unknown council 'Leds'.*did you mean 'Leeds'"):
        load_council("Leds")


def test_typo_in_a_key_names_file_key_and_suggestion(councils_dir):
    write_council(councils_dir, "mine", "name: Mine\nmembers: [E08000035]\nsufficiency:\n  target_fostering_within_20_mile: 0.9\n")
    with pytest.raises(InputError) as error:
        load_council("mine")
    message = str(error.value)
    assert message.endswith("mine.yml: sufficiency.target_fostering_within_20_mile: unknown key 'target_fostering_within_20_mile'; did you mean 'target_fostering_within_20_miles'?")
    assert "did you mean 'target_fostering_within_20_miles'" in message


def test_a_rate_above_one_names_the_field(councils_dir):
    write_council(councils_dir, "mine", "name: Mine\nmembers: [E08000035]\nsufficiency:\n  target_all_within_20_miles: 1.7\n")
    with pytest.raises(InputError, match=r"mine\.yml: sufficiency\.target_all_within_20_miles: Input should be less than or equal to 1, got 1\.7"):
        load_council("mine")


def test_an_unknown_member_code(councils_dir):
    write_council(councils_dir, "mine", "name: Mine\nmembers: [E08999999]\n")
    with pytest.raises(InputError, match=r"mine\.yml: members: expected the ONS code of an English council.*'E08999999'"):
        load_council("mine")


def test_a_missing_name(councils_dir):
    write_council(councils_dir, "mine", "members: [E08000035]\n")
    with pytest.raises(InputError, match=r"mine\.yml: name: Field required"):
        load_council("mine")


def test_yaml_that_does_not_parse_names_the_line(councils_dir):
    write_council(councils_dir, "mine", "name: Mine\nmembers: [E08000035\n")
    with pytest.raises(InputError, match=r"mine\.yml: line \d+: not valid YAML"):
        load_council("mine")


def test_slugs():
    assert slugify("Bournemouth, Christchurch and Poole") == "bournemouth-christchurch-and-poole"
    assert slugify("Kingston upon Hull, City of") == "kingston-upon-hull-city-of"
