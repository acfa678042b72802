"""An error the app did not expect is logged beside the database and shown as one line; the app stays open with
nothing lost, and the screen where it happened keeps working (tui.unexpected)."""

from __future__ import annotations

import stat
from datetime import date

import pytest

from db.connection import connect
from db.paths import error_log_path
from records import casework, clients
from service.core import checklist_of
from tests.conftest import made, snapshot_counts
from tui.app import MhtrApp
from tui.caseload import CaseloadScreen
from tui.client import ClientScreen
from tui.today import TodayScreen
from tui.unexpected import log_entry, one_line

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def carry_on(monkeypatch):
    """These tests see what a practitioner sees: the app's own handling, not the test suite's."""
    monkeypatch.setattr(MhtrApp, "RAISE_UNEXPECTED", False)


@pytest.fixture
def seeded(tmp_path):
    path = tmp_path / "mhtr.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Jordan Synthetic", "dob": "1987-03-14"}, TODAY)
    casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    db.close()
    return path


def _fault(*_args, **_kwargs):
    raise RuntimeError("the list could not be read")


def _errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def test_a_fault_in_a_key_is_one_line_and_a_log_and_the_app_carries_on(seeded, monkeypatch):
    import records.views

    db = connect(seeded)
    app = MhtrApp(db_path=seeded, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)  # the weekly and monthly tasks of start-up are made
        assert isinstance(app.screen, TodayScreen)
        before = snapshot_counts(db)
        with monkeypatch.context() as patch:
            patch.setattr(records.views, "tasks", _fault)
            await pilot.press("r")  # Today's reload, run by the app's own key handling
            await pilot.pause()
        assert snapshot_counts(db) == before
        assert app.is_running and isinstance(app.screen, TodayScreen)
        [message] = _errors(app)
        assert message.startswith("Unexpected error: RuntimeError: the list could not be read.")
        assert "mhtr-errors.log" in message and "\n" not in message
        await pilot.press("c")  # the app's keys still work
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)
    assert app.return_code in (None, 0)
    log = error_log_path(seeded)
    assert log == seeded.with_name("mhtr-errors.log")
    text = log.read_text()
    assert "on TodayScreen" in text and "RuntimeError: the list could not be read" in text and "Traceback" in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


async def test_a_fault_in_a_screen_handler_leaves_that_screen_working(seeded, monkeypatch):
    """A reload on coming back to Today runs in Today's own message loop; Textual would stop that loop for good
    after an error, leaving a screen that no longer answers."""
    import records.views

    app = MhtrApp(db_path=seeded, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        await pilot.press("space")  # a write, so Today reloads on return
        await pilot.pause()
        with monkeypatch.context() as patch:
            patch.setattr(records.views, "tasks", _fault)
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, TodayScreen) and len(_errors(app)) == 1
        today = app.screen
        shown = today.query_one("#today-tasks").row_count
        await pilot.press("r")  # Today reads again: its loop is alive
        await pilot.pause()
        assert today.query_one("#today-tasks").row_count == shown - 1  # the tick made on the client shows
        await pilot.press("space")  # and its keys act
        await pilot.pause()
        assert len(app.undo_stack) == 2 and len(_errors(app)) == 1


async def test_a_fault_in_queued_work_is_reported_not_fatal(seeded):
    app = MhtrApp(db_path=seeded, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.after_refresh(_fault)
        await pilot.pause()
        assert app.is_running and len(_errors(app)) == 1


async def test_a_fault_before_any_screen_ends_with_one_line(tmp_path, monkeypatch):
    import db.connection

    path = made(tmp_path / "mhtr.db")
    monkeypatch.setattr(db.connection, "connect", _fault)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert app.return_code == 2
    assert "RuntimeError: the list could not be read" in error_log_path(path).read_text()


def test_the_line_and_the_log_entry():
    try:
        raise KeyError("MHTR-0001\n  second line")
    except KeyError as exc:
        error = exc
    assert one_line(error) == "KeyError: 'MHTR-0001\\n second line'"
    assert one_line(RuntimeError("x" * 300)).endswith("…") and len(one_line(RuntimeError("x" * 300))) == 100
    entry = log_entry(error, "ClientScreen")
    assert entry.startswith("--- ") and " on ClientScreen\n" in entry and 'raise KeyError("MHTR-0001' in entry
