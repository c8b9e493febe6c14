"""Synthetic SSD extracts for the demo, the tests and load tests: `csc generate`.

`generate_extract()` writes `<out>/la_code=<NNN>/<table>.csv` for every table of the raw contract
(csc.contract: the header is exactly the contract's column names) and `<out>/SYNTHETIC_DEMO_DATA.txt`
saying what the data is and the options it was made with. No real person is in it: ids are
sequence numbers (P0001234, REF0001234, ...), names are "Synthetic" / "Child0001234".

What is simulated, council by council and one child's career at a time
    Referrals fall on working days (no weekends, no England & Wales bank holidays), fewer in
    school holidays (August above all, Christmas and Easter). Each referral comes through a
    contact a day or so before (contacts fall on any day) and opens a CIN episode. About one
    referral in eleven is no further action; the rest get a single assessment, authorised
    mostly within 45 working days (some within 15), and then
      - no further action (about half of all assessments; some stepped down to early help), or
      - a CIN plan, or services without a plan, or
      - a strategy discussion and S47 enquiry (at referral or during the assessment) ending in
        no further action, continued CIN work, or an initial child protection conference, mostly
        10-20 working days after the strategy discussion. Most conferences start a CP plan,
        reviewed at about 3 months and then every 6 months, ending at a review and often
        stepping down to a CIN plan before the episode closes (RC1-RC8).
    When an episode closes the child may be referred again: about a quarter of referrals follow
    another referral of the same child within 12 months, and children who have had a CP plan are
    more likely to return to one (cppl_number_of_previous_cpp counts every earlier plan, those
    before the extract too). A few first referrals are transfer-in conferences (no S47).
    Long-running episodes: disabled children open only for a short-break budget
    (cine_short_break_budget_only, with ssd_disability rows) and children who stay open for years
    (looked after), closing at 18 (RC6) if not before. Other contacts are about children already
    open or about children never referred (advice, no further action, early help); early help
    opens an early help episode with the local extension columns (EHA / REC / ENQ / REF; only
    some EHA records have an assessment date, a team around the family and a plan start).

Time
    Ordinary referrals are simulated from WARM_UP_YEARS before `start` and long-running episodes
    from LONG_RUN_LOOKBACK_YEARS before, so the open caseload is already built up at `start`.
    Written: every contact from `start` to `end` (the warehouse dates the extract from its first
    contact), and every CIN episode open at some point from HISTORY_DAYS before `start` to `end`,
    with its whole history of assessments, enquiries, conferences, plans and reviews: real
    extracts carry open cases that began long ago, and the year of closed referrals before
    `start` lets the first year's re-referrals see the referral before. So referral dates reach
    back before `start`, contact dates never do. Early help episodes are written if open from
    `start` on. Anything that happens after `end` is left blank (still open, not yet authorised,
    not yet held); only target and due dates and expected dates of birth may lie beyond `end`.

Files
    Staging's typing is exercised on purpose: dates as YYYY-MM-DD, SQL Server style
    YYYY-MM-DD HH:MM:SS.fff or UK DD/MM/YYYY, flags as Y/N, Yes/No, 1/0 or true/false in any
    case, each file with a main style (FILE_STYLES) and a few rows in another; CP categories as
    CIN codes or SSD words; assessment factors as a JSON array or the older object form; contacts
    and CIN episodes in Windows-1252 with CRLF line ends and non-ASCII text, ssd_person in UTF-8
    with a byte-order mark, the rest UTF-8; about one row in eight with an optional field blank.
    `faults=True` adds a known list of data-quality faults (FAULTS), listed in the marker file.

Volumes
    scale="la": REFERRALS_PER_CHILD referrals a year per child aged 0-17, about 6,500 a year for
    Devon (878; a council not in the population table is given an average size). scale="england":
    the 152 councils of 2013-2019 share ENGLAND_REFERRALS_PER_YEAR by population aged 0-17
    (seeds/reference/ref_population_0_17.csv, else the table below). `size` multiplies everything.
    Councils are generated and written one at a time, rows streamed to disk: memory stays bounded.

Deterministic: one random.Random per council seeded from (seed, la_code), no clock, no iteration
over sets or unordered data; the same options give byte-identical files.

Modules, one job each
    parameters    calibrated rates and shares          codes         code lists and their weights
    sizes         council sizes, referrals a year      options       the checked options
    working_days  calendar and seasonality             cases         the simulated records
    careers       case flows (one council's run)       ssd_rows      a career written as SSD rows
    formats       file styles, dates and JSON as text  writers       one CSV per table
    faults        the known faults of --faults         extract       all councils, the marker file
"""

from __future__ import annotations

from .extract import generate_extract, marker_text
from .faults import FAULTS
from .formats import FLAG_WORDS
from .options import SCALES, Options, parse_options
from .parameters import ENGLAND_REFERRALS_PER_YEAR, REFERRALS_PER_CHILD
from .sizes import ENGLAND_LA_CODES, la_populations, referrals_a_year

__all__ = [
    "ENGLAND_LA_CODES",
    "ENGLAND_REFERRALS_PER_YEAR",
    "FAULTS",
    "FLAG_WORDS",
    "REFERRALS_PER_CHILD",
    "SCALES",
    "Options",
    "generate_extract",
    "la_populations",
    "marker_text",
    "parse_options",
    "referrals_a_year",
]
