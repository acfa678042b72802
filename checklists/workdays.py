"""Working days: Monday to Friday, less the bank holidays of England and Wales.

The ``holidays`` package carries the official list (including one-off days such as a coronation), so no
table is kept here. It is loaded on first use to keep start-up lean.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=64)
def _bank_holiday_names(year: int) -> dict[date, str]:
    # Built once per year: building the calendar costs about 0.7 ms, and a diary week names a holiday per row.
    import holidays

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(_bank_holiday_names(year))


def bank_holiday_name(d: date) -> str | None:
    return _bank_holiday_names(d.year).get(d)


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _bank_holidays(d.year)


# The two day counts below are pure (a date, a number and the fixed calendar) and every due date goes through one of
# them: the checklist asks for the same few (start, n) pairs at every event of every case, so each is worked out
# once per process (a recorded event asked for about three, each stepping day by day through the calendar).
@lru_cache(maxsize=8192)
def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (n=0: ``start`` itself, or the next working day if it is not one)."""
    d = start
    if n == 0:
        while not is_working_day(d):
            d += timedelta(days=1)
        return d
    step = 1 if n > 0 else -1
    remaining = abs(n)
    while remaining:
        d += timedelta(days=step)
        if is_working_day(d):
            remaining -= 1
    return d


@lru_cache(maxsize=8192)
def previous_working_day(d: date) -> date:
    """``d`` if it is a working day, else the last working day before it (a deadline never moves later)."""
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d
