"""The return's Characteristics sheet: who was assessed and who was given an MHTR (the orders made) in the
period, by each characteristic monitored (referral source, gender, age band, ethnicity, the equality answers,
accommodation, offence, GP registration), every category shown, "Not recorded" included.

Both are flows (what happened in the period: a month, and the rolling year that adds its months up), so both are
protected across the series of returns like every other flow (``exports.suppression``). A snapshot of who is on
an MHTR at the month end is not published: it changes from month to month only through people whose orders are
made or end, so two consecutive snapshots with a small count in one of them tell a reader the characteristic of
the person who left or joined (a category going from 5 to "<5" when one order ends gives that person's category).
"""

from __future__ import annotations

from exports.table_spec import Column, Line, Register, TableSpec
from vocabulary.identity import ACCOMMODATION, AGE_BANDS, ETHNICITIES, GENDERS, OFFENCE_TYPES, REFERRAL_SOURCES

R = Register()
_m, _group = R.measure, R.group

NOT_RECORDED = "Not recorded"
NOT_APPLICABLE = "not applicable"  # a field that cannot apply to the person (``vocabulary.identity.field_applies``)
YES_NO_LABELS = (("yes", "Yes"), ("no", "No"))
_AGE = tuple((f"{lo}+" if hi >= 200 else f"{lo}-{hi}",) * 2 for lo, hi in AGE_BANDS) + (("under 18", "Under 18"),)


def _options(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


# (field, heading, ((value, label), ...)); a value outside the list and a missing value count as "Not recorded".
CHARACTERISTICS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("referral_source", "Source of referral", _options(REFERRAL_SOURCES)),
    ("gender", "Gender", _options(GENDERS)),
    ("age_band", "Age band", _AGE),
    ("ethnicity", "Ethnicity", _options(ETHNICITIES)),
    ("looked_after", "Looked-after child or care leaver", YES_NO_LABELS),
    ("ehc_plan", "Education, Health and Care Plan", (*YES_NO_LABELS, (NOT_APPLICABLE, "Not applicable (over 25)"))),
    ("pregnancy", "Pregnant", (*YES_NO_LABELS, (NOT_APPLICABLE, "Not applicable (recorded as male)"))),
    ("caring", "Caring responsibilities", YES_NO_LABELS),
    ("disability", "Disability", YES_NO_LABELS),
    ("armed_forces", "Armed forces history", YES_NO_LABELS),
    ("accommodation", "Accommodation", _options(ACCOMMODATION)),
    ("offence_type", "Offence type", _options(OFFENCE_TYPES)),
    ("gp_registered", "Registered with a GP", YES_NO_LABELS),
)
CHARACTERISTIC_SETS = (
    ("assessed", "assessed", "Assessed in the period"),
    ("made", "court_accepted", "MHTRs made in the period"),
)


def characteristic_key(prefix: str, field_name: str, value: str | None) -> str:
    return f"{prefix}.{field_name}={value if value is not None else NOT_RECORDED}"


_char_lines: list[Line] = []
for _field, _heading, _opts in CHARACTERISTICS:
    _char_lines.append(Line((_heading,)))
    for _value, _label in (*_opts, (None, NOT_RECORDED)):
        _suffix = characteristic_key("", _field, _value)[1:]
        for _prefix, _total, _what in CHARACTERISTIC_SETS:
            _m(f"{_prefix}.{_suffix}", f"{_what}: {_heading}: {_label}", kind="count")
        _char_lines.append(Line((_heading, _label), _suffix))
    for _prefix, _total, _ in CHARACTERISTIC_SETS:
        _group(_total, *(characteristic_key(_prefix, _field, v) for v, _ in (*_opts, (None, NOT_RECORDED))))
    _char_lines.append(Line((_heading, "All"), "#total"))

CHARACTERISTICS_TABLE = TableSpec(
    "Characteristics",
    "Who was assessed and who was given an MHTR",
    ("Characteristic", "Category"),
    (
        Column("Assessed in {month}", "month", "assessed."),
        Column("Assessed, 12 months to {month_short}", "rolling", "assessed."),
        Column("MHTRs made in {month}", "month", "made."),
        Column("Made, 12 months to {month_short}", "rolling", "made."),
    ),
    tuple(_char_lines),
)
# The "All" row of each characteristic shows the totals: assessed, and MHTRs made (the MHTR sheet's "MHTR made by
# the court"), each period.
CHARACTERISTIC_TOTALS = {"assessed.": "assessed", "made.": "court_accepted"}
