"""A session recorded with e on the Client screen takes the same path as the Diary and the command line:
it closes the day's booked appointment; withdrawal cancels the bookings ahead."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from textual.widgets import Select

from db import appointments as appdb
from db.connection import connect
from records import appointments as ap
from records import casework, clients
from service.clock import Clock
from service.core import checklist_of
from tui.app import MhtrApp
from tui.client import ClientScreen
from tui.forms import EventScreen
from tui.session_forms import EntryScreen

TODAY = date(2026, 11, 20)


def _sentenced_with_bookings(path) -> str:
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Robin Synthetic", "dob": "14/03/1987"}, TODAY)
    for kind, day, data in (("assessment", "2026-10-01", {}), ("cl-decision", "2026-10-02", {"decision": "approved"}),
                            ("court-outcome", "2026-10-09", {"outcome": "accepted", "order": "CO", "sessions": 12})):
        casework.record_event(db, ref, kind, day, data, TODAY, checklist=checklist_of(db))
    for day in (TODAY, TODAY + timedelta(days=7)):
        when = datetime.combine(day, time(10, 0))
        ap.book_appointment(
            db, ref, when, place="Brook House", now=datetime(2026, 11, 1, 9, 0), checklist=checklist_of(db)
        )
    db.close()
    return ref


async def _record(pilot, app, kind: str, outcome: str | None = None) -> None:
    app.screen.query_one("#e-kind", Select).value = kind
    await pilot.pause()
    if outcome:
        app.screen.query_one("#e-outcome", Select).value = outcome
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_session_from_the_event_form_closes_the_days_appointment_and_withdrawal_cancels_ahead(tmp_path):
    path = tmp_path / "f.db"
    ref = _sentenced_with_bookings(path)
    # the app's clock at noon: the day's 10:00 appointment has started (the test no longer depends on the hour)
    app = MhtrApp(db_path=path, clock=Clock.fixed(datetime.combine(TODAY, time(12, 0))))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ClientScreen(ref))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        await _record(pilot, app, "session", "attended")
        assert isinstance(app.screen, EntryScreen)  # the health-system entry, as after a session logged in the Diary
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        await pilot.press("e")
        await pilot.pause()
        await _record(pilot, app, "withdrawal")
        assert isinstance(app.screen, ClientScreen)
    db = connect(path)
    today_appt, next_appt = appdb.appointments_of_case(db, 1)
    assert today_appt["status"] == "held" and today_appt["event_id"]
    assert next_appt["status"] == "cancelled"
