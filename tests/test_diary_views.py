"""What the Today, Caseload and Client screens show from the diary: the next appointment, the RO breach-decision
deadline after a second unacceptable absence (across a weekend) and the guidance clocks still running.
"""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import DataTable, Static

from db import tasks as taskdb
from db.connection import connect
from records import appointments as ap
from records import casework, clients, task_actions
from records import clocks as ck
from records import sessions as se
from service.core import checklist_of
from tests.conftest import BREACH_KEY, CHECKLIST
from tests.test_diary_pilot import BEFORE, TODAY, diary_db
from tui.app import MhtrApp
from tui.glances import clocks_line, diary_line

NOW = datetime(2026, 11, 20, 9, 0)


def _absences(db, ref: str) -> None:
    """Two unacceptable absences; the second on Wednesday 18 November."""
    se.log_session(db, ref, "2026-11-11", "unacceptable-absence", today=TODAY, checklist=checklist_of(db))
    se.log_session(db, ref, "2026-11-18", "unacceptable-absence", today=TODAY, checklist=checklist_of(db))


def test_glance_next_appointment_and_todays_count(tmp_path):
    data = diary_db(tmp_path / "d.db")
    db = connect(tmp_path / "d.db")
    glance = se.diary_glance(db, NOW, CHECKLIST)
    assert glance["next"]["ref"] == data["refs"][1] and glance["next"]["starts_at"] == "2026-11-23T14:00"
    assert glance["booked_today"] == 0 and glance["breach"] == []
    ap.book_appointment(
        db, data["refs"][0], datetime(2026, 11, 20, 15, 0), place="Brook House", now=BEFORE, checklist=checklist_of(db)
    )
    glance = se.diary_glance(db, NOW, CHECKLIST)
    assert glance["next"]["starts_at"] == "2026-11-20T15:00" and glance["booked_today"] == 1
    line = diary_line(glance, TODAY)
    assert "Next: [b]today 15:00[/b] MHTR-0001 RS, Brook House" in line and "1 today" in line
    # Past the last booking of the day, the next one is Monday's.
    glance = se.diary_glance(db, datetime(2026, 11, 20, 16, 30), CHECKLIST)
    assert glance["next"]["starts_at"] == "2026-11-23T14:00" and glance["booked_today"] == 1
    db.close()


def test_breach_deadline_shown_until_the_ro_decision_is_recorded(tmp_path):
    data = diary_db(tmp_path / "d.db")
    ref = data["refs"][0]
    db = connect(tmp_path / "d.db")
    _absences(db, ref)
    alerts = se.diary_glance(db, NOW, CHECKLIST)["breach"]
    # 6th working day after Wednesday 18/11: 19, 20, 23, 24, 25, 26 -> Thursday 26 November.
    assert [(a["ref"], a["due"], a["status"]) for a in alerts] == [(ref, "2026-11-26", "warning")]
    assert "! RO breach decision MHTR-0001 by Thu 26/11" in diary_line(se.diary_glance(db, NOW, CHECKLIST), TODAY)
    assert any(c["key"] == BREACH_KEY for c in se.case_glance(db, ref, NOW, CHECKLIST)["clocks"])
    case = clients.require_case(db, ref)
    decision = [
        t for t in taskdb.tasks_due(db, until=None, case_id=case["case_id"]) if t["key"] == BREACH_KEY
    ]
    assert decision, "the second absence makes the RO breach-decision task"
    task_actions.tick(db, decision[0]["id"])
    assert ck.breach_alerts(db, TODAY, CHECKLIST) == []
    assert not any(c["key"] == BREACH_KEY for c in se.case_glance(db, ref, NOW, CHECKLIST)["clocks"])
    db.close()


def test_case_glance_clocks_still_running(tmp_path):
    data = diary_db(tmp_path / "d.db")
    ref = data["refs"][0]
    db = connect(tmp_path / "d.db")
    glance = se.case_glance(db, ref, NOW, CHECKLIST)
    assert glance["next"] is None  # the only appointment (18/11) is past
    by_key = {c["key"]: c for c in glance["clocks"]}
    # Sentenced 2/11: the case meeting was due 16/11 and is missed; the first session is due 14/12.
    meeting = by_key["outcome.case-meeting"]
    assert meeting["status"] == "missed" and meeting["due"] == "2026-11-16"
    assert by_key["outcome.first-session"]["due"] == "2026-12-14" and by_key["outcome.first-session"]["status"] == "ok"
    line = clocks_line(glance, TODAY)
    assert "[b red]! Case meeting due 16/11[/]" in line and "1st session by 14/12" in line
    casework.record_event(db, ref, "case-meeting", "2026-11-16", {}, TODAY, checklist=checklist_of(db))
    se.log_session(db, ref, "2026-11-18", "attended", today=TODAY, checklist=checklist_of(db))
    glance = se.case_glance(db, ref, NOW, CHECKLIST)
    # Both met now: neither shown. No consent was recorded, so no renewal clock either.
    assert glance["clocks"] == []
    assert clocks_line(glance, TODAY) == ""
    # A warning a week before the first session deadline on the other case.
    other = data["refs"][1]
    near = se.case_glance(db, other, datetime(2026, 12, 8, 9, 0), CHECKLIST)
    assert {c["key"]: c["status"] for c in near["clocks"]}["outcome.first-session"] == "warning"
    db.close()


async def test_today_caseload_and_client_show_the_diary(tmp_path):
    path = tmp_path / "d.db"
    data = diary_db(path)
    db = connect(path)
    _absences(db, data["refs"][0])
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one("#today-diary", Static).render())
        assert "Next: Mon 23/11 14:00 MHTR-0002 JP, Phone" in line
        assert "! RO breach decision MHTR-0001 by Thu 26/11" in line
        await pilot.press("c")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.get_row(data["refs"][1])[4] == "23/11 14:00"
        assert table.get_row(data["refs"][0])[4] == ""
        app.open_client(data["refs"][1])
        await pilot.pause()
        summary = str(app.screen.query_one("#client-summary", Static).render()).splitlines()
        assert summary[2].startswith("Next: Mon 23/11 14:00 Phone")
        assert "! Case meeting due 16/11" in summary[2]


async def test_today_without_appointments_has_no_diary_line(tmp_path):
    path = tmp_path / "empty.db"
    db = connect(path, create=True)
    clients.add_client(db, {"name": "Avery Synthetic", "dob": "1986-02-11"}, TODAY)
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#today-diary", Static).display is False


def test_glance_on_a_date_without_bookings_is_empty(db):
    assert se.diary_glance(db, datetime.combine(date(2026, 11, 20), datetime.min.time()), CHECKLIST) == {
        "next": None,
        "booked_today": 0,
        "breach": [],
    }
