"""Reading the dates people type: ISO, UK day-first, and everyday words ("next fri", "in 2 weeks").

Numeric dates are day-first. A two-digit year or an impossible date is refused with a message that says
why, never guessed: a wrong date on a court order or a breach deadline is worse than a second keystroke.
dateparser is imported only when a phrase needs it (it costs ~0.2 s on first use).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from vocabulary.identity import ValidationError


class DateError(ValidationError):
    """A date that cannot be read; the message says what was wrong."""


_WEEKDAYS = {
    name: i
    for i, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14, "fortnights": 14}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _make(year: int, month: int, day: int, text: str) -> date:
    import calendar  # here and below, not at the top: the app's first frame reads no typed date

    if not 1 <= month <= 12:
        raise DateError(f"{text!r} is not a date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(f"{text!r} is not a date: {calendar.month_name[month]} {year} has {last} days")
    return date(year, month, day)


def add_months(d: date, months: int) -> date:
    """Same day ``months`` later, clipped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    import calendar

    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DateField:
    """What a date is for, and the range a date for it can sensibly fall in (``earliest``/``latest`` are
    functions of today). A date outside is refused with the field's label and the reason: a court date in year 1
    or a due date in year 9999 is a slip, never a record to keep."""

    label: str
    earliest: Callable[[date], date]
    latest: Callable[[date], date]
    too_early: str
    too_late: str


def _years(today: date, years: int) -> date:
    """``today`` moved by whole years (29 February becomes 28 February in a common year)."""
    return add_months(today, 12 * years)


# The one place each kind of date's range is written down.
EVENT_DATE = DateField("event date", lambda t: date(2000, 1, 1), lambda t: t, "is before 2000", "is in the future")
QUESTIONNAIRE_DATE = DateField(
    "questionnaire date", lambda t: date(2000, 1, 1), lambda t: t, "is before 2000", "is in the future"
)
DUE_DATE = DateField(
    "due date", lambda t: _years(t, -5), lambda t: _years(t, 5), "is more than 5 years ago",
    "is more than 5 years ahead",
)
# The adult rule of an MHTR is the sane range of a client's date of birth (narrower than any calendar slip).
BIRTH_DATE = DateField(
    "date of birth", lambda t: date(t.year - 110, 1, 1), lambda t: _years(t, -18), "is more than 110 years ago",
    "makes the client under 18; MHTRs are for adults",
)
APPOINTMENT_DATE = DateField(
    "appointment date", lambda t: _years(t, -5), lambda t: _years(t, 5), "is more than 5 years ago",
    "is more than 5 years ahead",
)
WEEK = DateField(
    "week", lambda t: date(2000, 1, 1), lambda t: _years(t, 5), "is before 2000", "is more than 5 years ahead"
)
RECEIVED_DATE = DateField(
    "date received", lambda t: date(2000, 1, 1), lambda t: t, "is before 2000", "is in the future"
)
GP_REGISTRATION_DATE = DateField(
    "GP registration date", lambda t: date(1900, 1, 1), lambda t: t, "is before 1900", "is in the future"
)
# Anything without a field of its own: wide, but far from the ends of the calendar.
ANY_DATE = DateField(
    "date", lambda t: date(1900, 1, 1), lambda t: _years(t, 10), "is before 1900", "is more than 10 years ahead"
)


def check_date(d: date, today: date, field: DateField = ANY_DATE) -> date:
    """``d`` if it lies in ``field``'s range (as of ``today``), else ``DateError`` naming the field."""
    if d < field.earliest(today):
        raise DateError(f"{field.label} {d.day:02d}/{d.month:02d}/{d.year:04d} {field.too_early}")
    if d > field.latest(today):
        late = "is in the future" if d > today >= field.latest(today) else field.too_late
        raise DateError(f"{field.label} {d.day:02d}/{d.month:02d}/{d.year:04d} {late}")
    return d


def check_dob(dob: date, today: date) -> date:
    """``dob`` if it can be a client's: not in the future, 18 or over (an MHTR is for adults), not more than 110
    years ago (``BIRTH_DATE``, the one place the range is written)."""
    return check_date(dob, today, BIRTH_DATE)


def parse_date(text: str, today: date, field: DateField = ANY_DATE) -> date:
    """Turn what a person typed into a date in ``field``'s range, or raise DateError saying why not.

    Accepts ``2026-11-20``, ``20/11/2026`` (also with ``.`` or ``-``), ``today``, ``tomorrow``,
    ``yesterday``, weekday names (``fri`` = the coming Friday, ``next fri`` = the same), ``last fri``,
    ``in 2 weeks``, ``3 days ago``, and written dates such as ``20 Dec 2026`` or ``20 December``. Whatever is
    typed (``in 99999999 weeks``, year 0), the only error is a ``DateError``. ``today`` is the caller's (the
    service's clock).
    """
    if len(text or "") > 60:  # no date is written that long; don't echo a screenful back, nor hand it to dateparser
        raise DateError(f"the {field.label} given is {len(text)} characters long: that is not a date")
    try:
        parsed = _parse(text, today)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, DateError):
            raise
        raise DateError(f"{text!r} is not a date that can be used ({field.label})") from None
    return check_date(parsed, today, field)


def _parse(text: str, today: date) -> date:
    raw = text
    s = " ".join((text or "").strip().lower().split())
    if not s:
        raise DateError("no date given")
    if m := _ISO.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _NUMERIC.match(s):
        a, b, c = m[1], m[2], m[3]
        if len(a) == 4:  # 2026/11/20: year first is unambiguous
            return _make(int(a), int(b), int(c), raw)
        if len(c) != 4:
            day_month = f"{int(a):02d}/{int(b):02d}"
            raise DateError(
                f"{raw!r}: write the year in full ({day_month}/19{c[-2:]:0>2} or {day_month}/20{c[-2:]:0>2}?)"
            )
        return _make(int(c), int(b), int(a), raw)
    if s in ("today", "now"):
        return today
    if s == "tomorrow":
        return today + timedelta(days=1)
    if s == "yesterday":
        return today - timedelta(days=1)
    words = s.split()
    if len(words) in (1, 2) and words[-1] in _WEEKDAYS:
        target = _WEEKDAYS[words[-1]]
        lead = words[0] if len(words) == 2 else ""
        if lead in ("", "next", "this", "on", "coming"):
            ahead = (target - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
        if lead in ("last", "previous"):
            back = (today.weekday() - target) % 7 or 7
            return today - timedelta(days=back)
    m = re.match(
        r"^(?:in )?(\d+|a|an|one|two|three|four|five|six) (day|days|week|weeks|fortnight|fortnights|"
        r"month|months)( ago| time)?$",
        s,
    )
    if m and (s.startswith("in ") or m[3]):
        n = int(m[1]) if m[1].isdigit() else _NUMBERS[m[1]]
        sign = -1 if m[3] == " ago" else 1
        if m[2].startswith("month"):
            return add_months(today, sign * n)
        return today + timedelta(days=sign * n * _UNITS[m[2]])
    if s in ("next week",):
        return today + timedelta(days=7)
    if s in ("next month",):
        return add_months(today, 1)
    return _parse_words(raw, s, today)


def _parse_words(raw: str, s: str, today: date) -> date:
    """Written dates ("20 Dec 2026", "3rd of april") through dateparser, refusing two-digit years."""
    if re.search(r"[a-z]", s) is None:
        raise DateError(f"{raw!r} is not a date I can read; try 20/12/2026 or 'next fri'")
    if re.search(r"(?<![\d:])\d{2}$", s) and re.search(r"[a-z]{3,}\.?,? \d{2}$", s):
        raise DateError(f"{raw!r}: write the year in full (four digits)")
    # A day number that cannot exist in its month ("31 feb") must be refused, not rolled over.
    m = re.match(r"^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.?,?(?: (\d{4}))?$", s)
    if m:
        month = _month_number(m[2])
        if month:
            year = int(m[3]) if m[3] else today.year
            return _make(year, month, int(m[1]), raw)
    import dateparser

    parsed = dateparser.parse(
        s,
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "RELATIVE_BASE": _as_datetime(today),
            "PREFER_DATES_FROM": "future",
            "STRICT_PARSING": False,
            "REQUIRE_PARTS": ["day"],
        },
    )
    if parsed is None:
        raise DateError(f"{raw!r} is not a date I can read; try 20/12/2026, 'tomorrow' or 'in 2 weeks'")
    return parsed.date()


def _month_number(word: str) -> int | None:
    import calendar

    for i in range(1, 13):
        if word in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower()) or (
            len(word) >= 3 and calendar.month_name[i].lower().startswith(word)
        ):
            return i
    return None


def _as_datetime(d: date) -> datetime:

    return datetime(d.year, d.month, d.day, 12, 0)


def uk(d: date | str | None) -> str:
    """``2026-11-20`` -> ``20/11/2026`` for display; '' for nothing."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d)
    return d.strftime("%d/%m/%Y")


# A narrow column's day and month are read as the nearest such day: within this many days of today they say it.
SHORT_DATE_REACH = 182


def short_uk(d: date | str | None, today: date) -> str:
    """Five characters for a narrow column (the Caseload's next appointment and next task): ``20/11`` for a day
    within about six months of ``today``, which a reader takes for the nearest 20 November, and ``Sep27`` (month
    and year) for one further off, so that a task due next September never reads as one long overdue, nor one
    left from two years ago as recent. '' for nothing."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d)
    if abs((d - today).days) <= SHORT_DATE_REACH:
        return d.strftime("%d/%m")
    return f"{d:%b}{d:%y}"


def long_date(d: date | str) -> str:
    """``20 November 2026``, as letters write it."""
    if isinstance(d, str):
        d = date.fromisoformat(d)
    return f"{d.day} {d:%B %Y}"
