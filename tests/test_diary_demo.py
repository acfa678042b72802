"""The demo caseload has a diary: past sessions booked then recorded, the next ones booked for cases still in their
order, one left to record, no two appointments at once, and the same diary again for the same seed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from db import appointments as appdb
from db import records as records_db
from db.connection import connect
from demo.generator import fill_demo
from records import appointments as ap
from records import diary_views as dv
from records.views import case_states
from service.core import checklist_of

TODAY = date(2026, 11, 20)  # a Friday
NOW = datetime(2026, 11, 20, 8, 0)


def _diary(path) -> list[tuple]:
    db = connect(path, create=True)
    try:
        fill_demo(db, 24, 7, TODAY, checklist=checklist_of(db))
        rows = appdb.appointments_between(db, "2000-01-01T00:00", "2100-01-01T00:00")
        return [(r["ref"], r["starts_at"], r["mode"], r["place"], r["status"], r["event_id"] is not None) for r in rows]
    finally:
        db.close()


def test_demo_diary_is_full_consistent_and_repeatable(tmp_path):
    first = _diary(tmp_path / "a.db")
    assert first == _diary(tmp_path / "b.db")

    db = connect(tmp_path / "a.db")
    week = dv.week_view(db, TODAY, NOW)
    rows = [r for d in week["days"] for r in d["rows"]]
    assert rows, "the demo Diary has this week's appointments"
    assert week["awaiting_outcome"] == 1 and week["clashes"] == 0
    held = [r for r in rows if r["status"] == "held"]
    assert held and all(r["attendance"] != "Outcome not yet recorded" for r in held)

    # Every recorded session sits on an appointment of the same day, and nothing overlaps anywhere.
    everything = appdb.appointments_between(db, "2000-01-01T00:00", "2100-01-01T00:00")
    linked = {a["event_id"] for a in everything if a["event_id"]}
    sessions = [e for evs in records_db.events_for_cases(db).values() for e in evs if e["kind"] == "session"]
    assert {e["id"] for e in sessions} == linked
    for a in everything:
        assert not ap.overlaps(ap.from_iso(a["starts_at"]), a["duration_min"], everything, exclude=a["id"])

    # Cases still in their order have their next session booked after today; closed ones have nothing ahead.
    upcoming = dv.next_appointments(db, NOW)
    states = case_states(db)
    for c in records_db.list_cases(db):
        st = states.get(c["case_id"])
        if st is not None and st.in_order:
            assert c["ref"] in upcoming, c["ref"]
            assert upcoming[c["ref"]]["date"] > TODAY.isoformat()
        elif st is not None and st.closed:
            assert c["ref"] not in upcoming
    # Booked sessions fall on working days, weekly or fortnightly.
    for a in everything:
        assert ap.from_iso(a["starts_at"]).weekday() < 5
    assert min(ap.from_iso(a["starts_at"]) for a in everything if a["status"] == "booked") < NOW + timedelta(days=7)
    db.close()
