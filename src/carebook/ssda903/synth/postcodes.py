"""Home and placement postcodes of the synthetic extract."""

from __future__ import annotations

import numpy as np


def assign_postcodes(council_codes: list[str], n_periods: int, spell_period: np.ndarray,
                     spell_location: np.ndarray, spell_place: np.ndarray, far_share: float,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """HOME_POST per period and PL_POST per spell: real full postcodes from
    :func:`carebook.geo.sample_postcodes` — homes inside the council; placements
    inside it (within 20 miles) or outside it (over 20 miles with probability
    ``far_share``), as each spell's location says; placed with parents = home.
    Drawn as rows of the postcode directory and written as text once, at the end."""
    from carebook import geo

    homes = geo.sample_postcode_rows(council_codes, n_periods, rng)
    spell_home = homes[spell_period]
    outside = spell_location == 1
    placed = geo.sample_postcode_rows(council_codes, len(spell_period), rng, homes=spell_home,
                                      over_20_miles=np.where(outside, far_share, 0.0),
                                      inside_council=np.where(outside, 0.0, 1.0))
    wrong = np.arange(len(placed))
    for attempt in range(4):  # a few redraws of placements on the wrong side of the boundary or at home
        is_inside = geo.rows_in_council(placed[wrong], council_codes)
        wrong = wrong[(is_inside == outside[wrong]) | (placed[wrong] == spell_home[wrong])]
        if len(wrong) == 0 or attempt == 3:
            break
        far = np.where(outside[wrong], 1.0 if attempt % 2 else 0.0, 0.0)
        placed[wrong] = geo.sample_postcode_rows(council_codes, len(wrong), rng, homes=spell_home[wrong],
                                                 over_20_miles=far, inside_council=np.where(outside[wrong], 0.0, 1.0))
    placed = np.where(spell_place == "P1", spell_home, placed)
    return (geo.postcode_text(homes).to_numpy(dtype=object),
            geo.postcode_text(placed).to_numpy(dtype=object))
