"""The domain service: one clock and one checklist per run, handed to the domain as values.

A fixed clock fixes the whole program's day (the app's and the command line's), so no test depends on the date
it runs; the checklist a service records with is the one its database names."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from checklists.model import DEFAULT_FILE
from records import casework, clients
from service.clock import Clock
from service.core import Service, checklist_of
from tests.conftest import TODAY, made, snapshot_counts
from vocabulary.identity import ValidationError


def test_a_clock_fixed_to_a_day_keeps_the_day_and_reads_the_time_of_day():
    clock = Clock.fixed(TODAY)
    assert clock.today() == TODAY
    assert clock.now().date() == TODAY
    assert clock.now().second == 0 and clock.now().microsecond == 0  # to the minute


def test_a_clock_fixed_to_a_moment_never_moves():
    clock = Clock.fixed(datetime(2026, 11, 20, 9, 41, 37))
    assert clock.now() == datetime(2026, 11, 20, 9, 41)
    assert clock.today() == TODAY
    assert clock.end_of_day() == datetime.combine(TODAY, time.max)


def test_the_wall_clock_is_today():
    assert Clock().today() == date.today()


def test_the_service_records_on_its_clocks_day(db):
    """An event 'today' is the clock's day, and the day after it is refused as in the future, whatever the date
    the test runs on."""
    service = Service(db, Clock.fixed(date(2031, 3, 3)))
    ref = service.add_client({"name": "Kim Synthetic", "dob": "01/01/1990"})
    result = service.record_event(ref, "screening", "today", {})
    assert [e["date"] for e in service.case_detail(ref)["events"]] == ["2031-03-03"]
    assert result.created and {s.due for s in result.created} == {date(2031, 3, 3)}
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="in the future"):
        service.record_event(ref, "assessment", date(2031, 3, 4), {})
    assert snapshot_counts(db) == before


def test_the_service_uses_the_checklist_its_database_names(db, tmp_path):
    from db.records import set_setting

    copy = tmp_path / "ours.toml"
    copy.write_text(
        DEFAULT_FILE.read_text(encoding="utf-8").replace(
            'key = "court.liaise"\ntitle = "Liaise with probation', 'key = "court.liaise"\ntitle = "Ring probation'
        ),
        encoding="utf-8",
    )
    service = Service(db, Clock.fixed(TODAY))
    assert service.checklist.path == DEFAULT_FILE.resolve()
    set_setting(db, "checklist_file", str(copy))
    assert service.checklist.path == copy.resolve()
    ref = service.add_client({"name": "Kim Synthetic", "dob": "01/01/1990"})
    created = service.record_event(ref, "screening", TODAY, {}).created
    assert created[0].title.startswith("Ring probation")


def test_tasks_the_service_lists_are_overdue_by_its_clock(db):
    service = Service(db, Clock.fixed(TODAY))
    ref = service.add_client({"name": "Kim Synthetic", "dob": "01/01/1990"})
    casework.record_event(db, ref, "screening", TODAY - timedelta(days=3), {}, TODAY, checklist=checklist_of(db))
    assert all(t["overdue"] for t in service.tasks("today"))
    later = Service(db, Clock.fixed(TODAY - timedelta(days=3)))
    assert not any(t["overdue"] for t in later.tasks("today"))


async def test_the_app_builds_one_service_on_its_clock(tmp_path):
    from tui.app import MhtrApp

    moment = datetime(2026, 11, 20, 16, 5)
    app = MhtrApp(db_path=made(tmp_path / "a.db"), clock=Clock.fixed(moment))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.service is not None and app.service.db is app.db
        assert app.service.clock is app.clock
        assert app.today == TODAY and app.clock.now() == moment


async def test_a_checklist_broken_while_the_app_runs_is_a_refusal_on_the_form(tmp_path):
    """A service's copy edited into a state that cannot be read: the event form says so in one line, keeps what was
    typed and writes nothing; the app stays open."""
    from textual.widgets import Select, Static

    from db.connection import connect
    from db.records import set_setting
    from tui.app import MhtrApp
    from tui.forms import EventScreen

    ours = tmp_path / "ours.toml"
    ours.write_text(DEFAULT_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    db = connect(tmp_path / "b.db", create=True)
    set_setting(db, "checklist_file", str(ours))
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, TODAY)
    db.close()
    app = MhtrApp(db_path=tmp_path / "b.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = snapshot_counts(app.db)
        ours.write_text("[[stage]\n", encoding="utf-8")  # broken after the app started
        form = EventScreen(ref, kind="screening")
        app.push_screen(form)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EventScreen) and app.is_running
        message = str(app.screen.query_one("#form-error", Static).render())
        assert str(ours) in message and "\n" not in message
        assert app.screen.query_one("#e-kind", Select).value == "screening"
        assert snapshot_counts(app.db) == before
