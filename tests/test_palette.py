"""The command palette reaches every screen and every action that has a key (ctrl+p, typed words, enter)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.command import CommandPalette

from db.backup_files import list_backups
from db.connection import connect
from records import casework, clients
from service.core import checklist_of
from tui.app import MhtrApp
from tui.commands import MhtrCommands
from tui.diary import DiaryScreen
from tui.export_screen import ExportScreen
from tui.import_screen import ImportScreen
from tui.letters import LettersScreen
from tui.prompts import TextPrompt
from tui.today import TodayScreen

TODAY = date(2026, 11, 20)


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "mhtr.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Robin Synthetic", "dob": "1987-03-14", "gp_practice": "Parkway"}, TODAY)
    for kind, data in (("screening", {}), ("assessment", {}), ("cl-decision", {"decision": "approved"}),
                       ("court-outcome", {"outcome": "accepted", "order": "CO", "sessions": 12})):
        casework.record_event(db, ref, kind, "2026-11-02", data, TODAY, checklist=checklist_of(db))
    db.close()
    return path


async def _found(app, query: str) -> list[str]:
    provider = MhtrCommands(app.screen)
    return [str(hit.text) for hit in [h async for h in provider.search(query)]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("month", "Month: the monthly data return"),
        ("return", "Month: the monthly data return"),
        ("letter", "Letter: GP letter (after the court outcome or a decline)"),
        ("gp", "Letter: GP letter (after the court outcome or a decline)"),
        ("import", "Import a caseload spreadsheet"),
        ("share", "Share the week with probation"),
        ("backup", "Back up the database now"),
        ("diary", "Diary: this week's appointments"),
        ("undo", "Undo the last change to a task"),
    ],
)
async def test_typing_a_word_finds_the_command(path, query, expected):
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert expected in await _found(app, query)


async def test_every_kind_of_letter_and_the_screens_own_keys_are_there(path):
    from tui.letters import MENU

    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client("MHTR-0001")
        await pilot.pause()
        texts = [text for text, _, _ in MhtrCommands(app.screen)._commands()]
        assert all(f"Letter: {text}" in texts for _, text, _ in MENU)
        assert {"Event (e)", "Score (s)", "Letters (l)", "Assess (A)", "Tick (space)", "Changes (6)"} <= set(texts)
        assert not any(t.startswith(("Cursor", "Page", "Copy")) for t in texts)  # moving about is not an action


async def _run(pilot, app, query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause(0.3)


async def test_month_import_and_backup_run_from_the_palette(path):
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _run(pilot, app, "month")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await pilot.pause()
        await _run(pilot, app, "import")
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("escape")
        await pilot.pause()
        await _run(pilot, app, "backup")
        assert isinstance(app.screen, TodayScreen)
        [message] = [n.message for n in app._notifications if n.message.startswith("Backup made: ")]
        made = Path(message.removeprefix("Backup made: "))
        assert made.exists() and made in [b.path for b in list_backups(path)]  # the day's one, in the rotation


async def test_a_letter_from_the_palette_opens_on_that_kind(path):
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _run(pilot, app, "gp letter")  # on Today: which client?
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"MHTR-9", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)  # no such case: asked again, with the reason
        app.screen.query_one("Input").value = "mhtr-0001"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen) and app.screen.ref == "MHTR-0001"
        assert app.screen.kind == "gp-letter"
        await pilot.press("escape")
        await pilot.pause()
        app.open_client("MHTR-0001")
        await pilot.pause()
        await _run(pilot, app, "consent form")  # on a client: that client's
        assert isinstance(app.screen, LettersScreen) and app.screen.kind == "consent-form"


async def test_the_weekly_share_from_the_palette_asks_where_to_write(path):
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _run(pilot, app, "share")
        assert isinstance(app.screen, TextPrompt) and "Share the week" in str(app.screen.title_text)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
