from datetime import date

import pytest

from vocabulary.dates import DateError, add_months, parse_date

TODAY = date(2026, 11, 20)  # Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("20/12/2026", date(2026, 12, 20)),
        ("3/4/2026", date(2026, 4, 3)),  # day first
        ("03.04.2026", date(2026, 4, 3)),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 21)),
        ("yesterday", date(2026, 11, 19)),
        ("next fri", date(2026, 11, 27)),  # on a Friday, 'next fri' is a week on
        ("fri", date(2026, 11, 27)),
        ("monday", date(2026, 11, 23)),
        ("last mon", date(2026, 11, 16)),
        ("in 2 weeks", date(2026, 12, 4)),
        ("in 3 days", date(2026, 11, 23)),
        ("in a fortnight", date(2026, 12, 4)),
        ("3 days ago", date(2026, 11, 17)),
        ("in 1 month", date(2026, 12, 20)),
        ("20 Dec 2026", date(2026, 12, 20)),
        ("1st of March 2027", date(2027, 3, 1)),
        ("  Next   Friday ", date(2026, 11, 27)),
    ],
)
def test_dates_people_type(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("31/02/2026", "February 2026 has 28 days"),
        ("29/02/2027", "February 2027 has 28 days"),
        ("2026-13-01", "no month 13"),
        ("3/4/25", "year in full"),
        ("3 Apr 25", "year in full"),
        ("31 feb", "has 28 days"),
        ("tbc", "not a date"),
        ("", "no date"),
        ("12345", "not a date"),
    ],
)
def test_refused_dates_say_why(text, why):
    with pytest.raises(DateError, match=why):
        parse_date(text, TODAY)


def test_leap_day_accepted_in_leap_year():
    assert parse_date("29/02/2028", TODAY) == date(2028, 2, 29)


def test_add_months_clips_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 12) == date(2027, 12, 15)
