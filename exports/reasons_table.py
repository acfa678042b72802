"""The return's Reasons sheet: each decision's or event's count (not eligible, declined, adjourned, breached,
withdrawn) broken down by its reason, in the fixed categories of ``exports.reasons``.
"""

from __future__ import annotations

from exports import mhtr_table
from exports.reasons import categories
from exports.table_spec import MONTH_COLUMNS, Line, Register, TableSpec

R = Register(mhtr_table.R)  # each section's total is an MHTR sheet measure
_m, _group = R.measure, R.group

# (section, category list, total, title): each reason section counts its total's cases or events by category.
REASON_SECTIONS = (
    ("not-eligible", "not-eligible", "not_eligible", "Not eligible at screening"),
    ("not-eligible-assessed", "not-eligible", "not_eligible_assessed", "Not eligible after assessment"),
    ("cl-declined", "cl-declined", "cl_declined", "Declined by the Clinical Lead"),
    ("court-declined", "court-declined", "court_declined", "MHTR declined by the court"),
    ("adjournment", "adjournment", "adjournments", "Court adjournments"),
    ("breach", "breach", "breaches", "Breaches"),
    ("withdrawal", "withdrawal", "withdrawn", "Not completed: consent withdrawn"),
)
_reason_lines: list[Line] = []
for _section, _kind, _total, _title in REASON_SECTIONS:
    _reason_lines.append(Line((_title,)))
    _keys = []
    for _cid, _label in categories(_kind):
        _keys.append(
            _m(
                f"reason.{_section}.{_cid}",
                f"{_title}: {_label}",
                f"{R.measure_of(_total).label} in the period, by reason.",
            )
        )
        _reason_lines.append(Line((_title, _label), _keys[-1]))
    _group(_total, *_keys)
    _reason_lines.append(Line((_title, "All reasons"), _total))

REASONS_TABLE = TableSpec(
    "Reasons", "Reasons, in fixed categories", ("Decision", "Reason"), MONTH_COLUMNS, tuple(_reason_lines)
)
