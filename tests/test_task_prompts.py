"""The skip and new-date prompts name the task they change; the date prompt shows what a typed phrase resolves to
before anything is saved, and a due date in the past is asked about once (Pilot, 80x24)."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Static

from db.connection import connect
from records import casework, clients, task_actions
from service.core import checklist_of
from tests.conftest import snapshot_counts
from tui.app import MhtrApp
from tui.prompts import ConfirmPrompt, TextPrompt
from tui.today import TodayScreen

TODAY = date(2026, 11, 20)  # a Friday


def _seeded(tmp_path):
    path = tmp_path / "mhtr.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Jordan Synthetic", "dob": "1987-03-14"}, TODAY)
    casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    return path, db


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _type(pilot, app, text: str) -> None:
    app.screen.query_one(Input).focus()
    await pilot.press(*["space" if c == " " else "slash" if c == "/" else c for c in text])
    await pilot.pause()


async def test_skip_names_the_task(tmp_path):
    path, db = _seeded(tmp_path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#today-tasks")
        task = table.tasks[table.current_task_id()]
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        subject = _text(app, "#prompt-subject")
        assert subject.startswith(f"{task['client']}: ") and task["title"][:30] in subject
        assert len(subject) <= 70 and (subject.endswith("…") or task["title"] in subject)


async def test_the_date_a_phrase_resolves_to_is_shown_before_saving(tmp_path):
    path, db = _seeded(tmp_path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#today-tasks")
        task_id = table.current_task_id()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt) and _text(app, "#prompt-subject").startswith("MHTR-0001: ")
        await _type(pilot, app, "next fri")
        assert _text(app, "#prompt-preview") == "next fri → Fri 27/11/2026"
        assert task_actions.require_task(db, task_id)["due"] == "2026-11-20"  # nothing saved while typing
        await _type(pilot, app, "x")
        assert _text(app, "#prompt-preview").startswith("'next frix' is not a date I can read; try 20/12/2026")
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert task_actions.require_task(db, task_id)["due"] == "2026-11-27"


async def test_a_due_date_in_the_past_is_asked_about_once(tmp_path):
    path, db = _seeded(tmp_path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#today-tasks")
        task_id = table.current_task_id()
        before = snapshot_counts(db)
        await pilot.press("d")
        await pilot.pause()
        await _type(pilot, app, "16/11/2026")
        assert _text(app, "#prompt-preview") == "16/11/2026 → Mon 16/11/2026  (in the past)"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmPrompt)
        assert "Mon 16/11/2026 is in the past" in str(app.screen.query_one("Label").render())
        await pilot.press("n")  # no: the date prompt again, with what was typed, and nothing saved
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt) and app.screen.query_one(Input).value == "16/11/2026"
        assert snapshot_counts(db) == before
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # asked once: yes saves it
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert task_actions.require_task(db, task_id)["due"] == "2026-11-16"


async def test_a_date_refused_on_enter_is_said_once(tmp_path):
    """The preview already says why a typed date cannot be used; enter shows that reason once, not twice."""
    path, db = _seeded(tmp_path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#today-tasks")
        task_id = table.current_task_id()
        await pilot.press("d")
        await pilot.pause()
        await _type(pilot, app, "31/02/2026")
        reason = "'31/02/2026' is not a date: February 2026 has 28 days"
        assert _text(app, "#prompt-preview") == reason and _text(app, "#prompt-error") == ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        shown = [_text(app, "#prompt-preview"), _text(app, "#prompt-error")]
        assert shown.count(reason) == 1 and "" in shown
        assert task_actions.require_task(db, task_id)["due"] == "2026-11-20"  # nothing changed
        await pilot.press("backspace")  # typing again brings the preview back
        await pilot.pause()
        assert _text(app, "#prompt-preview").startswith("'31/02/202'") and _text(app, "#prompt-error") == ""
