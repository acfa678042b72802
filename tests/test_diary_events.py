"""``mhtr-tui event REF session`` and ``event REF withdrawal`` go through the sessions domain: a session closes
the day's booked appointment, at most three extra sessions follow completion (the fourth is refused by the
command line and by ``log_session`` alike, changing nothing), and withdrawal cancels the bookings still ahead.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest

from db import appointments as appdb
from db import records as records_db
from db.connection import connect
from records import appointments as ap
from records import clients
from records import sessions as se
from service.core import checklist_of
from tests.conftest import snapshot_counts
from vocabulary.identity import ValidationError


def _day(days: int) -> date:
    return date.today() + timedelta(days=days)


def _sentenced(run, sessions: int = 12) -> str:
    code, out, _ = run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--ro-name", "Sam Officer")
    ref = out.strip()
    for args in (
        ("screening",),
        ("assessment",),
        ("cl-decision", "--approved"),
        ("court-outcome", "--accepted", "--sessions", str(sessions)),
    ):
        assert run("event", ref, *args, "--date", _day(-40).isoformat())[0] == 0
    return ref


def _book(path, ref: str, day: date, hour: int = 10) -> int:
    """Book through the domain as if it had been booked a week before ``day``."""
    db = connect(path)
    try:
        when = datetime.combine(day, time(hour, 0))
        return ap.book_appointment(
            db, ref, when, place="Brook House", now=when - timedelta(days=7), checklist=checklist_of(db)
        )
    finally:
        db.close()


def _counts(path) -> dict[str, int]:
    db = connect(path)
    try:
        return snapshot_counts(db)
    finally:
        db.close()


def test_event_session_closes_the_days_appointment(run):
    ref = _sentenced(run)
    aid = _book(run.path, ref, _day(-6))
    code, out, err = run("event", ref, "session", "--outcome", "attended", "--date", _day(-6).isoformat(), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["appointment_id"] == aid and result["final"] is False and result["stage"] == "in-treatment"
    db = connect(run.path)
    appt = appdb.get_appointment(db, aid)
    assert appt["status"] == "held" and appt["event_id"] == result["event_id"]
    db.close()
    # The same appointment cannot be recorded twice; a second session that day is recorded without one.
    code, out, _ = run("event", ref, "session", "--outcome", "unacceptable-absence", "--date", _day(-6).isoformat())
    assert code == 0 and "marked with this session" not in out


def test_three_extra_sessions_after_completion_and_the_fourth_refused(run):
    ref = _sentenced(run, sessions=2)
    assert run("event", ref, "session", "--date", _day(-30).isoformat())[0] == 0
    code, out, _ = run("event", ref, "session", "--date", _day(-23).isoformat(), "--json")
    assert code == 0 and json.loads(out)["final"] is True
    assert run("event", ref, "completion", "--date", _day(-22).isoformat())[0] == 0
    # After completion a session is an extra one without saying so; three are allowed.
    for days in (-15, -10, -5):
        code, out, err = run("event", ref, "session", "--date", _day(days).isoformat(), "--json")
        assert code == 0, err
    before = _counts(run.path)
    code, out, err = run("event", ref, "session", "--date", _day(-2).isoformat())
    assert code == 2 and out == ""
    assert err.strip().endswith("the 3 extra sessions after completion are all recorded")
    assert len(err.strip().splitlines()) == 1
    assert _counts(run.path) == before
    db = connect(run.path)
    case_id = clients.require_case(db, ref)["case_id"]
    extras = [e for e in records_db.events_of_case(db, case_id) if e["data"].get("extra")]
    assert len(extras) == 3
    # The domain refuses the same way, with or without the extra flag, and a fourth booking too.
    with pytest.raises(ValidationError, match="3 extra sessions after completion are all recorded"):
        se.log_session(db, ref, _day(-1), "attended", extra=True, today=_day(0), checklist=checklist_of(db))
    with pytest.raises(ValidationError, match="up to 3 extra sessions, and 3 already recorded or booked"):
        ap.book_appointment(
            db, ref, datetime.combine(_day(3), time(10, 0)), place="Brook House", now=datetime.now(),
            checklist=checklist_of(db)
        )
    db.close()
    assert _counts(run.path) == before


def test_withdrawal_cancels_the_bookings_ahead(run):
    ref = _sentenced(run)
    past = _book(run.path, ref, _day(-3))
    ahead = [_book(run.path, ref, _day(d)) for d in (7, 14)]
    code, out, err = run("event", ref, "withdrawal", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["stage"] == "withdrawn" and result["cancelled_appointments"] == ahead
    db = connect(run.path)
    for aid in ahead:
        row = appdb.get_appointment(db, aid)
        assert row["status"] == "cancelled" and row["reason"] == "consent withdrawn"
    # An appointment already past is left for its outcome to be recorded.
    assert appdb.get_appointment(db, past)["status"] == "booked"
    db.close()
    # A closed case takes no second withdrawal, and the diary is left as it is.
    before = _counts(run.path)
    code, out, err = run("event", ref, "withdrawal", "--json")
    assert code == 2 and out == "" and "this case is closed (consent withdrawn)" in err
    assert _counts(run.path) == before


def test_withdrawal_text_output_names_the_cancelled_appointments(run):
    ref = _sentenced(run)
    aid = _book(run.path, ref, _day(5))
    code, out, err = run("event", ref, "withdrawal")
    assert code == 0, err
    assert "consent withdrawn recorded; stage now consent withdrawn" in out
    assert f"booked appointment(s) {aid} cancelled (consent withdrawn)" in out
