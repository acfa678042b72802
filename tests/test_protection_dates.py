"""Dates everywhere through one parser with a sane range per field, and no traceback whatever is typed."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import TODAY
from vocabulary.dates import (
    BIRTH_DATE,
    DUE_DATE,
    EVENT_DATE,
    WEEK,
    DateError,
    check_date,
    parse_date,
)


@pytest.mark.parametrize(
    "text",
    ["in 99999999 weeks", "99999999 days ago", "0000-01-01", "9999-12-31", "31/12/9999", "01/01/0001",
     "in 999999999999999999999 days", "x" * 5000, "\x00", "2026-02-30"],
)
def test_whatever_is_typed_the_only_error_is_a_date_error(text):
    with pytest.raises(DateError):
        parse_date(text, TODAY)


def test_a_long_text_is_not_echoed_back():
    with pytest.raises(DateError) as exc:
        parse_date("1" * 100_000, TODAY)
    assert len(str(exc.value)) < 120


@pytest.mark.parametrize(
    ("field", "text", "why"),
    [
        (EVENT_DATE, "01/01/0001", "before 2000"),
        (EVENT_DATE, "01/01/1900", "before 2000"),
        (EVENT_DATE, "31/12/1999", "before 2000"),
        (EVENT_DATE, "tomorrow", "in the future"),
        (DUE_DATE, "31/12/9999", "more than 5 years ahead"),
        (DUE_DATE, "21/11/2031", "more than 5 years ahead"),
        (DUE_DATE, "19/11/2021", "more than 5 years ago"),
        (BIRTH_DATE, "31/12/1915", "more than 110 years ago"),
        (BIRTH_DATE, "21/11/2008", "makes the client under 18"),
        (BIRTH_DATE, "21/11/2026", "is in the future"),
        (WEEK, "31/12/9999", "more than 5 years ahead"),
    ],
)
def test_each_field_has_its_range(field, text, why):
    with pytest.raises(DateError, match=why):
        parse_date(text, TODAY, field)


def test_the_ends_of_each_range_are_inside_it():
    assert parse_date("01/01/2000", TODAY, EVENT_DATE) == date(2000, 1, 1)
    assert parse_date("today", TODAY, EVENT_DATE) == TODAY
    assert parse_date("20/11/2031", TODAY, DUE_DATE) == date(2031, 11, 20)
    assert parse_date("20/11/2008", TODAY, BIRTH_DATE) == date(2008, 11, 20)
    assert parse_date("01/01/1916", TODAY, BIRTH_DATE) == date(1916, 1, 1)
    assert BIRTH_DATE.latest(date(2024, 2, 29)) == date(2006, 2, 28)  # whole years from a leap day
    assert DUE_DATE.latest(date(2024, 2, 29)) == date(2029, 2, 28)
    assert check_date(date(2029, 2, 28), date(2024, 2, 29), DUE_DATE) == date(2029, 2, 28)


def _refused(run, *args: str, why: str) -> None:
    code, out, err = run(*args)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, (args, err)
    assert why in err, (args, err)


def test_the_command_line_refuses_impossible_dates_in_one_line(run, tmp_path):
    from tests.sessions_support import sentenced_case

    code, _, err = run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987")
    assert code == 0, err
    task = run("tasks", "--due", "all", "--json")[1]
    import json

    task_id = str(json.loads(task)[0]["id"])
    _refused(run, "task", "due", task_id, "in 99999999 weeks", why="not a date that can be used")
    _refused(run, "task", "due", task_id, "31/12/9999", why="due date 31/12/9999 is more than 5 years ahead")
    _refused(run, "share-week", "--week", "9999-12-31", "-o", str(tmp_path), why="week 31/12/9999 is more than")
    _refused(run, "appointment", "list", "--week", "9999-12-31", why="week 31/12/9999 is more than 5 years ahead")
    _refused(run, "sar", "MHTR-0001", "--received", "01/01/0001", why="date received 01/01/0001 is before 2000")
    _refused(run, "client", "add", "--name", "Jo Synthetic", "--dob", "0001-01-01", why="01/01/0001 is more than 110")
    _refused(run, "client", "add", "--name", "Jo Synthetic", "--dob", "01/01/1900", why="more than 110 years ago")
    from db.connection import connect

    db = connect(run.path)
    ref = sentenced_case(db, "2026-10-01", name="Sam Synthetic")
    db.close()
    _refused(run, "appointment", "series", ref, "--date", "31/12/9999", "--time", "10:00", "--count", "12",
             "--phone", why="appointment date 31/12/9999 is more than 5 years ahead")
    _refused(run, "questionnaire", "add", ref, "phq9", *"000000000", "--timepoint", "session -3",
             why="timepoint 'session -3' is one of")
    _refused(run, "questionnaire", "add", ref, "phq9", *"000000000", "--timepoint", "session 0",
             why="sessions are numbered 1 to 60")
    _refused(run, "questionnaire", "add", ref, "phq9", *"000000000", "--date", "01/01/1900",
             why="questionnaire date 01/01/1900 is before 2000")


def test_a_command_line_holding_bytes_that_are_not_utf8_is_one_line(run):
    import os

    bad = os.fsdecode(b"Robin \xff Synthetic")
    _refused(run, "client", "add", "--name", bad, "--dob", "14/03/1987", why="holds bytes that are not UTF-8")


@pytest.mark.parametrize("day", ["0001-01-01", "01/01/1900", "31/12/1999"])
def test_an_event_before_2000_is_refused(run, day):
    assert run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987")[0] == 0
    code, _, err = run("event", "MHTR-0001", "screening", "--date", day)
    assert code == 2 and err.count("\n") == 1
    assert "before 2000" in err or "not a date that can be used" in err
