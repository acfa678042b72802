"""The speed-ups issue 8's benchmarks led to, checked for doing the same job: the start-up health check is
skipped only for a file that passed it today and has not changed by a byte since; bank holiday names come
from one calendar per year."""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import health, verified
from db.connection import connect
from db.health import DamagedDatabase
from service.clock import Clock
from service.core import checklist_of


@pytest.fixture
def checks(monkeypatch):
    """Count the full quick_checks run (through the real check)."""
    calls = []
    real = health.check_problems

    def counting(conn, *, full: bool = False):
        calls.append(full)
        return real(conn, full=full)

    monkeypatch.setattr(health, "check_problems", counting)
    return calls


def _made(path):
    import sqlite3

    connect(path, create=True).close()
    raw = sqlite3.connect(path)  # the app's own connections refuse schema changes outside a migration
    raw.execute("CREATE TABLE IF NOT EXISTS filler (x TEXT)")
    raw.executemany("INSERT INTO filler VALUES (?)", [("x" * 200,) for _ in range(200)])
    raw.commit()
    raw.close()


def test_an_unchanged_file_is_checked_once_a_day(tmp_path, checks):
    path = tmp_path / "m.db"
    _made(path)
    connect(path).close()
    assert len(checks) == 1
    assert verified.note_path(path).exists()
    assert os.stat(verified.note_path(path)).st_mode & 0o077 == 0  # owner-only, like the database
    connect(path).close()
    connect(path).close()
    assert len(checks) == 1


def test_any_write_to_the_file_brings_the_check_back(tmp_path, checks):
    path = tmp_path / "m.db"
    _made(path)
    connect(path).close()
    db = connect(path)
    db.execute("INSERT INTO filler VALUES ('more')")
    db.conn.commit()
    db.close()  # the last connection checkpoints the log into the file
    connect(path).close()
    assert len(checks) == 2


def test_damage_after_a_passed_check_is_still_refused(tmp_path):
    path = tmp_path / "m.db"
    _made(path)
    connect(path).close()
    with open(path, "r+b") as fh:  # a b-tree page whose header is garbage, same size, same mtime set back
        st = os.stat(path)
        fh.seek(2 * 4096)
        fh.write(b"\xff" * 16)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(DamagedDatabase):
        connect(path)


def test_a_new_day_checks_again(tmp_path, checks, monkeypatch):
    path = tmp_path / "m.db"
    _made(path)
    connect(path).close()

    class Tomorrow(date):
        @classmethod
        def today(cls):
            return date(2099, 1, 2)

    monkeypatch.setattr(verified, "date", Tomorrow)
    connect(path).close()
    assert len(checks) == 2


def test_a_log_with_frames_is_always_checked(tmp_path, checks):
    path = tmp_path / "m.db"
    _made(path)
    connect(path).close()
    writer = connect(path)  # another copy of the app, with writes still in its log
    writer.execute("INSERT INTO filler VALUES ('in the log')")
    writer.conn.commit()
    assert os.path.getsize(f"{path}-wal") > 0
    before = len(checks)
    connect(path).close()
    assert len(checks) > before
    writer.close()


def test_bank_holiday_names_come_from_one_calendar_per_year(monkeypatch):
    import holidays

    from checklists import workdays

    workdays._bank_holiday_names.cache_clear()
    workdays._bank_holidays.cache_clear()
    made = []
    real = holidays.country_holidays

    def counting(*args, **kwargs):
        made.append(kwargs.get("years"))
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    assert workdays.bank_holiday_name(date(2026, 12, 25)) == "Christmas Day"
    assert workdays.bank_holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert workdays.bank_holiday_name(date(2026, 12, 24)) is None
    assert not workdays.is_working_day(date(2026, 12, 28))
    assert workdays.is_working_day(date(2026, 12, 24))
    assert made == [2026]
    workdays._bank_holiday_names.cache_clear()
    workdays._bank_holidays.cache_clear()


# --- case states and breach alerts on a large caseload ---------------------------------------------------------


def _diary_case(tmp_path):
    from tests.test_diary_pilot import diary_db
    from tests.test_diary_views import _absences

    path = tmp_path / "d.db"
    data = diary_db(path)
    db = connect(path)
    _absences(db, data["refs"][0])
    db.close()
    return path, data["refs"]


def test_case_states_read_again_only_when_events_change(tmp_path, monkeypatch):
    from db import records as rec
    from records import clients, views
    from records import sessions as se
    from tests.test_diary_pilot import TODAY as DIARY_TODAY

    path, refs = _diary_case(tmp_path)
    db = connect(path)
    full = views.case_states(db)
    assert views.case_states_ready(db)
    reads = []
    real = rec.event_fingerprints
    monkeypatch.setattr(rec, "event_fingerprints", lambda d: reads.append(1) or real(d))
    assert views.case_states(db) == full
    assert reads == []  # nothing recorded since: no per-case look
    case_id = clients.require_case(db, refs[1])["case_id"]
    se.log_session(db, refs[1], "2026-11-19", "attended", today=DIARY_TODAY, checklist=checklist_of(db))
    assert not views.case_states_ready(db)
    after = views.case_states(db)
    assert reads == [1]
    assert after[case_id].sessions_attended == full[case_id].sessions_attended + 1
    fresh = connect(path)
    assert views.case_states(fresh) == after
    fresh.close()
    db.close()


def test_some_states_first_then_the_background_ones_adopted_keeping_the_newer(tmp_path):
    from records import clients, views
    from records import sessions as se
    from tests.test_diary_pilot import TODAY as DIARY_TODAY

    path, refs = _diary_case(tmp_path)
    main, background = connect(path), connect(path)
    views.case_states(background)
    first = clients.require_case(main, refs[0])["case_id"]
    se.log_session(main, refs[0], "2026-11-19", "attended", today=DIARY_TODAY, checklist=checklist_of(main))
    some = views.case_states(main, [first])
    assert set(some) == {first} and not views.case_states_ready(main)
    views.adopt_case_states(main, background)  # the background copy of case `first` is older: not taken
    assert views.case_states(main)[first] == some[first]
    fresh = connect(path)
    assert views.case_states(main) == views.case_states(fresh)
    for d in (main, background, fresh):
        d.close()


def test_breach_alerts_are_the_same_before_and_after_every_case_is_derived(tmp_path):
    from records import clocks as ck
    from records import views
    from tests.conftest import CHECKLIST
    from tests.test_diary_pilot import TODAY as DIARY_TODAY

    path, refs = _diary_case(tmp_path)
    cold = connect(path)
    before = ck.breach_alerts(cold, DIARY_TODAY, CHECKLIST)
    assert not views.case_states_ready(cold)  # only the cases with two absences were derived
    warm = connect(path)
    views.case_states(warm)
    assert ck.breach_alerts(warm, DIARY_TODAY, CHECKLIST) == before
    assert [(a["ref"], a["due"], a["status"]) for a in before] == [(refs[0], "2026-11-26", "warning")]
    cold.close()
    warm.close()


def test_the_first_booked_appointment_is_the_soonest_of_every_case(tmp_path):
    from datetime import datetime

    from records import diary_views as dv

    path, _ = _diary_case(tmp_path)
    db = connect(path)
    for now in (datetime(2026, 11, 10, 8, 0), datetime(2026, 11, 20, 9, 0), datetime(2027, 1, 1, 9, 0)):
        every = dv.next_appointments(db, now)
        assert dv.first_booked(db, now) == min(every.values(), key=lambda a: a["starts_at"], default=None)
    assert dv.first_booked(db, datetime(2026, 11, 20, 9, 0))["starts_at"] == "2026-11-23T14:00"
    db.close()


# --- opening the app reads only the app's own arguments -------------------------------------------------------


@pytest.mark.parametrize(
    "argv, app",
    [
        ([], {"db": None, "demo": False}),
        (["--db", "x.db"], {"db": "x.db", "demo": False}),
        (["--db=x.db", "--demo"], {"db": "x.db", "demo": True}),
        (["tasks", "--json"], None),
        (["--db", "x.db", "tasks"], None),
        (["-h"], None),
        (["--db"], None),
        (["--d", "x"], None),
    ],
)
def test_only_the_apps_own_arguments_skip_the_full_parser(argv, app):
    import mhtr_tui

    got = mhtr_tui._app_only(argv)
    assert (None if got is None else {"db": got.db, "demo": got.demo}) == app


def _argparse_reading(argv: list[str]) -> dict | None:
    """What argparse makes of the app's own arguments (None: not the app's arguments alone, or a mistake)."""
    import argparse

    class Quiet(argparse.ArgumentParser):
        def error(self, message: str):  # type: ignore[override]
            raise ValueError(message)

    p = Quiet(prog="mhtr-tui", add_help=False, allow_abbrev=False)
    p.add_argument("--db")
    p.add_argument("--demo", action="store_true")
    try:
        args, rest = p.parse_known_args(argv)
    except ValueError:
        return None
    return None if rest else {"db": args.db, "demo": args.demo}


def test_the_apps_own_arguments_are_read_as_argparse_reads_them():
    """Every command line of up to four words from the app's options, their values and near misses: what the quick
    reading accepts, argparse reads the same way; what it leaves to the full parser, that parser reads as before."""
    import itertools

    import mhtr_tui

    words = ["--db", "--demo", "--db=a.db", "--db=", "b.db", "", "-x", "-1", "--d", "--dem", "--", "tasks", "-h"]
    for n in range(5):
        for argv in itertools.product(words, repeat=n):
            argv = list(argv)
            got = mhtr_tui._app_only(argv)
            if got is not None:
                assert {"db": got.db, "demo": got.demo} == _argparse_reading(argv), argv
                assert got.command is None


def test_opening_the_app_reads_its_arguments_without_argparse(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = (
        "import sys, mhtr_tui, tui.app\n"
        "tui.app.MhtrApp.run = lambda self: None\n"
        f"assert mhtr_tui.main(['--db', {str(tmp_path / 'a.db')!r}]) == 0\n"
        "print('argparse' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_opening_the_app_imports_no_command_module(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = (
        "import sys, mhtr_tui, tui.app\n"
        "tui.app.MhtrApp.run = lambda self: None\n"
        f"assert mhtr_tui.main(['--db', {str(tmp_path / 'a.db')!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m == 'cli' or m.startswith('cli.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the weekly and monthly tasks: nothing to make, nothing loaded ---------------------------------------------


def test_recurring_tasks_already_made_cost_no_calendar_and_no_write(db, monkeypatch):
    from checklists import engine
    from db.records import set_setting
    from db.tasks import tasks_due
    from records import task_actions

    set_setting(db, task_actions.RECURRING_SINCE, "2027-03-22")
    assert task_actions.ensure_recurring(db, date(2027, 3, 22), checklist=checklist_of(db)) == 3
    made = {(t["key"], t["period"], t["due"]) for t in tasks_due(db, until=None)}
    changes = db.conn.total_changes

    def no_due_dates(*args, **kwargs):
        raise AssertionError("due dates worked out although every period has its task")

    monkeypatch.setattr(engine, "_spec", no_due_dates)
    assert task_actions.ensure_recurring(db, date(2027, 3, 23), checklist=checklist_of(db)) == 0
    assert db.conn.total_changes == changes
    monkeypatch.undo()
    # A week on, only the new periods' tasks are made, each with its own due date: the diary share on Friday
    # 9 April and April's data return in May, as a database that never had the earlier ones makes them.
    assert task_actions.ensure_recurring(db, date(2027, 3, 29), checklist=checklist_of(db)) == 2
    now = {(t["key"], t["period"], t["due"]) for t in tasks_due(db, until=None)}
    fresh = {(s.key, s.period, s.due.isoformat()) for s in engine.recurring_tasks(
        checklist_of(db), date(2027, 3, 29), date(2027, 4, 5))}
    assert now - made == fresh - made
    assert {(k, p) for k, p, _ in now - made} == {("weekly.diary", "2027-W14"), ("monthly.data-return", "2027-04")}
    assert ("weekly.diary", "2027-W14", "2027-04-09") in now


def test_no_sqlite_utils_plugin_is_looked_for(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = (
        "import sqlite_utils.plugins as p\n"
        "from db.connection import connect\n"
        f"connect({str(tmp_path / 'p.db')!r}, create=True).close()\n"
        "print(p._plugins_loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_some_states_asked_again_cost_no_per_case_look_until_an_event_is_added(tmp_path, monkeypatch):
    from db import records as rec
    from records import clients, views
    from records import clocks as ck
    from records import sessions as se
    from tests.conftest import CHECKLIST
    from tests.test_diary_pilot import TODAY as DIARY_TODAY

    path, refs = _diary_case(tmp_path)
    db = connect(path)
    first = clients.require_case(db, refs[0])["case_id"]
    some = views.case_states(db, [first])
    reads = []
    real = rec.event_fingerprints
    monkeypatch.setattr(rec, "event_fingerprints", lambda d: reads.append(1) or real(d))
    assert views.case_states(db, [first]) == some
    assert ck.breach_alerts(db, DIARY_TODAY, CHECKLIST) == ck.breach_alerts(db, DIARY_TODAY, CHECKLIST)
    assert reads == []  # the breach alerts' only candidate is the case asked for first
    se.log_session(db, refs[0], "2026-11-19", "attended", today=DIARY_TODAY, checklist=checklist_of(db))
    assert views.case_states(db, [first])[first].sessions_attended == some[first].sessions_attended + 1
    assert reads == [1]
    db.close()


async def test_today_on_a_large_service_shows_the_diary_line_once_every_case_is_derived(tmp_path, monkeypatch):
    from textual.widgets import Static

    from records import sessions as se
    from records import views
    from tests.test_diary_pilot import TODAY as DIARY_TODAY
    from tui.app import MhtrApp

    monkeypatch.setattr(views, "SMALL_SERVICE_EVENTS", 0)  # this small database stands in for a large one
    path, refs = _diary_case(tmp_path)
    looked = []
    real = se.diary_glance

    def glance(db, now, checklist):
        looked.append(views.case_states_ready(db))
        return real(db, now, checklist)

    monkeypatch.setattr(se, "diary_glance", glance)
    app = MhtrApp(db_path=path, today=DIARY_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        expected = f"! RO breach decision {refs[0]} by Thu 26/11"
        assert await _until(pilot, lambda: expected in str(app.screen.query_one("#today-diary", Static).render()))
    assert looked and all(looked)  # never looked at before every case was derived


# --- keys on the Client screen: footer rebuilds, views filled when shown, reloads only after a change ---------


async def _until(pilot, condition, rounds: int = 200) -> bool:
    """Let the app handle what is queued, round after round, until ``condition()`` holds (never a fixed sleep:
    a loaded machine takes longer); its final value."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause()
    return bool(condition())


async def _settle(pilot, rounds: int = 5) -> None:
    """Enough rounds for what a key queued to have run (a refresh, then what waits for it), before asserting that
    something did *not* happen."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()


async def test_client_screen_fills_views_when_shown_and_reloads_only_after_a_change(tmp_path, monkeypatch):
    from records import casework, clients
    from tests.conftest import TODAY
    from tui.app import MhtrApp
    from tui.client import ClientScreen
    from tui.footer import KeysFooter

    path = tmp_path / "keys.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Quinn Synthetic", "dob": "1984-06-01"}, TODAY)
    casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    db.close()
    loads, filled, rebuilds = [], [], []
    real_refresh, real_fill = ClientScreen.refresh_data, ClientScreen._fill_view
    real_recompose = KeysFooter.recompose

    def counting_refresh(self):
        loads.append(1)
        real_refresh(self)

    def counting_fill(self, name):
        if name in self._stale:
            filled.append(name)
        real_fill(self, name)

    async def counting_recompose(self):
        rebuilds.append(1)
        await real_recompose(self)

    monkeypatch.setattr(ClientScreen, "refresh_data", counting_refresh)
    monkeypatch.setattr(ClientScreen, "_fill_view", counting_fill)
    monkeypatch.setattr(KeysFooter, "recompose", counting_recompose)

    # the minute a screen loaded is part of what tells it to reload: the app's clock holds it still
    app = MhtrApp(db_path=path, clock=Clock.fixed(datetime.combine(TODAY, datetime.min.time()).replace(hour=10)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client(ref)
        assert await _until(pilot, lambda: isinstance(app.screen, ClientScreen) and filled)
        await _settle(pilot)
        assert (loads, filled) == ([1], ["checklist"])  # one read, only the view on screen filled
        rebuilds.clear()
        await pilot.press("3")
        assert await _until(pilot, lambda: rebuilds)
        await _settle(pilot)
        assert filled == ["checklist", "details"]
        assert len(rebuilds) == 1  # the view's keys: one footer rebuild, however many times bindings were refreshed
        await pilot.press("1")
        await _settle(pilot)
        assert filled == ["checklist", "details"]  # already filled, nothing changed
        rebuilds.clear()
        await pilot.press("1")
        await _settle(pilot)
        assert rebuilds == []  # same keys: no rebuild
        await pilot.press("e")
        assert await _until(pilot, lambda: not isinstance(app.screen, ClientScreen))
        await pilot.press("escape")  # a cancelled form changed nothing: no reload
        assert await _until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await _settle(pilot)
        assert loads == [1]
        other = connect(path)  # another copy records an event while this one looks on
        casework.record_event(other, ref, "assessment", TODAY, {}, TODAY, checklist=checklist_of(other))
        other.close()
        await pilot.press("e")
        assert await _until(pilot, lambda: not isinstance(app.screen, ClientScreen))
        await pilot.press("escape")
        assert await _until(pilot, lambda: loads == [1, 1])
        assert app.screen.detail["stage"] == "assessed"


# --- the Diary's week on a large service: clashes in one pass, indexes for corrections and the week's sessions ---


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(5, 120), st.sampled_from(["booked", "attended", "cancelled"])),
        max_size=12,
    )
)
def test_the_weeks_clashes_in_one_pass_are_those_of_every_pair(slots):
    from datetime import datetime, timedelta

    from records.appointments import clashing, overlaps

    base = datetime(2026, 12, 7, 9, 0)
    appts = [
        {"id": i + 1, "starts_at": (base + timedelta(minutes=15 * at)).isoformat(timespec="minutes"),
         "duration_min": minutes, "status": status}
        for i, (at, minutes, status) in enumerate(slots)
    ]
    from records.appointments import appdb

    pairwise = {
        a["id"]
        for a in appts
        if a["status"] in appdb.OCCUPYING
        and overlaps(datetime.fromisoformat(a["starts_at"]), a["duration_min"], appts, exclude=a["id"])
    }
    assert clashing(appts) == pairwise


def test_diary_queries_use_the_event_indexes(tmp_path):
    db = connect(tmp_path / "idx.db", create=True)
    plan = " ".join(
        str(r)
        for sql in (
            "SELECT * FROM events WHERE kind = 'session' AND date >= '2026-11-30' AND date <= '2026-12-06'",
            "SELECT id FROM events WHERE corrects = 7",
        )
        for r in db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
    )
    assert "events_kind_date" in plan and "events_corrects" in plan
    db.close()
