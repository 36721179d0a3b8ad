"""The book's one way of writing money, shares, counts, dates, missing values and parameters."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from pydantic import BaseModel, Field

from carebook import formats
from carebook.formats import DOES_NOT_APPLY, NOT_PUBLISHED


def test_money_to_the_pound_with_losses_in_brackets():
    assert formats.money(3_721_250) == "£3,721,250"
    assert formats.money(1234.4) == "£1,234"
    assert formats.money(-1234.4) == "(£1,234)"
    assert formats.money(-0.4) == "£0"  # rounds to nothing: no brackets
    assert formats.money(None) == NOT_PUBLISHED == "not published"
    assert formats.money(math.nan, missing=DOES_NOT_APPLY) == "does not apply"


def test_money_in_millions():
    assert formats.money_millions(4_205_000) == "£4.21m"
    assert formats.money_millions(-680_000) == "(£0.68m)"
    assert formats.money_millions(-4_000) == "£0.00m"


def test_shares_counts_and_rates():
    assert formats.share(0.724) == "72%"
    assert formats.share(0.0724, decimals=1) == "7.2%"
    assert formats.share(-0.05, signed=True) == "-5%"
    assert formats.share(0.05, signed=True) == "+5%"
    assert formats.share(pd.NA) == NOT_PUBLISHED
    assert formats.count(12345) == "12,345"
    assert formats.count(1234.56, decimals=1) == "1,234.6"
    assert formats.rate_per_10000(61.2) == "61 per 10,000"


def test_dates_and_collection_years():
    assert formats.date(dt.date(2025, 3, 31)) == "31 March 2025"
    assert formats.date(pd.Timestamp("2024-04-01")) == "1 April 2024"
    assert formats.date(pd.NaT) == NOT_PUBLISHED
    assert formats.collection_year(2025) == "2024-25"
    assert formats.collection_year(2000) == "1999-00"


class _Params(BaseModel):
    weekly_cost_fostering_gbp: float = Field(default=912.4, description="Weekly cost of fostering",
                                              json_schema_extra={"source": "PSSRU 2024"})
    target_share: float | None = Field(default=0.85, description="Target share")
    no_target: float | None = Field(default=None, description="A target not set")
    review_by: dt.date = Field(default=dt.date(2026, 3, 31), description="Review date")
    need_codes: list[str] = Field(default_factory=list, description="Needs")
    children: int = Field(default=1250, description="Children a year")


def test_parameters_table_writes_each_value_in_its_unit():
    table = formats.parameters_table(_Params())
    assert list(table.columns) == ["Parameter", "Value", "Meaning", "Source"]
    rows = table.set_index("Parameter")
    assert rows.loc["Weekly cost fostering (£)", "Value"] == "£912 a week"
    assert rows.loc["Weekly cost fostering (£)", "Source"] == "PSSRU 2024"
    assert rows.loc["Target share", "Value"] == "85%"
    assert rows.loc["No target", "Value"] == DOES_NOT_APPLY
    assert rows.loc["Review by", "Value"] == "31 March 2026"
    assert rows.loc["Need codes", "Value"] == "none"
    assert rows.loc["Children", "Value"] == "1,250"
    assert rows.loc["Children", "Meaning"] == "Children a year"


def test_parameters_table_chooses_fields_units_labels_and_sources():
    table = formats.parameters_table(_Params(children=3), ["children", "target_share"], units={"target_share": "text"},
                                     labels={"children": "Children"}, source=lambda name: f"council file ({name})")
    assert table.to_dict("records") == [
        {"Parameter": "Children", "Value": "3", "Meaning": "Children a year", "Source": "council file (children)"},
        {"Parameter": "Target share", "Value": "0.85", "Meaning": "Target share", "Source": "council file (target_share)"},
    ]


@pytest.mark.parametrize(("value", "text"), [(57.4, "57 children"), (1.2, "1 child"), (0.2, "less than one child")])
def test_children_in_words(value, text):
    from carebook.formats import children

    assert children(value) == text
