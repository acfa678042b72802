"""A completion recorded while sessions are still booked asks the practitioner to keep them as extra sessions (seed
004: consider 1-3 additional sessions after completion) or cancel them: before, they stayed in the Diary, the
Client screen's "Next:" and the weekly share to the RO, and nothing said so. The checklist item
``completion.bookings-ahead`` (condition ``booked-ahead``, a fact ``records.casework.case_facts`` reads from the
Diary) is raised by the completion, from the event form and from the Diary's session log alike."""

from __future__ import annotations

from datetime import date, datetime

from db.connection import connect
from db.tasks import open_tasks_of_case
from records import appointments as ap
from records import casework, clients, sessions
from records.clients import require_case
from service.core import checklist_of
from tests.conftest import made

TODAY = date(2026, 12, 8)
NOW = datetime(2026, 12, 8, 9, 0)
KEY = "completion.bookings-ahead"


def _in_treatment(db, name: str = "Robin Synthetic") -> str:
    """A synthetic client sentenced on 2 November 2026 to 3 sessions, two of them attended."""
    ref = clients.add_client(db, {"name": name, "dob": "1987-03-14", "ro_name": "Sam Officer"}, TODAY)
    for kind, when, data in (
        ("screening", "2026-11-02", {}),
        ("assessment", "2026-11-02", {}),
        ("cl-decision", "2026-11-02", {"decision": "approved"}),
        ("court-outcome", "2026-11-02", {"outcome": "accepted", "order": "CO", "sessions": 3}),
        ("session", "2026-11-16", {"outcome": "attended"}),
        ("session", "2026-11-23", {"outcome": "attended"}),
    ):
        casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))
    return ref


def _book(db, ref: str, when: datetime) -> int:
    return ap.book_appointment(db, ref, when, place="Brook House", now=datetime(2026, 11, 30, 9, 0),
                               checklist=checklist_of(db))


def _asked(db, ref: str) -> list[dict]:
    case_id = require_case(db, ref)["case_id"]
    return [t for t in open_tasks_of_case(db, case_id) if t["key"] == KEY]


def test_a_completion_with_sessions_booked_ahead_asks_to_keep_or_cancel_them(db):
    ref = _in_treatment(db)
    _book(db, ref, datetime(2026, 12, 9, 13, 0))
    _book(db, ref, datetime(2026, 12, 16, 13, 0))
    casework.record_event(db, ref, "completion", TODAY, {}, TODAY, checklist=checklist_of(db))
    [task] = _asked(db, ref)
    assert task["title"] == (
        "Sessions still booked after completion: keep them as extra sessions (up to 3) or cancel them in the Diary"
    )
    assert task["due"] == "2026-12-08" and task["action"] == "diary"


def test_a_completion_with_nothing_booked_ahead_asks_nothing(db):
    ref = _in_treatment(db)
    _book(db, ref, datetime(2026, 12, 1, 13, 0))  # before the completion: not ahead of it
    other = _in_treatment(db, "Jo Synthetic")
    _book(db, other, datetime(2026, 12, 10, 13, 0))  # another client's booking is not this case's
    casework.record_event(db, ref, "completion", TODAY, {}, TODAY, checklist=checklist_of(db))
    assert _asked(db, ref) == []


def test_the_final_session_logged_with_completion_counts_only_the_bookings_after_it(db):
    """The Diary's "Record completion too": the final session's own appointment is held by then, not ahead."""
    ref = _in_treatment(db)
    final = _book(db, ref, datetime(2026, 12, 7, 10, 0))
    sessions.log_session(db, None, None, "attended", appointment_id=final, final=True, complete=True,
                         today=TODAY, now=NOW, checklist=checklist_of(db))
    assert _asked(db, ref) == []

    other = _in_treatment(db, "Jo Synthetic")
    final = _book(db, other, datetime(2026, 12, 7, 11, 0))
    _book(db, other, datetime(2026, 12, 14, 11, 0))
    sessions.log_session(db, None, None, "attended", appointment_id=final, final=True, complete=True,
                         today=TODAY, now=NOW, checklist=checklist_of(db))
    assert len(_asked(db, other)) == 1


async def test_today_lists_it_after_completion_is_recorded_on_the_event_form(tmp_path):
    """In the app: e on the client, Completion, ctrl+s; then Today (t) holds the task, and a opens the Diary on
    the week with the booking still in it."""
    from textual.widgets import Select

    from tui.app import MhtrApp
    from tui.diary import DiaryScreen
    from tui.forms import EventScreen

    path = made(tmp_path / "pilot.db")
    db = connect(path)
    ref = _in_treatment(db)
    _book(db, ref, datetime(2026, 12, 10, 13, 0))
    db.close()

    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client(ref)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        app.screen.query_one("#e-kind", Select).value = "completion"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        titles = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        row = next(i for i, t in enumerate(titles) if t.startswith("Sessions still booked after completion"))
        table.move_cursor(row=row)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        diary = app.screen.query_one("DataTable")
        assert any(ref in str(diary.get_row_at(i)) for i in range(diary.row_count))
