"""The Caseload's filter: each letter typed is shown, with the cases it matches and their count, in one frame."""

from __future__ import annotations

from datetime import date

from textual.app import App, ComposeResult
from textual.widgets import Input

from db.connection import connect
from records import clients
from tests.conftest import made
from tests.test_fixed_lines import _layouts
from tests.test_perf_fixes import _settle
from tui.app import MhtrApp
from tui.caseload import FilterBox

TODAY = date(2026, 11, 20)


def _many_cases(tmp_path, n: int = 70):
    """``n`` cases, the odd references named Quinn and the even ones Zeller: either letter matches more cases than a
    short terminal's table loads at once, so typing it changes the rows shown but not how many are loaded."""
    path = tmp_path / "many.db"
    db = connect(path, create=True)
    for i in range(1, n + 1):
        name = f"{'Quinn' if i % 2 else 'Zeller'} Example {i:02d}"
        clients.add_client(db, {"name": name, "dob": "1990-05-05"}, TODAY)
    db.close()
    return made(path)


async def test_a_letter_typed_shows_the_box_the_rows_and_the_count_in_one_frame(tmp_path):
    """A letter typed laid the whole screen out (the box's text changes its virtual size, which asks for a layout)
    and the table's new rows came in a frame of their own after the one that showed the letter: two frames, the
    second a screen update later. Now one frame shows the letter, the rows and the count, and the box asks for no
    layout."""
    app = MhtrApp(db_path=_many_cases(tmp_path), today=TODAY)
    frames: list[tuple[str, str, str]] = []
    real = app._display

    def display(screen, renderable) -> None:
        real(screen, renderable)
        if renderable is not None and screen.id == "caseload":
            table = screen.query_one("#caseload")
            first = table.coordinate_to_cell_key((0, 0)).row_key.value if table.row_count else ""
            frames.append((screen.query_one("#filter").value, first, str(screen.query_one("#caseload-count").render())))

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=(120, 12)) as pilot:
        await pilot.pause()
        await pilot.press("c", "slash")
        await _settle(pilot)
        table = app.screen.query_one("#caseload")
        loaded = table.row_count
        assert loaded < 35  # a screenful and a little more: fewer than either letter matches
        asked = _layouts(app.screen.query_one("#filter", FilterBox))
        for key, value, first, count in (
            ("z", "z", "MHTR-0002", "35 of 70 cases"),
            ("backspace", "", "MHTR-0001", "70 of 70 cases"),
            ("q", "q", "MHTR-0001", "35 of 70 cases"),
            ("backspace", "", "MHTR-0001", "70 of 70 cases"),
            ("z", "z", "MHTR-0002", "35 of 70 cases"),
        ):
            frames.clear()
            await pilot.press(key)
            await _settle(pilot)
            assert len(frames) == 1, (key, frames)
            shown, top, line = frames[0]
            assert (shown, top) == (value, first) and line.startswith(count), (key, frames)
            assert table.row_count == loaded
        assert asked and not any(asked)


async def test_the_filter_box_shows_and_scrolls_what_is_typed_as_an_input_does():
    """The box no longer lays the screen out as its text grows; its text, cursor and scrolling are an Input's,
    also for text longer than the box."""

    class Boxes(App):
        CSS = "Input { width: 30; height: 3; }"

        def compose(self) -> ComposeResult:
            yield FilterBox(id="ours")
            yield Input(id="theirs")

    app = Boxes()
    async with app.run_test(size=(60, 10)) as pilot:
        ours, theirs = app.query_one("#ours", FilterBox), app.query_one("#theirs", Input)
        for text in ("ann", "a much longer filter than the box has room for, typed letter by letter"):
            for box in (ours, theirs):
                box.focus()
                box.value = ""
                await pilot.press(*["space" if ch == " " else ch for ch in text])
                await pilot.press("left", "left", "backspace", "home", "end", "backspace")
                await _settle(pilot)
            assert ours.value == theirs.value == text[:-3] + text[-2]
            assert ours.scroll_x == theirs.scroll_x and ours.cursor_position == theirs.cursor_position
            assert ours.virtual_size == theirs.virtual_size
            lines = [[strip.text for strip in map(box.render_line, range(3))] for box in (ours, theirs)]
            assert lines[0] == lines[1]
        assert ours.scroll_x > 0  # the long text scrolled to keep the cursor in view
