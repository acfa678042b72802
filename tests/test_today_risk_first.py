"""Today puts risk first: an urgent task (an endorsed risk item, a breach decision due) sits above every admin task
whatever its date, and a risk task raised from a form is due the day it is entered, not the form's date."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest
from textual.widgets import Input

from db.connection import connect
from demo.generator import fill_demo
from records import casework, clients
from records.questionnaire_records import add_questionnaire
from records.views import tasks
from service.core import checklist_of
from tui.app import MhtrApp
from tui.client import ClientScreen
from tui.questionnaire_entry import QuestionnaireScreen
from tui.today import TodayScreen

TODAY = date(2026, 11, 20)  # a Friday


def test_a_risk_task_from_an_older_form_is_due_the_day_it_is_entered(db):
    ref = clients.add_client(db, {"name": "Robin Example", "dob": "1990-02-02"}, TODAY)
    casework.record_event(db, ref, "screening", "2026-11-16", {}, TODAY, checklist=checklist_of(db))
    stored = add_questionnaire(
        db, ref, "PHQ-9", [0, 0, 0, 0, 0, 0, 0, 0, 1], "2026-11-17", "pre", TODAY, checklist=checklist_of(db)
    )
    risk = next(t for t in tasks(db, TODAY, "week") if t["id"] == stored["risk_task_id"])
    assert risk["due"] == "2026-11-20" and not risk["overdue"]  # not born "3d late"


def test_urgent_tasks_come_before_every_admin_task_whatever_their_dates(db):
    ref = clients.add_client(db, {"name": "Robin Example", "dob": "1990-02-02"}, TODAY)
    casework.record_event(
        db, ref, "screening", "2026-11-09", {}, TODAY, checklist=checklist_of(db)
    )  # its admin is 9 days overdue by now
    for kind, data in (
        ("assessment", {}),
        ("cl-decision", {"decision": "approved"}),
        ("court-outcome", {"outcome": "accepted", "order": "CO", "sessions": 12}),
    ):
        casework.record_event(db, ref, kind, "2026-11-10", data, TODAY, checklist=checklist_of(db))
    for day in ("2026-11-17", "2026-11-19"):  # two unacceptable absences: the RO's breach decision falls due
        casework.record_event(
            db, ref, "session", day, {"outcome": "unacceptable-absence"}, TODAY, checklist=checklist_of(db)
        )
    rows = tasks(db, TODAY, "week")
    urgent = [t for t in rows if t["urgent"]]
    assert any(t["key"] == "session.breach-decision" for t in urgent)
    assert any(not t["urgent"] and t["due"] < min(u["due"] for u in urgent) for t in rows)  # older admin exists
    flags = [t["urgent"] for t in rows]
    assert flags == sorted(flags, reverse=True)  # every urgent task first, then the admin
    admin = [t["due"] for t in rows if not t["urgent"]]
    assert admin == sorted(admin)


def test_of_the_urgent_tasks_due_now_the_newest_comes_first(db):
    refs = []
    for name in ("Robin Example", "Jo Placeholder"):
        ref = clients.add_client(db, {"name": name, "dob": "1990-02-02"}, TODAY)
        casework.record_event(db, ref, "screening", "2026-11-16", {}, TODAY, checklist=checklist_of(db))
        refs.append(ref)
    older = add_questionnaire(
        db, refs[0], "PHQ-9", [0] * 8 + [2], "2026-11-16", "pre", date(2026, 11, 16), checklist=checklist_of(db)
    )
    newer = add_questionnaire(
        db, refs[1], "GAD-7", [1] * 7, "2026-11-20", "pre", TODAY, checklist=checklist_of(db)
    )  # no risk item: no task
    assert older["risk_task_id"] and newer["risk_task_id"] is None
    newest = add_questionnaire(
        db, refs[1], "PHQ-9", [0] * 8 + [1], "2026-11-20", "pre", TODAY, checklist=checklist_of(db)
    )
    rows = tasks(db, TODAY, "week")
    urgent = [t for t in rows if t["urgent"]]
    assert rows[: len(urgent)] == urgent and len(urgent) >= 2
    # the tasks the new form raised (in the checklist's order: the crisis plan first), then the older form's,
    # already overdue, still above all the admin
    assert urgent[0]["id"] == newest["risk_task_id"] and urgent[0]["key"] == "risk.assessment"
    assert urgent[0]["client"] == refs[1]
    split = next(i for i, t in enumerate(urgent) if t["client"] == refs[0])
    assert all(t["client"] == refs[1] for t in urgent[:split])
    assert urgent[split]["id"] == older["risk_task_id"] and urgent[split]["overdue"]


def test_newest_means_the_latest_day_not_the_last_row_stored(db):
    """A history entered out of order (the demo builds each client's in turn): today's risk still comes first."""
    today_ref = clients.add_client(db, {"name": "Robin Example", "dob": "1990-02-02"}, TODAY)
    old_ref = clients.add_client(db, {"name": "Jo Placeholder", "dob": "1990-02-02"}, TODAY)
    for ref in (today_ref, old_ref):
        casework.record_event(db, ref, "screening", "2026-11-10", {}, TODAY, checklist=checklist_of(db))
    today_form = add_questionnaire(
        db, today_ref, "PHQ-9", [0] * 8 + [1], "2026-11-20", "pre", TODAY, checklist=checklist_of(db)
    )
    old_form = add_questionnaire(
        db, old_ref, "PHQ-9", [0] * 8 + [2], "2026-11-13", "pre", date(2026, 11, 13), checklist=checklist_of(db)
    )
    assert old_form["risk_task_id"] > today_form["risk_task_id"]  # stored later, raised a week earlier
    first = tasks(db, TODAY, "week")[0]
    assert first["id"] == today_form["risk_task_id"] and first["due"] == "2026-11-20"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = connect(path, create=True)
    fill_demo(db, 24, 7, TODAY, datetime(2026, 11, 20, 12, 0), checklist=checklist_of(db))
    db.close()
    return path


async def test_an_endorsed_phq9_item_9_saved_now_is_the_first_row_of_today(demo_file, tmp_path):
    """On the demo caseload, whose Today opens on tasks up to a fortnight overdue."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        already = [t for t in app.screen.query_one("#today-tasks").tasks.values() if t["urgent"]]
        assert len(already) >= 2  # other urgent tasks are already on top
        app.open_client("MHTR-0014")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # PHQ-9, first in the picker
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)
        app.screen.query_one("#q-date", Input).value = "17/11/2026"  # filled in on Tuesday, entered on Friday
        await pilot.press(*"000000001", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        table = app.screen.query_one("#today-tasks")
        top = table.tasks[table.current_task_id()]
        assert table.cursor_row == 0 and top["client"] == "MHTR-0014"
        assert top["key"] == "risk.assessment" and top["urgent"] and top["due"] == "2026-11-20"
        due, _who, title = table.get_row_at(0)
        assert str(due) == "today" and str(title).startswith("! Risk identified")
