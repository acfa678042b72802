"""Today's and the Caseload's columns refit when the terminal is resized, and every cut text ends in "…" at a word
boundary (Pilot, 80 columns and 120)."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from db.connection import connect
from records import casework, clients
from service.core import checklist_of
from tui.app import MhtrApp

TODAY = date(2026, 11, 20)
LONG_NAME = "Maximilian Featherstonehaugh"


def _made(tmp_path):
    path = tmp_path / "mhtr.db"
    db = connect(path, create=True)
    for name in (LONG_NAME, "Jo Short"):
        ref = clients.add_client(db, {"name": name, "dob": "1987-03-14"}, TODAY)
        casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    db.close()
    return path


def _whole_words(shown: str, full: str) -> bool:
    """``shown`` is ``full``, or whole words from its start followed by "…"."""
    if shown == full:
        return True
    head = shown.removesuffix("…")
    return shown.endswith("…") and full.startswith(head) and full[len(head)] in " ,;:&-–—(/"


async def test_today_titles_refit_to_the_width(tmp_path):
    app = MhtrApp(db_path=_made(tmp_path), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#today-tasks", DataTable)

        def titles() -> list[tuple[str, str]]:
            out = []
            for row in range(table.row_count):
                key = table.coordinate_to_cell_key((row, 0)).row_key.value
                out.append((str(table.get_row_at(row)[2]), table.tasks[int(key)]["title"]))
            return out

        narrow = titles()
        assert any(shown != full for shown, full in narrow)  # some titles are cut at 80 columns
        assert all(_whole_words(shown, full) and len(shown) <= 47 for shown, full in narrow)
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        wide = titles()
        assert [full for _, full in wide] == [full for _, full in narrow]
        assert all(_whole_words(shown, full) and len(shown) <= 87 for shown, full in wide)
        assert sum(map(len, (s for s, _ in wide))) > sum(map(len, (s for s, _ in narrow)))  # more of each shows
        assert table.columns["task"].width == 87
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert titles() == narrow and table.columns["task"].width == 47


async def test_caseload_refits_its_columns_and_the_next_task(tmp_path):
    app = MhtrApp(db_path=_made(tmp_path), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        name = str(table.get_row_at(0)[1])
        assert name == "Maximilian…" and _whole_words(name, LONG_NAME)
        line = str(app.screen.query_one("#caseload-next", Static).render())
        assert line.startswith("Next task: ") and line.endswith("(due 20/11/2026)") and len(line) <= 78
        task = line.removeprefix("Next task: ").removesuffix("  (due 20/11/2026)")
        assert task.endswith("…") and "Liaise with probation".startswith(task[:21])
        assert "task" not in table.columns
        await pilot.resize_terminal(140, 24)
        await pilot.pause()
        assert "task" in table.columns and table.columns["task"].width == app.screen._task_width() > 20
        cell = str(table.get_row_at(0)[-1])
        assert len(cell) <= table.columns["task"].width and (cell.endswith("…") or "…" not in cell)
        assert app.screen._by_ref["MHTR-0001"]["next_task"].startswith(cell.removesuffix("…"))
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        assert table.columns["task"].width == app.screen._task_width()
        assert len(str(table.get_row_at(0)[-1])) >= len(cell)
