"""Multi-row actions are all or nothing: recording an event writes the event, its checklist tasks and their audit
rows in one transaction; when the file refuses part of it (disk full, say) nothing at all is kept and the user
gets one line, on the command line and in the app, never a traceback (reliability anchors section 5, goal 3)."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import Input

from db import records as rec
from db import tasks as taskdb
from db.connection import connect
from db.errors import DatabaseError
from mhtr_tui import main
from records.casework import record_event
from records.clients import add_client
from service.core import checklist_of
from tests.conftest import TODAY, made, snapshot_counts
from tui.app import MhtrApp


def _disk_full(*_args, **_kwargs):
    raise sqlite3.OperationalError("database or disk is full")


def _fails_after_the_first_task(monkeypatch, error):
    """The event's tasks are stored by one statement over all their rows (``db.tasks.insert_tasks``): let its first
    row in, then fail, as a file that fills up part-way does: the event and one task are written when it fails."""
    real = taskdb.insert_tasks
    calls = []

    def flaky(db, rows):
        calls.append(1)
        real(db, rows[:1])
        calls.append(1)
        raise error

    monkeypatch.setattr(taskdb, "insert_tasks", flaky)
    return calls


def test_an_event_whose_tasks_fail_leaves_no_event_task_or_audit_row(db, monkeypatch):
    ref = add_client(db, {"name": "Atomic Synthetic", "dob": "1980-01-01"}, TODAY)
    before = snapshot_counts(db)
    full = sqlite3.OperationalError("database or disk is full")
    calls = _fails_after_the_first_task(monkeypatch, full)
    with pytest.raises(DatabaseError, match=r"^the disk is full; nothing was saved$"):
        record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    assert len(calls) == 2  # one task was written before the failure, and then undone
    assert snapshot_counts(db) == before
    monkeypatch.undo()
    calls = _fails_after_the_first_task(monkeypatch, RuntimeError("a bug"))
    with pytest.raises(RuntimeError):
        record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    assert snapshot_counts(db) == before
    monkeypatch.undo()
    record_event(
        db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db)
    )  # and with nothing failing it all goes in
    after = snapshot_counts(db)
    assert after["events"] == before["events"] + 1 and after["tasks"] > before["tasks"]


def test_the_command_line_says_one_line_and_keeps_nothing(tmp_path, monkeypatch, capfd):
    path = tmp_path / "cli.db"
    db = connect(path, create=True)
    ref = add_client(db, {"name": "Atomic Synthetic", "dob": "1980-01-01"}, TODAY)
    before = snapshot_counts(db)
    monkeypatch.setattr(taskdb, "insert_tasks", _disk_full)
    capfd.readouterr()
    assert main(["event", ref, "screening", "--db", str(path)]) == 2
    out, err = capfd.readouterr()
    assert err.splitlines() == ["mhtr-tui: the disk is full; nothing was saved"] and out == ""
    assert snapshot_counts(db) == before
    monkeypatch.setattr(rec, "insert_case", _disk_full)
    assert main(["client", "add", "--name", "Second Synthetic", "--dob", "01/01/1990", "--db", str(path)]) == 2
    assert snapshot_counts(db) == before  # not even the client row without its case


async def test_the_app_shows_the_refusal_and_the_form_keeps_what_was_typed(tmp_path, monkeypatch):
    path = made(tmp_path / "app.db")
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        before = snapshot_counts(app.db)
        monkeypatch.setattr(rec, "insert_case", _disk_full)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Jo", "space", *"Atomic")
        await pilot.press("tab", *"14/03/1987")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "the disk is full; nothing was saved" in str(app.screen.query_one("#form-error").render())
        assert app.screen.query_one("#f-name", Input).value == "Jo Atomic"
        assert snapshot_counts(app.db) == before
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.db.execute("SELECT count(*) FROM clients").fetchone()[0] == 1
