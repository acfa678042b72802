"""The two periods a monthly return covers: the month itself and the rolling twelve months ending with it.

A return is asked for as ``YYYY-MM``. A month that has not begun is refused (there is nothing to report);
the month in progress is allowed, and its return says the figures run only to the day it was made.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from vocabulary.dates import add_months
from vocabulary.identity import ValidationError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """An inclusive range of days. ``key`` names it in the return's figures ("month" or "rolling")."""

    key: str
    start: date
    end: date

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def label(self) -> str:
        """How a column heading names the period, e.g. "October 2026" or "November 2025 to October 2026"."""
        if self.start.day == 1 and self.start.replace(day=1) == self.end.replace(day=1):
            return month_name(self.start)
        return f"{month_name(self.start)} to {month_name(self.end)}"


def month_name(d: date) -> str:
    return f"{calendar.month_name[d.month]} {d.year}"


def parse_month(text: str, today: date) -> date:
    """``"2026-10"`` -> ``date(2026, 10, 1)``; a malformed or future month raises ValidationError."""
    raw = (text or "").strip()
    m = _MONTH.match(raw)
    if not m:
        raise ValidationError(f"month {text!r} must be written YYYY-MM, e.g. {today:%Y-%m}")
    year, month = int(m[1]), int(m[2])
    if not 1 <= month <= 12:
        raise ValidationError(f"month {text!r} is not a month: there is no month {month} (write YYYY-MM, 01 to 12)")
    if year < 2000:
        raise ValidationError(f"month {text!r} is before any MHTR return (year {year})")
    first = date(year, month, 1)
    if first > today:
        raise ValidationError(f"{month_name(first)} is in the future; a return is for a month that has begun")
    return first


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def month_over(first: date, today: date) -> bool:
    """Whether the month starting ``first`` has ended by ``today`` (its last day counts as not over yet): only
    then is its return the full month's, the one that does the month's data-return task."""
    return month_end(first) < today


def return_periods(first: date) -> tuple[Period, Period]:
    """The month starting ``first`` and the twelve months ending with it (month first)."""
    end = month_end(first)
    return Period("month", first, end), Period("rolling", add_months(first, -11), end)


def months_before(first: date) -> tuple[Period, ...]:
    """The eleven months before the month starting ``first`` in its rolling year, oldest first."""
    starts = (add_months(first, -i) for i in range(11, 0, -1))
    return tuple(Period("month", s, month_end(s)) for s in starts)

