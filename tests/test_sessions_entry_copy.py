"""Copying a session's health-system entry (``y`` in the app, ``--copy`` on the command line) ticks that session's
"Health system entry" task: the copy is the app's part of that work. Nothing is ticked when no clipboard took it."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from db.connection import connect
from records import appointments as ap
from service.clock import Clock
from service.core import Service, checklist_of
from tests.sessions_support import all_tasks, sentenced_case

TODAY = date(2026, 11, 20)
ENTRY_KEY = "session.health-entry"


def _entry_tasks(db, ref: str) -> dict[int, str]:
    """event id -> status of the case's health-system entry tasks."""
    return {t["event_id"]: t["status"] for t in all_tasks(db, ref) if t["key"] == ENTRY_KEY}


def test_copying_ticks_that_sessions_task_only(db):
    ref = sentenced_case(db)
    service = Service(db, Clock.fixed(TODAY))
    first = service.record(ref, "session", "2026-11-12", {"risk": "None raised."}).session.event_id
    second = service.record(ref, "session", "2026-11-19", {}).session.event_id
    copied: list[str] = []
    text, message, ticked = service.copy_health_entry(second, copied.append)
    assert copied == [text] and text.startswith("MHTR treatment session 2 of 12 - 19/11/2026")
    assert message.startswith("copied to the terminal clipboard")
    assert ticked == ["Health system entry for the session (risk, summary, plan)"]
    assert _entry_tasks(db, ref) == {first: "open", second: "done"}
    assert service.copy_health_entry(second, copied.append)[2] == []  # already done: nothing more
    assert _entry_tasks(db, ref) == {first: "open", second: "done"}


def test_nothing_is_ticked_when_no_clipboard_takes_it(db, monkeypatch):
    monkeypatch.setattr("service.clipboard.system_clipboard_command", lambda: None)
    ref = sentenced_case(db)
    service = Service(db, Clock.fixed(TODAY))
    event_id = service.record(ref, "session", "2026-11-19", {}).session.event_id
    text, message, ticked = service.copy_health_entry(event_id)
    assert message == "no clipboard available here; the text is shown instead" and ticked == []
    assert _entry_tasks(db, ref) == {event_id: "open"}


@pytest.mark.parametrize("how", ["event", "attend", "entry"])
def test_the_command_lines_copy_ticks_the_task(run, monkeypatch, how):
    monkeypatch.setattr("service.clipboard.system_clipboard_command", lambda: ["cat"])  # a clipboard that takes it
    today = date.today()
    db = connect(run.path)
    ref = sentenced_case(db, "2026-01-05")
    aid = ap.book_appointment(
        db, ref, datetime.combine(today, time(0, 0)), place="Brook House", now=datetime(2026, 1, 6, 9, 0),
        checklist=checklist_of(db)
    )
    db.close()
    if how == "event":
        code, out, err = run("event", ref, "session", "--summary", "Sleep.", "--copy")
    elif how == "attend":
        code, out, err = run("appointment", "attend", str(aid), "--outcome", "attended", "--copy")
    else:
        assert run("appointment", "attend", str(aid), "--outcome", "attended")[0] == 0
        code, out, err = run("appointment", "entry", str(aid), "--copy")
    assert code == 0, err
    assert "copied to the system clipboard; ticked: Health system entry for the session" in err
    db = connect(run.path)
    assert list(_entry_tasks(db, ref).values()) == ["done"]
    db.close()


async def test_y_on_the_entry_after_the_event_form_ticks_the_task(tmp_path, monkeypatch):
    from textual.widgets import Select

    from tui.app import MhtrApp
    from tui.client import ClientScreen
    from tui.session_forms import EntryScreen

    monkeypatch.setattr("service.clipboard.system_clipboard_command", lambda: None)
    path = tmp_path / "y.db"
    db = connect(path, create=True)
    ref = sentenced_case(db)
    db.close()
    app = MhtrApp(db_path=path, clock=Clock.fixed(datetime(2026, 11, 20, 12, 0)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ClientScreen(ref))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#e-kind", Select).value = "session"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == app.screen.text
        assert any("ticked: Health system entry" in n.message for n in app._notifications)
    db = connect(path)
    assert list(_entry_tasks(db, ref).values()) == ["done"]
    db.close()
