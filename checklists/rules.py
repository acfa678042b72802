"""Due rules, as written in the checklist file, and their meaning as pure functions of a date.

A rule is a short phrase so that a service can read and edit it:

    "same day"            the event's date
    "same working day"    the event's date, or the next working day if it falls on a weekend or holiday
    "+3 days"             calendar days after the event ("+1 day" too)
    "+2 working days"     working days after the event (weekends and England & Wales bank holidays skipped)
    "+2 weeks", "+12 months"
    "-4 weeks"            before the date the item counts from (with ``from = "order-end"``: before the order ends)

A deadline counted in calendar days, weeks or months that lands on a weekend or a bank holiday is due on the
last working day before it: the guidance says "within 48 hours" or "within 14 days", and nobody can act on a
Sunday, so the work falls due on the Friday (a deadline never moves later). The item's title keeps the
guidance's own words.

Recurring practitioner tasks use ``every = "week"`` with a weekday (``due = "friday"``) or
``every = "month"`` with ``due = "day 14 of next month"``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from checklists.workdays import add_working_days, previous_working_day
from vocabulary.dates import add_months

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_OFFSET = re.compile(r"^([+-])(\d+) (day|days|working day|working days|week|weeks|month|months)$")
_UNITS = {
    "day": "days",
    "days": "days",
    "working day": "working",
    "working days": "working",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
}
_MONTHLY = re.compile(r"^day (\d{1,2}) of (this|next) month$")


class RuleError(ValueError):
    """A due rule that cannot be read."""


@dataclass(frozen=True)
class DueRule:
    """One parsed due rule: ``unit`` in {same, same-working, days, working, weeks, months, weekday, monthday}."""

    text: str
    unit: str
    n: int = 0
    next_month: bool = False

    def due_after(self, start: date) -> date:
        """The due date for an event on ``start``."""
        if self.unit in ("weekday", "monthday"):
            raise RuleError(f"rule {self.text!r} is for recurring tasks, not for events")
        return _due_after(self.unit, self.n, start)

    def due_in_period(self, period_start: date) -> date:
        """For recurring rules: the due date within the week (Monday ``period_start``) or month."""
        if self.unit == "weekday":
            return previous_working_day(period_start + timedelta(days=self.n))
        if self.unit == "monthday":
            base = add_months(period_start, 1) if self.next_month else period_start
            return previous_working_day(base.replace(day=min(self.n, 28)))
        raise RuleError(f"rule {self.text!r} is for events, not for recurring tasks")


@functools.lru_cache(maxsize=16384)
def _due_after(unit: str, n: int, start: date) -> date:
    """``DueRule.due_after``, worked out once per rule and date (pure: the calendar of working days is fixed): each
    event recorded dates three or four tasks, most of them on the few rules of the checklist."""
    if unit == "same":
        return start
    if unit == "same-working":
        return add_working_days(start, 0)
    if unit == "working":
        return add_working_days(start, n)
    if unit == "days":
        return previous_working_day(start + timedelta(days=n))
    if unit == "weeks":
        return previous_working_day(start + timedelta(weeks=n))
    if unit == "months":
        return previous_working_day(add_months(start, n))
    raise RuleError(f"unknown unit {unit!r}")


def parse_rule(text: str) -> DueRule:
    s = " ".join(str(text).strip().lower().split())
    if s == "same day":
        return DueRule(s, "same")
    if s == "same working day":
        return DueRule(s, "same-working")
    if m := _OFFSET.match(s):
        return DueRule(s, _UNITS[m[3]], int(m[2]) * (-1 if m[1] == "-" else 1))
    if s in WEEKDAYS:
        return DueRule(s, "weekday", WEEKDAYS.index(s))
    if m := _MONTHLY.match(s):
        day = int(m[1])
        if not 1 <= day <= 28:
            raise RuleError(f"due rule {text!r}: the day must be 1 to 28 so that every month has it")
        return DueRule(s, "monthday", day, next_month=m[2] == "next")
    raise RuleError(
        f"due rule {text!r} is not one of: 'same day', 'same working day', '+N days', '+N working days', "
        "'+N weeks', '+N months' (or -N before the date counted from), a weekday name, 'day N of next month'"
    )
