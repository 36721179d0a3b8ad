"""A synthetic SSDA903 extract calibrated to a council's published figures.

How it is built (all steps vectorised with numpy; loops run over snapshot dates
or over a handful of categories, never over children):

1. **Periods of care.** Each simulated collection year has its calibrated number
   of starts (:mod:`carebook.ssda903.calibration`), spread evenly over the year;
   ages at entry start from national shares and are rescaled until a steady
   population has the council's published age mix; lengths of stay are a mix of
   short stays and long stays whose mean is set so the stock matches starts. A period ends at
   the latest on the child's 18th birthday. Simulation begins 18 years before the
   extract so children in care at its start have their history.
2. **Stock at each snapshot date.** Dates are taken in order; at each, periods
   are shortened (to end after the previous date) or extended (those that ended
   since the previous date) so that exactly the target number is open. Earlier
   dates are never disturbed, so every published 31 March figure is met exactly.
3. **Re-entries.** About one start in eight is given to a child who left care
   earlier (their date of birth is taken over), as in real returns.
4. **Episodes.** Placement changes and legal-status changes (along the path of
   ``LEGAL_PATH``: emergency orders -> interim care order -> full care order ->
   placement order) split each period into episodes; a *spell* is a run of
   episodes in one placement.
5. **Placements at each snapshot date.** Each spell gets a cell: placement group
   (fostering, residential, semi-independence, other), provider (in-house PR1 or
   external) and location (inside or outside the council). At every snapshot date,
   in order, the spells open that day are allocated so each target row (e.g.
   "in-house fostering: 190, of whom 90 boys; 41 section 20 ...") is met exactly;
   spells fixed at an earlier date keep their cell, and where they exceed a row
   some of them move placement between the two dates (a new episode, RNE = P).
   Allocation favours plausible ages (semi-independence only from 16,
   residential mostly teenagers). Spells open on no snapshot date get cells from
   age-based shares.
6. **Codes.** PLACE codes follow the code list in force on each episode's DECOM
   (Q1/Q2 before 1 April 2015, U1-U6 after; P2 to 27 October 2023, K3 from 28
   October 2023; H5 to 31 March 2025); an episode open when its code goes out of
   use is split there (same carer, RNE T). Provider, reason ceased, category of
   need, ethnicity, URN, UPN, MOTHER and real full postcodes (from
   :func:`carebook.geo.sample_postcodes`) are drawn to match, and RNE and
   REASON_PLACE_CHANGE follow from what changes between episodes.
7. **DfE's rules.** The written returns of 2022-23 to 2024-25 pass DfE's validation
   rules (data-to-insight's ``csc-validator-be-903``) apart from its listed exceptions
   (``data/reference/dfe_rule_exceptions.yml``): e.g. in-house placements other than
   fostering inside the council, semi-independence and supported accommodation from 16,
   police protection at most 72 hours, placed for adoption only under a placement
   order, adopted children never return, SEX written as M/F from 2024-25.

The generator's assumptions are listed in ``data/reference/assumptions/ssda903.yml``.

The steps live in the modules of this package: ``periods`` (1-3), ``episodes`` (4),
``placements`` (5), ``coding`` and ``postcodes`` (6), ``generate`` (the whole) and
``writing`` (the extract as yearly files).
"""

from carebook.ssda903.synth.coding import upn_check_letter
from carebook.ssda903.synth.generate import generate
from carebook.ssda903.synth.placements import inside_shares
from carebook.ssda903.synth.writing import write_extract

__all__ = ["generate", "inside_shares", "upn_check_letter", "write_extract"]
