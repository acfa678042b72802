"""What happened at an appointment is recorded only once it has started: at 04:18 an "unacceptable absence" for
23:00 the same day is refused with the reason and nothing saved (it would start the breach clock), from the
domain, the command line, the Diary and the event form alike; and the demo records outcomes only for the
appointments that had started when it was built.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from db import appointments as appdb
from db import records as records_db
from db.connection import connect
from demo.generator import fill_demo
from records import appointments as ap
from records import sessions as se
from service.clock import Clock
from service.core import checklist_of
from tests.conftest import snapshot_counts
from tests.sessions_support import sentenced_case
from vocabulary.identity import ValidationError

MONDAY = date(2026, 12, 7)
EARLY = datetime(2026, 12, 7, 4, 18)
LATER_TODAY = "that appointment is at 23:00 today; record what happened once it has started"


def _late_booking(db, day: date = MONDAY) -> tuple[str, int]:
    ref = sentenced_case(db, (day - timedelta(days=21)).isoformat())
    aid = ap.book_appointment(
        db, ref, datetime.combine(day, time(23, 0)), place="Brook House", now=EARLY, checklist=checklist_of(db)
    )
    return ref, aid


def test_an_outcome_before_the_appointment_starts_is_refused_and_nothing_is_saved(db):
    ref, aid = _late_booking(db)
    before = snapshot_counts(db)
    with pytest.raises(ValidationError) as refused:
        se.record_attendance(db, aid, "unacceptable-absence", today=MONDAY, now=EARLY, checklist=checklist_of(db))
    assert str(refused.value) == LATER_TODAY
    # the same through the case and the day (the event command's path: it finds the day's appointment)
    with pytest.raises(ValidationError, match="at 23:00 today"):
        se.log_session(db, ref, MONDAY, "unacceptable-absence", today=MONDAY, now=EARLY, checklist=checklist_of(db))
    assert snapshot_counts(db) == before
    assert appdb.get_appointment(db, aid)["status"] == "booked"

    log = se.record_attendance(
        db, aid, "unacceptable-absence", today=MONDAY, now=datetime(2026, 12, 7, 23, 0), checklist=checklist_of(db)
    )
    assert log.appointment_id == aid and appdb.get_appointment(db, aid)["status"] == "held"


def test_the_reason_names_the_day_when_it_is_not_today():
    start = datetime(2026, 12, 8, 10, 0)
    assert (
        se.too_early(start, EARLY) == "that appointment is at 10:00 tomorrow; record what happened once it has started"
    )
    assert se.too_early(start + timedelta(days=7), EARLY) == (
        "that appointment is on 15/12/2026 at 10:00; record what happened once it has started"
    )
    assert se.too_early(start, start) is None and se.too_early(start, start + timedelta(minutes=1)) is None


def test_the_command_line_passes_its_clock(run, monkeypatch):
    from cli import common

    real_today = date.today()
    early = datetime.combine(real_today, time(4, 18))
    assert common.now().date() == real_today and common.now().second == 0
    monkeypatch.setattr(common, "CLOCK", Clock.fixed(early))  # the command's one clock, at 04:18
    db = connect(run.path)
    ref = sentenced_case(db, (real_today - timedelta(days=21)).isoformat())
    aid = ap.book_appointment(
        db, ref, datetime.combine(real_today, time(23, 0)), place="Brook House", now=early, checklist=checklist_of(db)
    )
    before = snapshot_counts(db)
    db.close()
    code, out, err = run("appointment", "attend", str(aid), "--outcome", "unacceptable-absence")
    assert (code, out) == (2, "") and err.strip().endswith(LATER_TODAY)
    code, out, err = run("event", ref, "session", "--outcome", "unacceptable-absence")
    assert (code, out) == (2, "") and LATER_TODAY in err
    db = connect(run.path)
    assert snapshot_counts(db) == before
    db.close()


async def test_the_diary_refuses_before_asking_and_the_event_form_on_saving(tmp_path, monkeypatch):
    from textual.widgets import Select, Static

    from tui.app import MhtrApp
    from tui.client import ClientScreen
    from tui.diary import DiaryScreen
    from tui.forms import EventScreen

    path = tmp_path / "d.db"
    db = connect(path, create=True)
    ref, aid = _late_booking(db)
    db.close()
    app = MhtrApp(db_path=path, clock=Clock.fixed(EARLY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = snapshot_counts(app.db)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index(f"a:{aid}"))
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)  # nothing asked: it cannot be recorded yet
        assert any(n.message == LATER_TODAY for n in app._notifications)

        app.push_screen(ClientScreen(ref))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        app.screen.query_one("#e-kind", Select).value = "session"
        await pilot.pause()
        app.screen.query_one("#e-outcome", Select).value = "unacceptable-absence"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        assert str(app.screen.query_one("#form-error", Static).render()) == LATER_TODAY
        assert snapshot_counts(app.db) == before


def test_the_demo_records_only_what_had_started_when_it_was_built(tmp_path):
    built = datetime(2026, 12, 7, 10, 30)  # the demo of seed 7 has sessions at 09:00 and 11:00 that day
    db = connect(tmp_path / "demo.db", create=True)
    fill_demo(db, 24, 7, MONDAY, built, checklist=checklist_of(db))
    everything = appdb.appointments_between(db, "2000-01-01T00:00", "2100-01-01T00:00")
    held = [a for a in everything if a["status"] == "held"]
    assert held and all(ap.from_iso(a["starts_at"]) <= built for a in held)
    assert [a["status"] for a in everything if a["starts_at"] == "2026-12-07T09:00"] == ["held"]
    later_today = [a for a in everything if a["starts_at"][:10] == "2026-12-07" and ap.from_iso(a["starts_at"]) > built]
    assert later_today and all(a["status"] == "booked" and a["event_id"] is None for a in later_today)
    # every recorded session still sits on its appointment
    sessions = [e for evs in records_db.events_for_cases(db).values() for e in evs if e["kind"] == "session"]
    assert {e["id"] for e in sessions} == {a["event_id"] for a in everything if a["event_id"]}
    db.close()


def test_a_session_by_day_links_the_appointment_that_has_started(db):
    # 09:00 and 23:00 the same day. At 04:18 neither has started: refused, naming the first. At 10:00 the
    # 09:00 one is the session (before, two bookings that day meant no link at all).
    ref, late = _late_booking(db)
    early = ap.book_appointment(
        db, ref, datetime(2026, 12, 7, 9, 0), mode="phone", now=EARLY, checklist=checklist_of(db)
    )
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="at 09:00 today"):
        se.log_session(db, ref, MONDAY, "unacceptable-absence", today=MONDAY, now=EARLY, checklist=checklist_of(db))
    assert snapshot_counts(db) == before
    log = se.log_session(
        db, ref, MONDAY, "attended", today=MONDAY, now=datetime(2026, 12, 7, 10, 0), checklist=checklist_of(db)
    )
    assert log.appointment_id == early and appdb.get_appointment(db, late)["status"] == "booked"
