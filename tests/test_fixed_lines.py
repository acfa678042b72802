"""Lines whose height the stylesheet fixes are repainted without laying the screen out again (tui.lines)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.test_perf_fixes import _settle
from tui.lines import FixedLines


def _layouts(widget: Static) -> list[bool]:
    """The ``layout`` flag of every refresh ``widget`` asks for from now on."""
    asked: list[bool] = []
    real = widget.refresh

    def refresh(*regions, **kwargs):
        asked.append(bool(kwargs.get("layout")))
        return real(*regions, **kwargs)

    widget.refresh = refresh  # type: ignore[method-assign]
    return asked


async def test_a_line_of_fixed_height_is_repainted_and_one_of_any_other_height_laid_out():
    class Lines(App):
        CSS = "#fixed { height: 2; } #grows { height: auto; }"

        def compose(self) -> ComposeResult:
            yield FixedLines("first", id="fixed")
            yield FixedLines("first", id="grows")

    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        fixed, grows = app.query_one("#fixed", FixedLines), app.query_one("#grows", FixedLines)
        fixed_asked, grows_asked = _layouts(fixed), _layouts(grows)
        fixed.update("second\nline")
        grows.update("second\nline")
        await pilot.pause()
        assert fixed_asked == [False] and grows_asked[0] is True
        assert str(fixed.render()) == "second\nline" and grows.size.height == 2
        fixed.update("third", layout=True)  # asked for, as Static's
        assert fixed_asked == [False, True]


async def test_the_caseload_count_and_the_lines_under_the_diary_change_without_a_layout(tmp_path):
    """Each letter typed in the Caseload's filter rewrites its counts line, and each move on the Diary the lines
    under the table: a layout for each was a frame of its own after the one that showed the change."""
    from tests.test_diary_pilot import TODAY, diary_db
    from tui.app import MhtrApp

    path = tmp_path / "d.db"
    diary_db(path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await _settle(pilot)
        count = app.screen.query_one("#caseload-count", FixedLines)
        asked = _layouts(count)
        await pilot.press("slash", "r", "o", "b", "i", "n", " ", "s")
        await _settle(pilot)
        assert str(count.render()).startswith("1 of 2 cases") and asked and not any(asked)
        await pilot.press("escape", "w")
        await _settle(pilot)
        detail = app.screen.query_one("#diary-detail", FixedLines)
        week = app.screen.query_one("#diary-week", FixedLines)
        asked, week_asked = _layouts(detail), _layouts(week)
        before = str(detail.render())
        await pilot.press("j")
        await _settle(pilot)
        await pilot.press("right_square_bracket")
        await _settle(pilot)
        assert str(detail.render()) != before and asked and not any(asked)
        assert "Week of Monday 23 November 2026" in str(week.render()) and week_asked and not any(week_asked)
