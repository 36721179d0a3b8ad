"""Money: recurring savings from the flow projection and the funding request.

Placement savings = entries into care avoided at full effect x the placement cost of a care
entry (£, :mod:`carebook.care_entry`), reached gradually by a stated ramp; staff savings = referrals avoided at full
effect x staff cost per referral (£ a year), by their own ramp. The funding request is
built from its line items: request = previous proposal + variances, and its totals must
tie to the published totals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.errors import InputError
from carebook.flow.model import year_labels
from carebook.flow.params import FlowParams, FundingRequest

SAVING_LABELS = {"placements": "Placement cost savings", "staff": "Staff cost savings"}


def full_effect_reductions(projection: pd.DataFrame) -> dict[str, float]:
    """Children a year fewer in the final projected year than in the base year, by stage."""
    first, last = projection.iloc[0], projection.iloc[-1]
    return {stage: float(first[stage] - last[stage]) for stage in ("referrals", "entries_into_care")}


def recurring_saving(avoided: float, unit_saving_gbp: float, ramp: list[float]) -> np.ndarray:
    """£ a year saved in each year after the base year: avoided x unit saving x ramp share (0-1)."""
    return avoided * unit_saving_gbp * np.asarray(ramp, dtype=float)


def savings_by_year(projection: pd.DataFrame, params: FlowParams, cost_per_care_entry_gbp: float) -> pd.DataFrame:
    """Recurring savings by year after the base year (long: year, saving, saving_gbp).

    ``saving`` is ``placements``, ``staff`` or ``total``.
    """
    avoided = full_effect_reductions(projection)
    years = year_labels(projection.index[0], len(params.placement_savings_phasing))[1:]
    placements = recurring_saving(avoided["entries_into_care"], cost_per_care_entry_gbp, params.placement_savings_phasing)
    staff = recurring_saving(avoided["referrals"], params.staff_saving_per_avoided_referral_gbp, params.staff_savings_phasing)
    wide = pd.DataFrame({"year": years, "placements": placements, "staff": staff}).assign(total=placements + staff)
    return wide.melt(id_vars="year", var_name="saving", value_name="saving_gbp")


def savings_display(savings: pd.DataFrame) -> pd.DataFrame:
    """Savings by year as the bid shows them: rows by kind, years as columns, £ millions."""
    table = savings.pivot(index="saving", columns="year", values="saving_gbp").loc[["placements", "staff", "total"]]
    table = (table / 1e6).round(2)
    table.index = [SAVING_LABELS.get(k, "Total savings") for k in table.index]
    table.columns.name = None
    return table


def funding_lines(request: FundingRequest) -> pd.DataFrame:
    """Line items by year: previous proposal, each variance and the request (£ thousands).

    Long table: item, year, previous_gbp_thousands, one ``<variance>_gbp_thousands`` column
    per variance, request_gbp_thousands (= previous + variances).
    """
    variance_ids = list(request.variances)
    rows = pd.DataFrame([
        {"item": line.item, "year": year, "previous_gbp_thousands": line.previous_gbp_thousands[i]}
        | {f"{v}_gbp_thousands": line.variances_gbp_thousands.get(v, [0.0] * len(request.years))[i] for v in variance_ids}
        for line in request.lines
        for i, year in enumerate(request.years)
    ])  # fmt: skip
    variance_columns = [f"{v}_gbp_thousands" for v in variance_ids]
    return rows.assign(request_gbp_thousands=rows["previous_gbp_thousands"] + rows[variance_columns].sum(axis=1))


def funding_request_table(request: FundingRequest) -> pd.DataFrame:
    """The request by line item and year with a total column and a total row (£ thousands)."""
    lines = funding_lines(request)
    table = lines.pivot(index="item", columns="year", values="request_gbp_thousands")
    table = table.loc[[line.item for line in request.lines], request.years]
    table["Total"] = table.sum(axis=1)
    table.loc["Total funding request"] = table.sum()
    table.columns.name = None
    return table


def variance_summary(request: FundingRequest) -> pd.DataFrame:
    """Previous proposal, the variances grouped by summary row, and the revised request (£ thousands)."""
    lines = funding_lines(request)
    totals = lines.groupby("year", sort=False).sum(numeric_only=True).loc[request.years]
    rows = {"Previous proposal": totals["previous_gbp_thousands"]}
    for variance_id, variance in request.variances.items():
        column = totals[f"{variance_id}_gbp_thousands"]
        rows[variance.summary] = rows.get(variance.summary, 0) + column
    rows["Revised funding request"] = totals["request_gbp_thousands"]
    table = pd.DataFrame(rows).T
    table.columns.name = None
    return table


def check_funding_ties(request: FundingRequest, tolerance_gbp_thousands: float = 0.5) -> None:
    """Raise InputError unless the line items add up to the published totals."""
    summary = variance_summary(request)
    stated = {
        "Previous proposal": ("stated_previous_gbp_thousands", request.stated_previous_gbp_thousands),
        "Revised funding request": ("stated_request_gbp_thousands", request.stated_request_gbp_thousands),
    }
    for row, (field, published) in stated.items():
        if published is None:
            continue
        built = summary.loc[row].to_numpy()
        if not np.allclose(built, published, atol=tolerance_gbp_thousands):
            raise InputError(
                f"expected the line items to add up to the published totals {published} (£k), got {built.tolist()}",
                where=f"flow_model.funding_request.{field}",
            )
