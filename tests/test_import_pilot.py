"""The Import screen driven by the keyboard at 80x24: pick the file, correct a column, read the plan, confirm."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList, Static

from importer.mapping import IGNORE, field_names
from tests.conftest import TODAY, made, snapshot_counts
from tests.import_support import HEADINGS, ROWS, write_caseload
from tui.app import MhtrApp
from tui.import_screen import FieldPicker, ImportScreen
from tui.prompts import ConfirmPrompt


def status(app) -> str:
    return str(app.screen.query_one("#import-status", Static).render())


def report(app) -> str:
    return str(app.screen.query_one("#import-report-text", Static).render())


async def open_import(pilot, app) -> None:
    await pilot.pause()
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(app.screen, ImportScreen)


async def type_path(pilot, app, path) -> None:
    box = app.screen.query_one("#import-path", Input)
    box.focus()
    box.value = ""
    await pilot.press(*[{"/": "slash", ".": "full_stop", "-": "minus", "_": "underscore"}.get(c, c) for c in str(path)])
    await pilot.press("enter")
    await pilot.pause()


async def test_pick_a_file_correct_a_column_and_import(tmp_path, monkeypatch):
    headings = [*HEADINGS[:6], "Date referred", *HEADINGS[7:]]
    write_caseload(tmp_path / "caseload.xlsx", headings=headings)
    monkeypatch.chdir(tmp_path)  # the picker lists spreadsheets in the current folder
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot, app)
        files = app.screen.query_one("#import-files", OptionList)
        assert files.option_count == 1 and "1 spreadsheet found" in status(app)
        await pilot.press("down", "enter")  # from the path box into the list, pick the only file
        await pilot.pause()
        table = app.screen.query_one("#import-mapping", DataTable)
        assert table.row_count == len(headings)
        assert [str(table.get_row_at(i)[1]) for i in (0, 1, 6)] == ["Name", "Date of birth", "(not imported)"]
        # "Date referred" was not guessed; the rows then cannot be read ("needs a screening or assessment")
        assert "row 5" in report(app) and "cannot be read" in status(app)

        await pilot.press(*["down"] * 6, "f")
        await pilot.pause()
        assert isinstance(app.screen, FieldPicker)
        await pilot.press(*["up"] * (field_names().index(IGNORE) - field_names().index("screening")), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        assert str(table.get_row_at(6)[1]) == "Screening date"
        assert status(app).startswith("4 to create · 0 cannot be read · 0 already held")
        assert "row 6    Alex Testperson, born 02/11/1990: In treatment" in report(app)

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmPrompt) and "Import 4 cases now?" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert status(app).startswith("Imported 4 cases; MHTR-0001 to MHTR-0004")
        assert "Already held, left as they are (4):" in report(app)
        assert snapshot_counts(app.db)["cases"] == 4
        await pilot.press("ctrl+s")  # a second go finds nobody new
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)


async def test_a_bad_row_blocks_until_the_user_leaves_it_out(tmp_path):
    bad = ["Lee Invalid", "14/03/1980", "999 000 0011"] + [None] * 11
    sheet = write_caseload(tmp_path / "c.xlsx", [*ROWS, bad])
    db_path = made(tmp_path / "pilot.db")
    app = MhtrApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot, app)
        await type_path(pilot, app, sheet)
        assert "4 to create · 1 cannot be read" in status(app)
        assert "row 10   NHS number '999 000 0011' fails its check digit" in report(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "1 row cannot be read" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        assert snapshot_counts(app.db)["clients"] == 0
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "Import 4 cases now?" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert "left out row 10" in status(app)
        assert snapshot_counts(app.db)["clients"] == 4


async def test_a_file_that_is_not_a_spreadsheet_is_one_line_and_nothing_changes(tmp_path):
    (tmp_path / "locked.xlsx").write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"))
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot, app)
        before = snapshot_counts(app.db)
        await type_path(pilot, app, tmp_path / "locked.xlsx")
        assert status(app).startswith("locked.xlsx is a password-protected workbook")
        assert app.screen.query_one("#import-mapping").has_class("hidden")
        await pilot.press("ctrl+s")  # nothing loaded: the import key does nothing
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        assert snapshot_counts(app.db) == before
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
