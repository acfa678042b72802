"""The Diary driven from the keyboard (Textual Pilot): move between weeks, book a series, refuse an overlap, a past
date and an unknown case without writing anything, move and cancel, record attendance with the session log, copy
the health-system entry and share the week with probation.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import DataTable, Input, Static, TextArea

from db import appointments as appdb
from db.connection import connect
from db.records import questionnaires_of_case
from records import appointments as ap
from records import casework, clients
from records import diary_views as dv
from records.health_entry import health_entry_for_appointment
from service.core import checklist_of
from tests.conftest import snapshot_counts
from tui.app import MhtrApp
from tui.diary import DiaryScreen
from tui.diary_cells import short_name
from tui.diary_forms import BookScreen
from tui.prompts import ConfirmPrompt, TextPrompt
from tui.session_forms import EntryScreen, OutcomePicker, SessionLogScreen

TODAY = date(2026, 11, 20)  # a Friday
BEFORE = datetime(2026, 11, 10, 9, 0)  # when the existing appointments were booked


def diary_db(path) -> dict:
    """Two synthetic clients sentenced on 2 November, with appointments either side of TODAY."""
    db = connect(path, create=True)
    refs = []
    for name, ro in (("Robin Synthetic", "Sam Officer"), ("Jo Placeholder", "Alex Warden")):
        ref = clients.add_client(db, {"name": name, "dob": "1987-03-14", "ro_name": ro}, TODAY)
        for kind, data in (
            ("screening", {}),
            ("assessment", {}),
            ("cl-decision", {"decision": "approved"}),
            ("court-outcome", {"outcome": "accepted", "order": "CO", "sessions": 12}),
        ):
            casework.record_event(db, ref, kind, "2026-11-02", data, TODAY, checklist=checklist_of(db))
        refs.append(ref)
    ids = {
        "past": ap.book_appointment(
            db, refs[0], datetime(2026, 11, 18, 10, 0), place="Brook House", now=BEFORE, checklist=checklist_of(db)
        ),
        "monday": ap.book_appointment(
            db, refs[1], datetime(2026, 11, 23, 14, 0), mode="phone", now=BEFORE, checklist=checklist_of(db)
        ),
        "tuesday": ap.book_appointment(
            db, refs[1], datetime(2026, 11, 24, 11, 0), mode="video", now=BEFORE, checklist=checklist_of(db)
        ),
    }
    db.close()
    return {"refs": refs, "ids": ids}


@pytest.fixture
def setup(tmp_path):
    path = tmp_path / "diary.db"
    data = diary_db(path)
    return path, data


async def _type(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def _fill(pilot, app, field_id: str, text: str) -> None:
    box = app.screen.query_one(f"#{field_id}", Input)
    box.focus()
    box.value = ""
    await _type(pilot, text)


def _to_row(app, key: str) -> None:
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(key))


def _week_label(app) -> str:
    return str(app.screen.query_one("#diary-week", Static).render())


def _counts(path) -> dict[str, int]:
    db = connect(path)
    try:
        return snapshot_counts(db)
    finally:
        db.close()


async def _open_diary(pilot, app) -> None:
    await pilot.pause()
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, DiaryScreen)


async def test_weeks_move_and_enter_opens_the_client(setup):
    path, data = setup
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diary(pilot, app)
        assert "Week of Monday 16 November 2026" in _week_label(app)
        table = app.screen.query_one(DataTable)
        assert f"a:{data['ids']['past']}" in [r.key.value for r in table.ordered_rows]
        await pilot.press("right_square_bracket")
        assert "Week of Monday 23 November 2026" in _week_label(app)
        keys = [r.key.value for r in table.ordered_rows]
        assert keys.index(f"a:{data['ids']['monday']}") < keys.index(f"a:{data['ids']['tuesday']}")
        await pilot.press("left", "left")
        assert "Week of Monday 9 November 2026" in _week_label(app)
        assert not any(k.startswith("a:") for k in (r.key.value for r in table.ordered_rows))
        await pilot.press("home")
        assert "Week of Monday 16 November 2026" in _week_label(app)
        _to_row(app, f"a:{data['ids']['past']}")
        detail = str(app.screen.query_one("#diary-detail", Static).render())
        assert "Robin Synthetic" in detail and "Outcome not yet recorded" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.ref == data["refs"][0]
        await pilot.press("escape")
        assert isinstance(app.screen, DiaryScreen)


async def test_book_a_series_then_refuse_overlap_past_and_unknown(setup):
    path, data = setup
    app = MhtrApp(db_path=path, today=TODAY)
    ref = data["refs"][0]
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diary(pilot, app)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BookScreen)
        await _fill(pilot, app, "b-ref", ref.lower())
        await _fill(pilot, app, "b-date", "25/11/2026")
        await _fill(pilot, app, "b-time", "9:30am")
        await _fill(pilot, app, "b-place", "Brook House")
        await _fill(pilot, app, "b-count", "12")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        # The diary jumps to the first of the series with the cursor on it.
        assert "Week of Monday 23 November 2026" in _week_label(app)
        row = app.screen.current_row()
        assert row["ref"] == ref and row["time"] == "09:30" and row["where"] == "Brook House"

        db = connect(path)
        series = [a for a in dv.case_appointments(db, ref, datetime(2026, 11, 20, 12, 0)) if a["series"]]
        db.close()
        assert len(series) == 12
        # Wednesdays from 25/11: no bank holiday falls on one before February, so nothing is skipped.
        assert series[0]["date"] == "2026-11-25" and series[-1]["date"] == "2027-02-10"

        before = _counts(path)
        # An overlap with Jo's phone call on Monday 23rd at 14:00: asked, and "n" books nothing.
        await pilot.press("b")
        await pilot.pause()
        await _fill(pilot, app, "b-ref", ref)
        await _fill(pilot, app, "b-date", "23/11/2026")
        await _fill(pilot, app, "b-time", "14:30")
        await _fill(pilot, app, "b-place", "Brook House")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmPrompt)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, BookScreen)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "overlaps MHTR-0002's appointment 23/11/2026 14:00-15:00" in error and "not booked" in error
        assert _counts(path) == before

        # A day already past, then a case that does not exist: one line each, nothing written.
        await _fill(pilot, app, "b-date", "19/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is in the past" in str(app.screen.query_one("#form-error", Static).render())
        await _fill(pilot, app, "b-date", "30/11/2026")
        await _fill(pilot, app, "b-ref", "MHTR-0099")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "no case 'MHTR-0099'" in str(app.screen.query_one("#form-error", Static).render())
        await _fill(pilot, app, "b-time", "25:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a time of day" in str(app.screen.query_one("#form-error", Static).render())
        assert _counts(path) == before
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)

        # The overlap booked after saying yes.
        await pilot.press("b")
        await pilot.pause()
        await _fill(pilot, app, "b-ref", ref)
        await _fill(pilot, app, "b-date", "23/11/2026")
        await _fill(pilot, app, "b-time", "14:30")
        await _fill(pilot, app, "b-place", "Brook House")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        assert app.screen.current_row()["clash"] is True
        assert "2 overlapping" in _week_label(app)


async def test_move_and_cancel_from_the_diary(setup):
    path, data = setup
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diary(pilot, app)
        await pilot.press("right_square_bracket")
        _to_row(app, f"a:{data['ids']['monday']}")
        await pilot.press("v")
        await pilot.pause()
        await _fill(pilot, app, "m-date", "26/11/2026")
        await _fill(pilot, app, "m-reason", "client at work")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        moved = app.screen.current_row()
        assert moved["date"] == "2026-11-26" and moved["time"] == "14:00" and moved["mode"] == "phone"
        old = app.screen.rows[f"a:{data['ids']['monday']}"]
        assert old["attendance"] == "Rescheduled" and old["moved_to"] == moved["id"]

        # A moved appointment cannot be moved again; the new one can be cancelled, with the reason kept.
        _to_row(app, f"a:{data['ids']['monday']}")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        _to_row(app, f"a:{moved['id']}")
        await pilot.press("x")
        await pilot.pause()
        await _fill(pilot, app, "c-reason", "practitioner unwell")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        row = app.screen.rows[f"a:{moved['id']}"]
        assert row["status"] == "cancelled" and row["reason"] == "practitioner unwell"
        assert row["attendance"] == "Cancelled by service"


async def test_record_attendance_copy_the_entry_and_share_the_week(setup, tmp_path):
    path, data = setup
    app = MhtrApp(db_path=path, today=TODAY)
    aid = data["ids"]["past"]
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diary(pilot, app)
        assert "1 to record" in _week_label(app)
        _to_row(app, f"a:{aid}")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OutcomePicker)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SessionLogScreen)
        for key, text in (
            ("risk", "No current risk to self or others"),
            ("summary", "Worked on sleep"),
            ("plan", "Sleep diary; next week"),
        ):
            area = app.screen.query_one(f"#l-{key}", TextArea)
            area.focus()
            await _type(pilot, text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        shown = str(app.screen.query_one("#entry-text", Static).render())
        assert shown.startswith("MHTR treatment session 1 of 12 - 18/11/2026 10:00 (60 min, in person at Brook House)")
        assert "Risk: No current risk to self or others" in shown and "Plan: Sleep diary; next week" in shown
        # s adds the PHQ-9 done in the session (dated the session's day); the entry then lists it with its score.
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # PHQ-9 is first in the list
        await pilot.pause()
        assert str(app.screen.query_one("#q-date", Input).value) == "18/11/2026"
        # the session's own number, not a bare "session" (a form of session 1 would not count as session 1)
        assert app.screen.query_one("#q-timepoint").value == "session"
        assert app.screen.query_one("#q-session", Input).value == "1"
        await pilot.press(*"211101100", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.text.splitlines()[-1] == "Questionnaires: PHQ-9 7 (mild)"
        assert "Questionnaires: PHQ-9 7 (mild)" in str(app.screen.query_one("#entry-text", Static).render())
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == app.screen.text
        assert "copied to the terminal" in str(app.screen.query_one("#entry-status", Static).render()).lower()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        row = app.screen.rows[f"a:{aid}"]
        assert row["attendance"] == "Attended and complied" and row["session"] == "1 of 12"
        assert "to record" not in _week_label(app)

        db = connect(path)
        entry = health_entry_for_appointment(db, aid)
        assert appdb.get_appointment(db, aid)["status"] == "held"
        [phq9] = questionnaires_of_case(db, 1)
        assert (phq9["timepoint"], phq9["date"]) == ("session-1", "2026-11-18")
        db.close()
        assert entry == app.clipboard

        # y on the diary copies the entry again; on a booked appointment it says there is none yet.
        app.copy_to_clipboard("")
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == entry

        # o on a recorded session refuses (it is no longer booked) and opens nothing.
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)

        out = tmp_path / "share"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        box = app.screen.query_one(Input)
        assert box.value.endswith("weekly-share")
        box.value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        docx = out / "mhtr-attendance-week-2026-11-16-sam-officer.docx"  # one pair per Responsible Officer
        csv = out / "mhtr-attendance-week-2026-11-16-sam-officer.csv"
        assert docx.exists() and csv.exists()
        assert "Attended and complied" in csv.read_text(encoding="utf-8-sig")
        assert "No current risk" not in csv.read_text(encoding="utf-8-sig")  # clinical notes stay out
        assert "weekly diary task done" in str(app.screen.query_one("#diary-detail", Static).render())


def test_short_name():
    assert short_name("Carmen Testcase") == "Carmen T"
    assert short_name("Bartholomew Example") == "Bartho… E"
    assert short_name("Rebecca Garside") == "Rebecca G"
    assert short_name("Cher") == "Cher"
    assert short_name(None) == ""


async def test_task_keys_open_the_diary_and_the_health_entry(setup):
    """On Today, a on the weekly diary task opens the Diary at that week (escape comes back); a on a session's
    health-system entry task shows that session's entry, and y copies it.
    """
    from db import tasks as taskdb
    from records.sessions import record_attendance
    from records.task_actions import ensure_recurring
    from tui.task_table import TaskTable
    from tui.today import TodayScreen

    path, data = setup
    db = connect(path)
    record_attendance(
        db, data["ids"]["past"], "attended", summary="Sleep hygiene", today=TODAY, checklist=checklist_of(db)
    )
    ensure_recurring(db, TODAY, checklist=checklist_of(db))
    by_key = {t["key"]: t for t in taskdb.tasks_due(db, until=TODAY)}  # this week's diary task, due Friday 20th
    entry = health_entry_for_appointment(db, data["ids"]["past"])
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(TaskTable)
        table.move_cursor(row=table.get_row_index(str(by_key["weekly.diary"]["id"])))
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        assert "Week of Monday 16 November 2026" in _week_label(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        table = app.screen.query_one(TaskTable)
        table.move_cursor(row=table.get_row_index(str(by_key["session.health-entry"]["id"])))
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen) and app.screen.text == entry
        assert "Summary: Sleep hygiene" in entry
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == entry
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_an_outcome_before_the_appointment_is_refused_before_asking(setup):
    # Deliberately changed: o used to open the picker and the log form, refusing only on ctrl+s after the notes
    # were typed; now it says at once why (the same words as the domain's refusal) and asks nothing.
    path, data = setup
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diary(pilot, app)
        before = _counts(path)  # after start-up has made the week's own tasks
        await pilot.press("right")
        _to_row(app, f"a:{data['ids']['monday']}")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        assert any(
            n.message == "that appointment is on 23/11/2026 at 14:00; record what happened once it has started"
            for n in app._notifications
        )
        assert app.screen.current_row()["attendance"] == "Booked"
        assert _counts(path) == before


def _dialog_lines(app) -> list[str]:
    """The lines of the open prompt's question as the screen lays them out (a Label does not wrap)."""
    from textual.widgets import Label

    return str(app.screen.query_one(Label).render()).splitlines()


async def test_the_share_prompt_and_the_overlap_question_fit_at_80_columns(setup):
    # The share prompt lost "into folder" and lowercased the week ("week of monday 30 november 2026"); the
    # overlap question was cut at "...17/12/2026 10:" and named only the first of two clashes.
    from tui.prompts import DIALOG_TEXT_WIDTH

    path, data = setup
    db = connect(path)  # Robin at 10:00 and Jo at 10:30 on Thursday 26th: a booking at 10:15 meets both
    robin, jo = data["refs"]
    ap.book_appointment(
        db, robin, datetime(2026, 11, 26, 10, 0), place="Brook House", now=BEFORE, checklist=checklist_of(db)
    )
    ap.book_appointment(
        db, jo, datetime(2026, 11, 26, 10, 30), mode="phone", allow_overlap=True, now=BEFORE, checklist=checklist_of(db)
    )
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diary(pilot, app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        title = app.screen.title_text
        assert title == "Share the week of Monday 16 November 2026 (Word, CSV) into folder"
        assert len("Share the week of Monday 30 September 2026 (Word, CSV) into folder") <= DIALOG_TEXT_WIDTH
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("b")
        await pilot.pause()
        await _fill(pilot, app, "b-ref", robin)
        await _fill(pilot, app, "b-date", "26/11/2026")
        await _fill(pilot, app, "b-time", "10:15")
        await _fill(pilot, app, "b-place", "Brook House")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmPrompt)
        lines = _dialog_lines(app)
        assert all(len(line) <= DIALOG_TEXT_WIDTH for line in lines), lines
        text = " ".join(lines)
        assert "26/11/2026 10:15-11:15 overlaps MHTR-0001's appointment 26/11/2026 10:00-11:00" in text
        assert "2 clashes in all" in text and lines[-1] == "Book it anyway?"
        await pilot.press("n")
        await pilot.pause()
