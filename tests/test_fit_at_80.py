"""What a practitioner saw wrong at 80x24 with the keyboard only (issue: the daily loop): help rows wrapping back to
the box's edge, the questionnaire picker repeating itself, dropdowns spilling over the footer, toasts stacking over
the rows being worked on, home doing nothing on Today."""

from __future__ import annotations

from datetime import date

from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from db.connection import connect
from questionnaires import INSTRUMENTS
from records import casework
from records.clients import add_client
from service.core import checklist_of
from tui.app import MhtrApp
from tui.help import HELP, HELP_WIDTH, reflow
from tui.questionnaire_entry import PICKER_WIDTH, picker_line

TODAY = date(2026, 11, 20)


def _made(tmp_path, clients: int = 3):
    path = tmp_path / "mhtr.db"
    db = connect(path, create=True)
    for i in range(clients):
        ref = add_client(db, {"name": f"Client{i} Synthetic", "dob": "1987-03-14"}, TODAY)
        casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    db.close()
    return path


def test_help_rows_fit_the_box_and_continue_under_their_description():
    assert max(len(line) for line in HELP.splitlines()) <= HELP_WIDTH
    wrapped = reflow("  q            Back (from the Caseload or the Diary, to Today); quit from Today, always", 40)
    assert wrapped.splitlines() == [
        "  q            Back (from the Caseload",
        "               or the Diary, to Today);",
        "               quit from Today, always",
    ]


def test_a_help_row_written_over_two_lines_is_wrapped_as_one():
    """The command palette's row broke after "letters, the weekly" with "share, ..." on a line of its own, and the
    questionnaire entry's keys sat three to a row, wrapped into one another."""
    row = "  ctrl+p       Command palette: any screen, this screen's keys,\n               letters, the weekly share"
    assert reflow(row, 40).splitlines() == [
        "  ctrl+p       Command palette: any",
        "               screen, this screen's",
        "               keys, letters, the weekly",
        "               share",
    ]
    lines = HELP.splitlines()
    palette = lines.index(next(line for line in lines if line.startswith("  ctrl+p")))
    assert lines[palette + 1] == "               letters, the weekly share, a backup now, a client by"
    assert "  backspace    Step back and clear" in lines and "  f2           Date and timepoint" in lines


def test_the_questionnaire_picker_names_each_form_once_on_one_line():
    lines = [picker_line(i) for i in INSTRUMENTS.values()]
    assert all(len(line) <= PICKER_WIDTH for line in lines)
    assert lines[0] == "PHQ-9    Patient Health Questionnaire · 9 items, 0-3"
    for ins, line in zip(INSTRUMENTS.values(), lines, strict=True):
        assert line.count(ins.name) == 1 and line.count("items") == 1


async def test_home_and_end_go_to_the_first_and_last_task(tmp_path):
    app = MhtrApp(db_path=_made(tmp_path), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#today-tasks")
        assert table.row_count > 12
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_one_message_at_a_time_over_the_list(tmp_path):
    app = MhtrApp(db_path=_made(tmp_path), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "space", "space")
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert len(shown) == 1 and shown[0].startswith("done: ")  # the last tick's, not a stack of three
        app.notify("a refusal", severity="error")
        await pilot.press("space")
        await pilot.pause()
        assert sorted(n.severity for n in app._notifications) == ["error", "information"]  # errors stay


async def test_a_dropdown_near_the_bottom_stays_clear_of_the_hint_and_the_footer(tmp_path):
    app = MhtrApp(db_path=_made(tmp_path, clients=1), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        select = app.screen.query_one("#f-pregnancy", Select)
        select.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        overlay = select.query_one(SelectOverlay)
        assert overlay.display and overlay.region.height >= 3
        assert overlay.region.bottom <= 24 - 2  # the hint line and the footer stay in view


async def test_the_footer_shows_whole_keys_only_and_nothing_past_the_palette_key(tmp_path):
    """A key that would run under the palette key is left out, not half drawn ("A▏^p palette"), and the last
    column is not a stray letter of it ("▏^p palettee")."""
    app = MhtrApp(db_path=_made(tmp_path, clients=1), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client("MHTR-0001")
        await pilot.pause()
        for view in ("1", "2", "6"):
            await pilot.press(view)
            await pilot.pause()
            update = app.screen._compositor.render_update(full=True, simplify=True)
            line = "".join(seg.text for seg in update.strips[-1])
            assert line.endswith("▏^p palette ") and line.rstrip().endswith("palette")
            keys = line[: line.index("▏")].rstrip()
            assert keys.endswith(("Assess", "Keys")), keys  # whole keys to the last
