"""SVG snapshot of the Diary at 80x24 (regenerate with --snapshot-update after a deliberate change).

The week shown has every kind of row: sessions attended and missed, a cancelled and a moved appointment, booked
ones to come, two that overlap, and a day with nothing. None is on TODAY itself, so the picture does not depend on
the time of day the test runs.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from db.connection import connect
from records import appointments as ap
from records import casework, clients
from records import sessions as se
from service.core import checklist_of
from tui.app import MhtrApp

TODAY = date(2026, 11, 20)  # Friday
BOOKED_ON = datetime(2026, 11, 2, 9, 0)

CLIENTS = (
    ("Carmen Testcase", "Sam Fletcher"),
    ("Dev Placeholder", "Jo Whitaker"),
    ("Robin Synthetic", "Sam Fletcher"),
)


@pytest.fixture
def diary_app(tmp_path):
    path = tmp_path / "snap.db"
    db = connect(path, create=True)
    refs = []
    for name, ro in CLIENTS:
        ref = clients.add_client(db, {"name": name, "dob": "1990-01-01", "ro_name": ro}, TODAY)
        for kind, data in (
            ("assessment", {}),
            ("cl-decision", {"decision": "approved"}),
            ("court-outcome", {"outcome": "accepted", "order": "CO", "sessions": 12}),
            ("case-meeting", {}),
        ):
            casework.record_event(db, ref, kind, "2026-10-26", data, TODAY, checklist=checklist_of(db))
        refs.append(ref)
    carmen, dev, robin = refs

    def book(ref, when, **kw):
        if kw.get("mode", "in person") == "in person":
            kw["place"] = "Brook House"
        start = datetime.fromisoformat(when)
        return ap.book_appointment(db, ref, start, now=BOOKED_ON, checklist=checklist_of(db), **kw)

    se.record_attendance(
        db, book(carmen, "2026-11-16 10:00"), "attended", summary="Sleep", today=TODAY, checklist=checklist_of(db)
    )
    se.record_attendance(
        db, book(dev, "2026-11-16 14:00", mode="phone"), "unacceptable-absence", today=TODAY, checklist=checklist_of(db)
    )
    ap.cancel_appointment(
        db, book(robin, "2026-11-17 11:00"), by="client", reason="unwell", today=TODAY, checklist=checklist_of(db)
    )
    book(carmen, "2026-11-18 10:00")  # past, outcome not yet recorded
    moved = book(dev, "2026-11-19 09:30", mode="video")
    ap.move_appointment(db, moved, datetime(2026, 11, 23, 9, 30), now=BOOKED_ON)
    book(robin, "2026-11-21 10:00")
    book(carmen, "2026-11-22 10:30", mode="phone", allow_overlap=True)
    book(dev, "2026-11-22 11:00", allow_overlap=True)
    db.close()
    return MhtrApp(db_path=path, today=TODAY)


def test_diary_snapshot(snap_compare, diary_app):
    assert snap_compare(diary_app, press=["w", "up", "up", "up"], terminal_size=(80, 24))
