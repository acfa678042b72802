"""Reading date and number cells the way spreadsheets hold them: nothing guessed, every refusal says why."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer.cells import CellError, clean_text, plausible, read_count, read_date

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2025, 4, 3, 0, 0), date(2025, 4, 3)),  # an Excel date cell
        (date(2025, 4, 3), date(2025, 4, 3)),
        ("03/04/2025", date(2025, 4, 3)),  # day-first
        ("3/4/2025 ", date(2025, 4, 3)),  # trailing space
        ("03.04.2025", date(2025, 4, 3)),
        ("03-04-2025", date(2025, 4, 3)),
        ("2025-04-03", date(2025, 4, 3)),  # ISO, year first
        ("2025-04-03 00:00:00", date(2025, 4, 3)),  # a date cell saved to CSV
        ("3 Apr 25", date(2025, 4, 3)),
        ("3 April 2025", date(2025, 4, 3)),
        ("3rd April 2025", date(2025, 4, 3)),
        ("03-Apr-2025", date(2025, 4, 3)),
        ("3-Sept-25", date(2025, 9, 3)),
        ("April 3, 2025", date(2025, 4, 3)),
        ("1/6/97", date(1997, 6, 1)),  # 30 years back is still plausible; 2097 is in the future
        ("20/11/96", date(1996, 11, 20)),  # exactly 30 years back: the window's first day
        ("19/11/96", None),  # a day more than 30 years ago: refused
    ],
)
def test_event_dates_in_the_forms_sheets_hold(value, expected):
    if expected is None:
        with pytest.raises(CellError, match="two-digit year"):
            read_date(value, TODAY, "assessed")
        return
    assert read_date(value, TODAY, "assessed") == (expected, None)


@pytest.mark.parametrize("word", ["tbc", "TBC", "n/a", "N/A", "-", "unknown", "Pending", "awaiting"])
def test_placeholder_words_are_reported_not_guessed(word):
    got, note = read_date(word, TODAY, "sentence date")
    assert got is None
    assert note == f"sentence date {word!r} is not a date; read as blank"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2025", "February 2025 has 28 days"),
        ("03/13/2025", "there is no month 13"),
        ("1/1/40", "gives no date in the last 30 years; write the year in full"),
        ("sometime in May", "not a date I can read"),
        (45123, "is a number, not a date"),
        (45123.0, "is a number, not a date"),
        ("3 Foo 2025", "not a date I can read"),
    ],
)
def test_dates_that_cannot_be_read_are_refused_with_the_reason(value, message):
    with pytest.raises(CellError) as err:
        read_date(value, TODAY, "screened")
    assert str(err.value).startswith("screened ")
    assert message in str(err.value)


def test_two_digit_year_of_birth_takes_the_only_century_that_gives_an_adult():
    assert read_date("14/03/87", TODAY, "dob", birth=True)[0] == date(1987, 3, 14)
    assert read_date("02/02/05", TODAY, "dob", birth=True)[0] == date(2005, 2, 2)  # 1905 would be 121
    assert read_date("02/02/25", TODAY, "dob", birth=True)[0] == date(1925, 2, 2)  # 2025 would be a baby
    with pytest.raises(CellError, match="age between 18 and 110"):
        read_date("02/02/12", TODAY, "dob", birth=True)  # 1912 is 114, 2012 is 14
    # the same cell in an event column means this century
    assert read_date("02/02/25", TODAY, "assessed")[0] == date(2025, 2, 2)


def test_a_two_digit_year_that_would_be_in_the_future_is_refused():
    with pytest.raises(CellError, match="write the year in full"):
        read_date("01/01/27", TODAY, "assessed")  # 2027 is ahead, 1927 is 99 years back


def test_counts_and_text_cells():
    assert read_count(12, "sessions") == (12, None)
    assert read_count(12.0, "sessions") == (12, None)
    assert read_count(" 4 ", "sessions") == (4, None)
    assert read_count("tbc", "sessions") == (None, "sessions 'tbc' is not a number; read as blank")
    with pytest.raises(CellError, match="not a whole number"):
        read_count("about 5", "sessions")
    with pytest.raises(CellError, match="not between 0 and 60"):
        read_count(99, "sessions")
    assert clean_text(9990000034.0) == "9990000034"  # an NHS number typed into a number cell
    assert clean_text("  Alex \u00a0 Testperson ") == "Alex Testperson"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_any_four_digit_date_reads_back_in_every_written_form(d):
    for text in (f"{d:%d/%m/%Y}", f"{d.day}/{d.month}/{d.year}", d.isoformat(), f"{d.day} {d:%b %Y}",
                 f"{d.day} {d:%B %Y}", f"{d:%d-%b-%Y}"):
        assert read_date(text, TODAY, "x") == (d, None), text


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))
def test_a_two_digit_year_is_read_only_when_exactly_one_century_is_plausible(d):
    text = f"{d:%d/%m/%y}"
    other = d.replace(year=d.year - 100) if d.year >= 2000 else d.replace(year=d.year + 100)
    fits = [x for x in (d, other) if plausible(x, TODAY, birth=False)]
    if len(fits) == 1:
        assert read_date(text, TODAY, "x")[0] == fits[0]
    else:
        with pytest.raises(CellError, match="two-digit year"):
            read_date(text, TODAY, "x")


@given(st.dates(min_value=TODAY - timedelta(days=365 * 29), max_value=TODAY))
def test_recent_past_dates_with_two_digit_years_are_always_read(d):
    assert read_date(f"{d.day} {d:%b %y}", TODAY, "x") == (d, None)
