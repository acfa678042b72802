"""Completion recorded from the Diary's session log ("Record completion too") carries the completion's own details,
the event form's fields from the one registry (accommodation at the end, referrals and signposting), checked the
same way: without them a completion from the Diary left the monthly return's end-of-treatment measures blank."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import Checkbox, Select, Static

from db.connection import connect
from db.records import events_of_case, get_case
from records import appointments as ap
from records import casework, clients
from service.core import checklist_of
from tests.conftest import snapshot_counts
from tui.app import MhtrApp
from tui.diary import DiaryScreen
from tui.session_forms import EntryScreen, OutcomePicker, SessionLogScreen
from vocabulary.event_kinds import KINDS

TODAY = date(2026, 11, 20)


@pytest.fixture
def last_session(tmp_path):
    """A synthetic client with one planned session, booked on 18 November: the session logged is the final one."""
    path = tmp_path / "diary.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Robin Synthetic", "dob": "1987-03-14", "ro_name": "Sam Officer"}, TODAY)
    for kind, data in (
        ("screening", {}),
        ("assessment", {}),
        ("cl-decision", {"decision": "approved"}),
        ("court-outcome", {"outcome": "accepted", "order": "CO", "sessions": 1}),
    ):
        casework.record_event(db, ref, kind, "2026-11-02", data, TODAY, checklist=checklist_of(db))
    aid = ap.book_appointment(
        db, ref, datetime(2026, 11, 18, 10, 0), place="Brook House", now=datetime(2026, 11, 10, 9, 0),
        checklist=checklist_of(db),
    )
    db.close()
    return path, ref, aid


def _events(path, ref: str) -> list[dict]:
    db = connect(path)
    try:
        return events_of_case(db, get_case(db, ref)["case_id"])
    finally:
        db.close()


def _counts(path) -> dict[str, int]:
    db = connect(path)
    try:
        return snapshot_counts(db)
    finally:
        db.close()


async def _session_log(pilot, app, aid: int) -> SessionLogScreen:
    await pilot.pause()
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, DiaryScreen)
    table = app.screen.query_one("DataTable")
    table.move_cursor(row=table.get_row_index(f"a:{aid}"))
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(app.screen, OutcomePicker)
    await pilot.press("1")
    await pilot.pause()
    assert isinstance(app.screen, SessionLogScreen)
    return app.screen


async def _tick(pilot, screen, widget_id: str) -> None:
    screen.query_one(f"#{widget_id}", Checkbox).focus()
    await pilot.press("space")
    await pilot.pause()


async def test_record_completion_too_asks_for_the_completions_details_and_records_them(last_session):
    path, ref, aid = last_session
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _session_log(pilot, app, aid)
        completion_rows = list(form.query(".completion-field"))
        # the completion kind's own fields, every one of them, and nothing else: one registry
        assert {w.id for row in completion_rows for w in row.query("Select, Checkbox")} == {
            f"e-{f.name}" for f in KINDS["completion"].fields
        }
        assert not any(row.display for row in completion_rows)  # out of the way until the box is ticked
        await _tick(pilot, form, "l-complete")
        assert all(row.display for row in completion_rows)
        place = form.query_one("#e-accommodation_end", Select)
        place.focus()
        await pilot.press("enter", "down", "down", "down", "enter")  # past the blank: settled, family, supported
        await pilot.pause()
        assert place.value == "supported"
        await _tick(pilot, form, "e-referred_housing")
        await _tick(pilot, form, "e-referred_therapy")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        await pilot.press("escape")
        await pilot.pause()
    completion = [e for e in _events(path, ref) if e["kind"] == "completion"]
    assert len(completion) == 1 and completion[0]["date"] == "2026-11-18"
    details = {"accommodation_end": "supported", "referred_therapy": True, "referred_housing": True}
    assert completion[0]["data"] == details


async def test_completion_details_the_event_form_refuses_are_refused_here_and_nothing_is_written(last_session):
    path, ref, aid = last_session
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _session_log(pilot, app, aid)
        before = _counts(path)
        await _tick(pilot, form, "l-complete")
        await _tick(pilot, form, "e-referred_housing")
        await _tick(pilot, form, "e-referred_none")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, saying why
        error = str(form.query_one("#form-error", Static).render())
        assert error == 'completion: "no referral or signposting" is ticked together with a service; untick one'
        # unticking "record completion too" records the session alone, without the completion's details
        await _tick(pilot, form, "l-complete")
        assert _counts(path) == before  # the refused save wrote nothing, the session included
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
    kinds = [e["kind"] for e in _events(path, ref)]
    assert kinds.count("session") == 1 and "completion" not in kinds
