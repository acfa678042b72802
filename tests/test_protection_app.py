"""Data protection in the app, driven with the keyboard: the key prompt of an encrypted database (and the
background connection using the same key), the day's first backup, and a write lock held by another copy of the
app giving a polite message that keeps what was typed (reliability anchors section 5, goals 6 and 11)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Input

from db import connection
from db.backup_files import list_backups
from db.connection import connect
from db.crypto import is_encrypted, open_raw
from records import casework, clients
from records.derived import derived
from service.core import checklist_of
from tests.conftest import TODAY, made, snapshot_counts
from tui.app import MhtrApp
from tui.key_prompt import KeyPrompt
from tui.today import TodayScreen

KEY = "app prompt key 42"


async def _type(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def _encrypted_db(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "enc.db"
    db = connect(path, create=True, key=KEY, encrypt=True)
    ref = clients.add_client(db, {"name": "Keyed Synthetic", "dob": "1984-05-06"}, TODAY)
    casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    db.close()
    return path


async def test_an_encrypted_database_asks_for_its_key_and_the_background_work_uses_it(tmp_path, monkeypatch):
    path = _encrypted_db(tmp_path, monkeypatch)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, KeyPrompt) and app.db is None
        box = app.screen.query_one("#key-input", Input)
        assert box.password  # not shown as typed
        await _type(pilot, "not the key at all")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, KeyPrompt)
        assert "wrong key" in str(app.screen.query_one("#key-error").render())
        assert box.value == ""  # a typed key does not linger in the widget
        await _type(pilot, KEY)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The warm-up connection opened with the typed key (no MHTR_KEY set): the stages were derived...
        assert derived(app.db).states
        assert [w for w in app.workers if w.state.name == "ERROR"] == []
        # ...and the day's first backup was made, encrypted with the same key.
        made = [b.path for b in list_backups(path)]
        assert len(made) == 1 and is_encrypted(made[0])
        open_raw(made[0], KEY).close()
    # The typed key was never written anywhere: not beside the database, not in a backup, not in a note.
    for f in tmp_path.rglob("*"):
        if f.is_file():
            blob = f.read_bytes()
            assert KEY.encode() not in blob and KEY.encode("utf-16-le") not in blob, f


async def test_escape_at_the_key_prompt_quits_without_opening(tmp_path, monkeypatch):
    path = _encrypted_db(tmp_path, monkeypatch)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 1 and app.db is None


async def test_a_lock_held_past_the_timeout_is_a_polite_message_and_the_form_keeps_what_was_typed(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.3)
    path = made(tmp_path / "busy.db")
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        before = snapshot_counts(app.db)
        other = connect(path)  # another copy of the app, in the middle of a long write
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("n")
            await pilot.pause()
            await _type(pilot, "Lockwood Synthetic")
            await pilot.press("tab")
            await _type(pilot, "14/03/1987")
            await pilot.press("ctrl+s")
            await pilot.pause()
            error = str(app.screen.query_one("#form-error").render())
            assert "busy in another copy" in error and "nothing was saved" in error
            assert app.screen.query_one("#f-name", Input).value == "Lockwood Synthetic"
            assert app.screen.query_one("#f-dob", Input).value == "14/03/1987"
            assert snapshot_counts(app.db) == before
        finally:
            other.execute("ROLLBACK")
            other.close()
        await pilot.press("ctrl+s")  # the other copy has finished: the same form saves
        await pilot.pause()
        assert app.db.execute("SELECT name FROM clients").fetchall() == [("Lockwood Synthetic",)]


async def test_the_client_screen_shows_who_changed_what_newest_first(tmp_path, monkeypatch):
    monkeypatch.setenv("MHTR_USER", "ap.jones")
    path = tmp_path / "audit.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Corin Ashby", "dob": "03/04/1980"}, TODAY)
    clients.add_client(db, {"name": "Delphine Moor", "dob": "05/06/1975"}, TODAY)
    casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    monkeypatch.setenv("MHTR_USER", "ap.smith")
    clients.update_client(db, ref, {"gp_practice": "Fenland Surgery"}, TODAY)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client(ref)
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        table = app.screen.query_one("#audit-table")
        assert app.focused is table
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        # at 80 columns a long change is cut at a word with "…"; the line under the table has it whole
        assert str(rows[0][1]) == "ap.smith" and rows[0][2].startswith("client details 1: gp_practice: (empty) ->")
        assert str(rows[-1][1]) == "ap.jones" and "added" in rows[-1][2]
        assert not any("Delphine" in str(r) for r in rows)  # another client's changes are not listed
        detail = str(app.screen.query_one("#audit-detail").render())
        assert "ap.smith" in detail and "gp_practice: (empty) -> Fenland Surgery" in detail
        await pilot.press("j")  # the line under the table follows the cursor
        await pilot.pause()
        assert str(app.screen.query_one("#audit-detail").render()) != detail

        # A change made in the app appears at the top when the view is shown again.
        await pilot.press("1", "space", "6")
        await pilot.pause()
        top = table.get_row_at(0)
        assert "status: open -> done" in top[2]


async def test_the_welcome_screen_creates_an_encrypted_database_with_a_key_typed_twice(tmp_path, monkeypatch):
    from tui.key_prompt import NewKeyPrompt
    from tui.welcome import WelcomeScreen

    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "data" / "mhtr.db"
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NewKeyPrompt)
        await _type(pilot, "short")
        await pilot.press("enter")
        await _type(pilot, "short")
        await pilot.press("enter")
        await pilot.pause()
        assert "at least 8 characters" in str(app.screen.query_one("#key-error").render())
        await _type(pilot, "first choice 1")
        await pilot.press("enter")
        await _type(pilot, "first choice 2")
        await pilot.press("enter")
        await pilot.pause()
        assert "differ" in str(app.screen.query_one("#key-error").render())
        assert not path.exists()
        await _type(pilot, KEY)
        await pilot.press("enter")
        await _type(pilot, KEY)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await app.workers.wait_for_complete()
    assert is_encrypted(path)
    open_raw(path, KEY).close()
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"


async def test_a_wrong_key_in_the_environment_leads_to_the_prompt(tmp_path, monkeypatch):
    path = _encrypted_db(tmp_path, monkeypatch)
    monkeypatch.setenv("MHTR_KEY", "stale key from a script")
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, KeyPrompt)
        assert "wrong key" in str(app.screen.query_one("#key-error").render())
        await _type(pilot, KEY)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert derived(app.db).states  # the background connection used the typed key
        assert len(list_backups(path)) == 1


async def test_text_that_looks_like_markup_is_shown_as_typed_and_never_crashes_a_screen(tmp_path):
    """Names, notes and typed values are data: '[/b]' or '[red]' in them must not be read as Textual markup."""
    from tui.caseload import CaseloadScreen
    from tui.client import ClientScreen

    path = tmp_path / "[odd] folder" / "mark.db"
    path.parent.mkdir()
    db = connect(path, create=True)
    ref = clients.add_client(
        db, {"name": "Ann [/b] Smith [red] [Redacted]", "dob": "1980-01-01", "gp_practice": "[/i] Surgery [NHS]"}, TODAY
    )
    casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "adjournment", TODAY, {"reason": "[/x] odd [bold] [MHTR-0002]"}, TODAY, checklist=checklist_of(db)
    )
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)
        cells = app.screen.query_one("#caseload").get_row_at(0)
        # the name cut to its column at a word, with "…", as typed (the Client screen below has it whole)
        assert "Ann [/b] Smith…" in [Text.from_markup(c).plain for c in cells if isinstance(c, str)]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        summary = str(app.screen.query_one("#client-summary").render())
        assert "Ann [/b] Smith [red] [Redacted]" in summary and "[/i] Surgery [NHS]" in summary
        for view in ("2", "3", "4", "6"):
            await pilot.press(view)
            await pilot.pause()
        trail = app.screen.query_one("#audit-table")
        shown = [Text.from_markup(trail.get_row_at(i)[2]).plain for i in range(trail.row_count)]
        adjourned = next(i for i, c in enumerate(shown) if "adjournment" in c)  # cut to the column at 80
        trail.move_cursor(row=adjourned)
        await pilot.pause()
        assert "[/x] odd [bold] [MHTR-0002]" in str(app.screen.query_one("#audit-detail").render())  # whole
        await pilot.press("ctrl+p")
        await pilot.pause()
        await _type(pilot, "ann")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause()
        # A refusal quoting what was typed is shown as typed.
        await pilot.press("escape", "n")
        await pilot.pause()
        app.screen.query_one("#f-name", Input).value = "Bea [/b]"
        app.screen.query_one("#f-dob", Input).value = "[/x]31/02/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "[/x]" in str(app.screen.query_one("#form-error").render())
    assert app.return_code in (None, 0)


async def test_the_event_form_keeps_what_was_typed_while_another_copy_holds_the_lock(tmp_path, monkeypatch):
    from textual.widgets import Select

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.3)
    path = tmp_path / "busy-event.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Eventful Synthetic", "dob": "1984-05-06"}, TODAY)
    casework.record_event(db, ref, "screening", "2026-11-18", {}, TODAY, checklist=checklist_of(db))
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.open_client(ref)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#e-kind", Select).value = "not-eligible"
        await pilot.pause()
        app.screen.query_one("#e-date", Input).value = "19/11/2026"
        app.screen.query_one("#e-reason", Input).value = "needs secondary care"
        before = snapshot_counts(app.db)
        other = connect(path)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "busy in another copy" in str(app.screen.query_one("#form-error").render())
            assert app.screen.query_one("#e-reason", Input).value == "needs secondary care"
            assert app.screen.query_one("#e-date", Input).value == "19/11/2026"
            assert snapshot_counts(app.db) == before
        finally:
            other.execute("ROLLBACK")
            other.close()
        await pilot.press("ctrl+s")
        await pilot.pause()
    db = connect(path)
    assert db.execute("SELECT kind, date FROM events ORDER BY id").fetchall()[-1] == ("not-eligible", "2026-11-19")


async def test_a_spreadsheet_heading_that_looks_like_markup_does_not_break_the_import_screen(tmp_path, monkeypatch):
    from textual.widgets import DataTable, OptionList

    from tests.import_support import HEADINGS, write_caseload
    from tui.import_screen import ImportScreen

    headings = [*HEADINGS[:6], "[/x] Date referred [b]", *HEADINGS[7:]]
    write_caseload(tmp_path / "caseload.xlsx", headings=headings)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        assert app.screen.query_one("#import-files", OptionList).option_count == 1
        await pilot.press("down", "enter")
        await pilot.pause()
        table = app.screen.query_one("#import-mapping", DataTable)
        assert str(table.get_row_at(6)[0]) == "[/x] Date referred [b]"
    assert app.return_code in (None, 0)


async def test_the_diary_booking_form_keeps_what_was_typed_while_another_copy_holds_the_lock(tmp_path, monkeypatch):
    from tests.test_diary_pilot import diary_db
    from tui.diary_forms import BookScreen

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.3)
    path = tmp_path / "diary.db"
    ref = diary_db(path)["refs"][0]
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.push_screen(BookScreen(ref, TODAY))
        await pilot.pause()
        for box, value in (("b-date", "25/11/2026"), ("b-time", "9:30am"), ("b-place", "Brook House")):
            app.screen.query_one(f"#{box}", Input).value = value
        before = snapshot_counts(app.db)
        other = connect(path)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, BookScreen)
            assert "busy in another copy" in str(app.screen.query_one("#form-error").render())
            assert app.screen.query_one("#b-place", Input).value == "Brook House"
            assert snapshot_counts(app.db) == before
        finally:
            other.execute("ROLLBACK")
            other.close()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert snapshot_counts(app.db)["appointments"] == before["appointments"] + 1
