"""Drive the app with the keyboard the way a practitioner would (Textual Pilot)."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Select

from db.connection import connect
from db.tasks import tasks_due
from records import casework, clients, task_actions
from service.core import checklist_of
from tests.conftest import made
from tui.app import MhtrApp
from tui.client import ClientScreen
from tui.today import TodayScreen

TODAY = date(2026, 11, 20)


async def _type(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def _choose(pilot, app, select_id: str, search: str) -> None:
    """Focus a Select, open it, type to search and pick the highlighted option."""
    app.screen.query_one(f"#{select_id}", Select).focus()
    await pilot.press("enter")
    await _type(pilot, search)
    await pilot.press("enter")
    await pilot.pause()


async def _record(pilot, app, kind_search: str, date_text: str, extra=None) -> None:
    await pilot.press("e")
    await pilot.pause()
    await _choose(pilot, app, "e-kind", kind_search)
    date_box = app.screen.query_one("#e-date", Input)
    date_box.focus()
    date_box.value = ""
    await _type(pilot, date_text)
    if extra:
        await extra()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_add_client_and_walk_to_sentence(tmp_path):
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("n")
        await pilot.pause()
        await _type(pilot, "Jordan Synthetic")
        await pilot.press("tab")
        await _type(pilot, "14/03/1987")
        await pilot.press("tab")
        await _type(pilot, "9994765914")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.ref == "MHTR-0001"

        await _record(pilot, app, "scree", "02/11/2026")
        await _record(pilot, app, "asses", "03/11/2026")

        async def approve():
            await _choose(pilot, app, "e-decision", "appr")

        await _record(pilot, app, "clin", "04/11/2026", approve)

        async def accept():
            await _choose(pilot, app, "e-outcome", "mhtr m")
            await _choose(pilot, app, "e-order", "comm")

        await _record(pilot, app, "court o", "last mon", accept)
        assert isinstance(app.screen, ClientScreen)
        assert "Sentenced" in str(app.screen.query_one("#client-summary").render())

    db = connect(tmp_path / "pilot.db")
    state = casework.case_state(db, 1)
    assert state.stage == "sentenced" and state.order == "CO" and state.sentence_date == date(2026, 11, 16)
    keys = {t["key"] for t in tasks_due(db, until=None, case_id=1, include_closed=True)}
    assert {"court.liaise", "assessment.discuss-cl", "outcome.gp-letter", "outcome.first-session"} <= keys


async def test_event_form_refuses_out_of_order_and_keeps_what_was_typed(tmp_path):
    db = connect(tmp_path / "pilot.db", create=True)
    clients.add_client(db, {"name": "Jordan Synthetic", "dob": "1987-03-14"}, TODAY)
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.open_client("MHTR-0001")
        await pilot.pause()

        async def accept():
            await _choose(pilot, app, "e-outcome", "mhtr m")

        await _record(pilot, app, "court o", "yesterday", accept)
        error = str(app.screen.query_one("#form-error").render())
        assert "needs an assessment first" in error
        assert app.screen.query_one("#e-date", Input).value == "yesterday"  # the form stays, nothing lost
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def _seeded(tmp_path):
    db = connect(tmp_path / "pilot.db", create=True)
    ref = clients.add_client(db, {"name": "Jordan Synthetic", "dob": "1987-03-14"}, TODAY)
    casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    return db


async def test_tick_skip_reschedule_and_undo_on_today(tmp_path):
    db = _seeded(tmp_path)
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#today-tasks")
        first = table.current_task_id()
        await pilot.press("space")
        await pilot.pause()
        assert task_actions.require_task(db, first)["status"] == "done"
        assert first not in table.tasks  # ticked tasks leave Today

        second = table.current_task_id()
        await pilot.press("x")
        await pilot.pause()
        await _type(pilot, "done by L&D in court")
        await pilot.press("enter")
        await pilot.pause()
        task = task_actions.require_task(db, second)
        assert task["status"] == "skipped" and task["reason"] == "done by L&D in court"

        third = table.current_task_id()
        await pilot.press("d")
        await pilot.pause()
        await _type(pilot, "31/02/2026")
        await pilot.press("enter")
        await pilot.pause()
        assert "28 days" in str(app.screen.query_one("#prompt-error").render())  # refused, prompt stays
        prompt = app.screen.query_one("#prompt-input", Input)
        prompt.value = ""
        await _type(pilot, "next fri")
        await pilot.press("enter")
        await pilot.pause()
        assert task_actions.require_task(db, third)["due"] == "2026-11-27"

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert task_actions.require_task(db, third)["due"] == "2026-11-20"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert task_actions.require_task(db, second)["status"] == "open"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert task_actions.require_task(db, first)["status"] == "open"
        assert first in table.tasks


async def test_caseload_filters_as_you_type_and_opens_a_client(tmp_path):
    db = _seeded(tmp_path)
    clients.add_client(db, {"name": "Morgan Example", "dob": "1990-05-05"}, TODAY)
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        table = app.screen.query_one("#caseload")
        assert table.row_count == 2
        await pilot.press("slash")
        await _type(pilot, "morg")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter")  # leaves the filter box for the table
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.ref == "MHTR-0002"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert "space        Tick" in str(app.screen.query_one("Static").render())


async def test_caseload_at_80_columns_puts_the_next_task_under_the_table(tmp_path):
    """At 80x24 the fixed columns (reference to due date) leave the next task no room worth reading: it is the
    line under the table, for the highlighted case; a wider terminal gives it a column of its own."""
    _seeded(tmp_path)
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        table = app.screen.query_one("#caseload")
        assert [str(c.label) for c in table.ordered_columns] == ["Ref", "Name", "Stage", "Sess", "Next appt", "Due"]
        assert sum(c.get_render_width(table) for c in table.ordered_columns) <= 78
        line = str(app.screen.query_one("#caseload-next").render())
        assert line.startswith("Next task: ") and "(due " in line
        await pilot.resize_terminal(130, 30)
        await pilot.pause()
        assert [str(c.label) for c in table.ordered_columns][-1] == "Next task"
        assert app.screen.query_one("#caseload-next").display is False
        assert table.get_row("MHTR-0001")[-1] == line.removeprefix("Next task: ").split("  (due ")[0]


async def test_command_palette_opens_a_client_by_name(tmp_path):
    _seeded(tmp_path)
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await _type(pilot, "jordan")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.ref == "MHTR-0001"


async def test_correcting_an_event_from_the_timeline(tmp_path):
    db = _seeded(tmp_path)
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_client("MHTR-0001")
        await pilot.pause()
        await pilot.press("2", "r")
        await pilot.pause()
        box = app.screen.query_one("#e-date", Input)
        assert box.value == "20/11/2026"
        box.value = "19/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
    rows = list(db.query("SELECT date, corrects FROM events ORDER BY id"))
    assert rows == [{"date": "2026-11-20", "corrects": None}, {"date": "2026-11-19", "corrects": 1}]


async def test_j_and_k_move_on_the_timeline_so_r_corrects_the_event_reached(tmp_path):
    """The help's "j / k, up down: Move" holds on the Client screen's timeline too: j pressed there did nothing,
    and r then corrected the first event instead of the one the practitioner meant."""
    db = _seeded(tmp_path)
    casework.record_event(db, "MHTR-0001", "assessment", TODAY, {}, TODAY, checklist=checklist_of(db))
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client("MHTR-0001")
        await pilot.pause()
        await pilot.press("2", "j")
        await pilot.pause()
        assert str(app.screen.query_one("#timeline-detail").render()) == "20/11/2026  Assessment"
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one("#e-kind", Select).value == "assessment"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert str(app.screen.query_one("#timeline-detail").render()) == "20/11/2026  Screening at court"


async def test_today_and_caseload_reload_when_uncovered(tmp_path):
    """A change made while another screen covers Today or Caseload shows once they are back on top."""
    db = _seeded(tmp_path)
    app = MhtrApp(db_path=made(tmp_path / "pilot.db"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = app.screen.query_one("TaskTable").tasks
        assert shown
        await pilot.press("c")
        await pilot.pause()
        caseload = app.screen.query_one("#caseload")
        assert caseload.row_count == 1
        await pilot.press("question_mark")
        await pilot.pause()
        clients.add_client(db, {"name": "Morgan Example", "dob": "1990-05-05"}, TODAY)
        ticked = next(iter(shown))
        task_actions.tick(db, ticked)
        await pilot.press("escape")
        await pilot.pause()
        assert caseload.row_count == 2
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert ticked not in app.screen.query_one("TaskTable").tasks
