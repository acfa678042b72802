"""Reading one spreadsheet cell as the date, number or text it should be, or saying why it cannot be read.

Spreadsheets hold dates as Excel date cells, as ``03/04/2025`` (day-first: this is England), as ``3 Apr 25``
or as words such as ``tbc``. The rules, chosen so that nothing is guessed:

- Numeric dates are day-first; ``2025-04-03`` (year first) is read as ISO.
- A **two-digit year** is accepted only when exactly one century gives a plausible date: for an event,
  a date in the last 30 years and not in the future (``3 Apr 25`` is 2025, ``1/6/97`` is 1997, ``1/1/40``
  is refused); for a date of birth, an age between 18 and 110 (``14/03/87`` is 1987, ``2/2/25`` is 1925).
  Anything else is refused with the reason, and the user writes the year in full.
- Placeholder words (``tbc``, ``n/a``, ``unknown``, ``-``...) are not dates: the cell is read as blank and
  the row says so, rather than a date being made up.
- An impossible date (``31/02/2025``) or a number in a date column is refused.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from vocabulary.identity import ValidationError, quoted


class CellError(ValidationError):
    """A cell that cannot be read; the message names the column and the value."""


PLACEHOLDERS = frozenset(
    {
        "tbc", "tba", "tbd", "n/a", "na", "n.a.", "none", "-", "--", "?", "??", "unknown", "not known",
        "pending", "awaiting", "waiting", "to follow", "nil", "no date", "not applicable",
    }
)
EVENT_WINDOW_YEARS = 30

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?(?: of)?[\s\-/]+([a-z]+)\.?,?[\s\-/]+(\d{2}|\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?[\s\-/]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/]+(\d{4})$")


def clean_text(value) -> str:
    """A cell as one line of text: trailing spaces gone, inner runs of spaces made single, whole floats whole.

    Excel stores an NHS number typed into a number cell as ``9434765919.0``; that must read as the digits.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).replace("\u00a0", " ").split())


def is_placeholder(text: str) -> bool:
    return text.casefold().strip(" .") in PLACEHOLDERS or text.casefold() in PLACEHOLDERS


def _month(word: str) -> int | None:
    w = word.casefold().rstrip(".")
    for i in range(1, 13):
        full, abbr = calendar.month_name[i].casefold(), calendar.month_abbr[i].casefold()
        if w in (full, abbr) or (len(w) >= 3 and full.startswith(w)) or (w == "sept" and i == 9):
            return i
    return None


def _make(year: int, month: int, day: int, what: str, raw: str) -> date:
    if not 1 <= month <= 12:
        raise CellError(f"{what} {quoted(raw)} is not a date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise CellError(f"{what} {quoted(raw)} is not a date: {calendar.month_name[month]} {year} has {last} days")
    return date(year, month, day)


def plausible(d: date, today: date, *, birth: bool) -> bool:
    """Whether ``d`` could be what a two-digit year meant: see the module docstring."""
    if d > today:
        return False
    if birth:
        age = today.year - d.year - ((today.month, today.day) < (d.month, d.day))
        return 18 <= age <= 110
    return d.year > today.year - EVENT_WINDOW_YEARS or (
        d.year == today.year - EVENT_WINDOW_YEARS and (d.month, d.day) >= (today.month, today.day)
    )


def _two_digit(yy: int, month: int, day: int, what: str, raw: str, today: date, birth: bool) -> date:
    candidates = []
    for century in (1900, 2000):
        try:
            candidates.append(_make(century + yy, month, day, what, raw))
        except CellError:
            continue
    if not candidates:  # 29/02/yy with no leap year in either century, or no such month/day at all
        _make(2000 + yy, month, day, what, raw)
    fits = [d for d in candidates if plausible(d, today, birth=birth)]
    if len(fits) == 1:
        return fits[0]
    rule = "age between 18 and 110" if birth else f"date in the last {EVENT_WINDOW_YEARS} years"
    if not fits:
        raise CellError(f"{what} {quoted(raw)}: a two-digit year that gives no {rule}; write the year in full")
    years = f"{fits[0].year} or {fits[1].year}"
    raise CellError(f"{what} {quoted(raw)}: the two-digit year could be {years}; write it in full")


def read_date(value, today: date, what: str, *, birth: bool = False) -> tuple[date | None, str | None]:
    """``(date, None)``, ``(None, None)`` for a blank cell, or ``(None, note)`` for a placeholder word.

    Raises ``CellError`` for anything else that is not a date (see the module docstring for the rules).
    """
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, bool):  # an Excel TRUE/FALSE cell
        raise CellError(f"{what} {'TRUE' if value else 'FALSE'} is a tick-box value, not a date")
    if isinstance(value, int | float):
        raise CellError(f"{what} {quoted(clean_text(value))} is a number, not a date")
    raw = clean_text(value)
    if not raw:
        return None, None
    if is_placeholder(raw):
        return None, f"{what} {quoted(raw)} is not a date; read as blank"
    s = raw.casefold()
    if m := _ISO.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]), what, raw), None
    if m := _NUMERIC.match(s):
        day, month, year = int(m[1]), int(m[2]), m[3]
        if len(year) == 4:
            return _make(int(year), month, day, what, raw), None
        return _two_digit(int(year), month, day, what, raw, today, birth), None
    for pattern, order in ((_DAY_MONTH_YEAR, (1, 2, 3)), (_MONTH_DAY_YEAR, (2, 1, 3))):
        if m := pattern.match(s):
            day_s, month_s, year = (m[i] for i in order)
            named = _month(month_s)
            if named is None:
                break
            if len(year) == 4:
                return _make(int(year), named, int(day_s), what, raw), None
            return _two_digit(int(year), named, int(day_s), what, raw, today, birth), None
    raise CellError(f"{what} {quoted(raw)} is not a date I can read (write it as 03/04/2025)")


def read_count(value, what: str) -> tuple[int | None, str | None]:
    """A whole number of at least 0 (sessions attended), blank, or a placeholder word reported as blank."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        raise CellError(f"{what} {quoted(value)} is not a number")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{what} {quoted(value)} is not a whole number")
        n = int(value)
    else:
        raw = clean_text(value)
        if not raw:
            return None, None
        if is_placeholder(raw):
            return None, f"{what} {quoted(raw)} is not a number; read as blank"
        if not raw.isdigit():
            raise CellError(f"{what} {quoted(raw)} is not a whole number")
        n = int(raw)
    if not 0 <= n <= 60:
        raise CellError(f"{what} {n} is not between 0 and 60")
    return n, None
