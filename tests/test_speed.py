"""The speed-ups issue 20's benchmarks led to, checked for doing the same job as the code they replace."""

from __future__ import annotations

import getpass

from checklists.model import load
from service.clock import Clock
from service.core import checklist_of
from tests.test_perf_fixes import _settle, _until
from vocabulary.event_kinds import EVENT_KINDS


def test_the_engine_looks_only_at_the_items_an_events_kind_names():
    checklist = load(None)
    for kind in EVENT_KINDS:
        assert checklist.items_started_by(kind) == tuple(i for i in checklist.items if kind in i.on)
        assert checklist.items_closed_by(kind) == tuple(
            i for i in checklist.items if any(t.kind == kind for t in (*i.done_on, *i.cancel_on))
        )
    assert checklist.items_started_by("session") and checklist.items_closed_by("court-outcome")
    assert checklist.items_started_by("no-such-kind") == ()


def test_the_login_name_is_looked_up_once_and_mhtr_user_still_wins(monkeypatch):
    from db import connection

    calls = []

    def counting() -> str:
        calls.append(1)
        return "login-name"

    monkeypatch.setattr(getpass, "getuser", counting)
    monkeypatch.delenv("MHTR_USER", raising=False)
    connection._login_name.cache_clear()
    try:
        assert [connection.current_user() for _ in range(5)] == ["login-name"] * 5
        assert len(calls) == 1
        monkeypatch.setenv("MHTR_USER", "jamie.rowe")
        assert connection.current_user() == "jamie.rowe"
    finally:
        connection._login_name.cache_clear()


def test_each_command_is_registered_by_the_module_named_for_it():
    import argparse
    import importlib

    import mhtr_tui
    from cli.common import add_db_option

    for name, commands in mhtr_tui.COMMAND_MODULES.items():
        sub = argparse.ArgumentParser().add_subparsers(dest="command")
        importlib.import_module(name).register(sub, add_db_option)
        assert tuple(sub.choices) == commands, name


def test_a_command_line_imports_only_its_own_commands_module():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, mhtr_tui\n"
        "p = mhtr_tui.build_parser(['--db', 'x.db', 'tasks', '--due', 'week', '--json'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('cli.')))\n"
        "print(p.parse_args(['--db', 'x.db', 'tasks', '--due', 'week', '--json']).due)\n"
        "print(len(mhtr_tui.build_parser(['--help'])._subparsers._group_actions[0].choices))\n"
        "print(len(mhtr_tui.build_parser(['no-such-command'])._subparsers._group_actions[0].choices))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    modules, due, every, unknown = out.stdout.splitlines()
    assert modules == "['cli.common', 'cli.tasks']"
    assert due == "week"
    import mhtr_tui

    everything = sum(len(c) for c in mhtr_tui.COMMAND_MODULES.values())
    assert int(every) == int(unknown) == everything  # help and mistakes still see every command


async def test_lists_make_only_the_cells_of_the_rows_they_show_and_show_every_row_on_the_way_down(tmp_path):
    """Today's week and the Caseload make a row's cells only when the table loads it (a screenful or two of
    thousands); paging down still reaches every row, with the cells it would have had."""
    from datetime import date

    from textual.app import App, ComposeResult

    from tui.task_table import NEAR_END, PagedTable, show_rows

    made = []

    def cells(n: int) -> tuple:
        made.append(n)
        return (f"row {n}", date(2026, 11, 20 + n % 5).isoformat())

    class Lists(App):
        def compose(self) -> ComposeResult:
            yield PagedTable()

    app = Lists()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(PagedTable)
        table.add_columns("What", "Due")
        rows = [(str(n), (lambda n=n: cells(n))) for n in range(1000)]
        await pilot.pause()
        show_rows(table, rows)
        await pilot.pause()
        first = 20 + NEAR_END  # a screenful and a little more
        assert table.row_count == first and sorted(made) == list(range(first))
        table.focus()
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.row_count == 1000 and sorted(made) == list(range(1000))
        assert table.get_row("999") == ["row 999", "2026-11-24"]
        made.clear()
        show_rows(table, rows[::2])  # every other row gone: filled again, its first screenfuls made again
        assert table.row_count == first and table.get_row_index("2") == 1
        assert sorted(made) == list(range(0, 2 * first, 2))


async def test_todays_diary_line_is_drawn_again_only_when_it_changes(tmp_path):
    """After a tick the diary line is nearly always the same: replacing it with itself cost a frame of its own."""
    from datetime import datetime

    from textual.widgets import Static

    from db.connection import connect
    from records import appointments as ap
    from tests.conftest import TODAY
    from tests.test_diary_pilot import diary_db
    from tests.test_diary_views import _absences
    from tui.app import MhtrApp

    path = tmp_path / "d.db"
    data = diary_db(path)
    db = connect(path)
    _absences(db, data["refs"][0])
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#today-diary", Static)
        before = str(box.render())
        assert "Next: Mon 23/11 14:00" in before
        drawn = []
        real_update = box.update
        box.update = lambda *a, **k: (drawn.append(a), real_update(*a, **k))[1]
        await pilot.press("space")  # a tick: the list reloads, the diary line says the same
        await _settle(pilot)
        assert drawn == [] and str(box.render()) == before
        other = connect(path)  # another copy books an appointment sooner: the line changes, and is drawn
        ap.book_appointment(other, data["refs"][1], datetime(2026, 11, 23, 9, 0), mode="phone",
                            now=datetime(2026, 11, 20, 8, 0), checklist=checklist_of(other))
        other.close()
        await pilot.press("r")
        assert await _until(pilot, lambda: drawn)
        await _settle(pilot)
        assert len(drawn) == 1 and "Next: Mon 23/11 09:00" in str(box.render())


def test_a_diary_week_reads_only_its_linked_events_once_every_case_is_derived(tmp_path, monkeypatch):
    """The week's rows come out the same; the cases' states come from the kept states instead of reading every
    event of every case in the week again."""
    from datetime import datetime

    from db import records as rec
    from db.connection import connect
    from records import diary_views as dv
    from records import sessions as se
    from records.views import case_states
    from tests.conftest import TODAY
    from tests.test_diary_pilot import diary_db

    path = tmp_path / "d.db"
    diary_db(path)
    db = connect(path)
    now = datetime(2026, 11, 20, 12, 0)
    booked = [r for d in dv.week_view(db, TODAY, now)["days"] for r in d["rows"] if r["status"] == "booked"]
    se.record_attendance(db, booked[0]["id"], "attended", today=TODAY, now=now, checklist=checklist_of(db))
    expected = dv.week_view(db, TODAY, now)
    case_states(db)  # as the app's warm-up leaves them

    def every_event(*_args, **_kwargs):
        raise AssertionError("a week read every event of its cases")

    monkeypatch.setattr(rec, "events_for_cases", every_event)
    assert dv.week_view(db, TODAY, now) == expected
    assert any(r["event_id"] and r["outcome"] for d in expected["days"] for r in d["rows"])  # what happened, too
    db.close()


async def test_today_caseload_and_diary_are_built_once_and_come_back_as_new_ones_start(tmp_path, monkeypatch):
    """``t``, ``c`` and ``w`` show the same screen each time (building it again and reading every case again was
    most of those keys), put back as a new one would start: the list from the top, no filter, closed cases
    hidden, this week; reloaded only when something changed meanwhile."""
    from datetime import datetime

    from textual.widgets import DataTable, Input

    from db.connection import connect
    from demo.generator import fill_demo
    from tests.conftest import TODAY
    from tui.app import MhtrApp
    from tui.caseload import CaseloadScreen
    from tui.diary import DiaryScreen
    from tui.today import TodayScreen

    path = tmp_path / "demo.db"
    db = connect(path, create=True)
    fill_demo(db, 24, 7, TODAY, datetime(2026, 11, 20, 9, 30), checklist=checklist_of(db))
    db.close()
    loads = []
    real = CaseloadScreen.refresh_data

    def counting(self):
        loads.append(1)
        real(self)

    monkeypatch.setattr(CaseloadScreen, "refresh_data", counting)

    # the minute a screen loaded is part of what tells it to reload: the app's clock holds it still
    app = MhtrApp(db_path=path, clock=Clock.fixed(datetime(2026, 11, 20, 10, 0)))
    async with app.run_test(size=(100, 30)) as pilot:
        assert await _until(pilot, lambda: isinstance(app.screen, TodayScreen))
        today = app.screen
        await pilot.press("j", "j", "c")
        assert await _until(pilot, lambda: isinstance(app.screen, CaseloadScreen) and loads)
        await _settle(pilot)
        caseload = app.screen
        assert loads == [1]
        shown = caseload.query_one(DataTable).row_count
        await pilot.press("h", "j", "j", "slash", "a", "enter")  # closed shown, filtered, cursor down the list
        await _settle(pilot)
        assert caseload.query_one(DataTable).row_count != shown
        await pilot.press("t")
        assert await _until(pilot, lambda: app.screen is today)
        await _settle(pilot)
        assert today.query_one(DataTable).cursor_row == 0
        await pilot.press("c")
        assert await _until(pilot, lambda: app.screen is caseload)
        await _settle(pilot)
        assert loads == [1]  # nothing changed: not read again
        table = caseload.query_one(DataTable)
        assert caseload.query_one("#filter", Input).value == "" and "hidden" in caseload.query_one("#filter").classes
        assert not caseload.show_closed and table.row_count == shown and table.cursor_row == 0
        await pilot.press("enter")  # open a client, tick its first task, come back with c: read again
        assert await _until(pilot, lambda: app.screen is not caseload)
        await _settle(pilot)
        await pilot.press("space")
        await _settle(pilot)
        await pilot.press("c")
        assert await _until(pilot, lambda: app.screen is caseload and loads == [1, 1])
        await pilot.press("w")
        assert await _until(pilot, lambda: isinstance(app.screen, DiaryScreen))
        diary = app.screen
        this_week = diary.monday
        await pilot.press("right_square_bracket")
        assert await _until(pilot, lambda: diary.monday != this_week)
        await pilot.press("t")
        assert await _until(pilot, lambda: app.screen is today)
        await pilot.press("w")
        assert await _until(pilot, lambda: app.screen is diary)
        await _settle(pilot)
        assert diary.monday == this_week
        assert len(app.screen_stack) == 2  # the root alone above Textual's default screen


def test_a_case_is_found_by_its_reference_through_the_index_in_any_case_of_letters(db):
    """Every action looks its case up by reference; ``COLLATE NOCASE`` on the column read every case (the unique
    index is case-sensitive), about 1 ms a lookup on a large service. The reference typed in small letters
    still finds it, through the index."""
    from datetime import date

    from db import records as rec
    from records import clients

    ref = clients.add_client(db, {"name": "Ann Synthetic", "dob": "1990-02-03"}, date(2026, 12, 7))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        found = rec.get_case(db, f"  {ref.lower()} ")
    finally:
        db.conn.set_trace_callback(None)
    assert found is not None and found["ref"] == ref and found["name"] == "Ann Synthetic"
    plans = [" ".join(str(r[-1]) for r in db.read(f"EXPLAIN QUERY PLAN {sql}")) for sql in statements]
    assert plans and all("SCAN cases" not in p for p in plans), plans
    assert rec.get_case(db, "MHTR-9999") is None


def test_a_bookings_clash_check_reads_the_hours_around_its_slots_through_an_index(db):
    """The clash check read every appointment of the weeks between a series' first and last slot, by scanning the
    whole diary (thousands of rows on a service years old, for a handful of slots): it now asks for what starts
    close enough to each slot to overlap it, through the index on start times, for a series of any length (with
    its windows written as ranges joined by OR, SQLite walked the whole index from five slots). The clash is still
    found."""
    from datetime import datetime

    import pytest

    from records import appointments as ap
    from tests.sessions_support import sentenced_case

    ref = sentenced_case(db, "2026-10-01")
    now = datetime(2026, 10, 2, 9, 0)
    ap.book_appointment(db, ref, datetime(2026, 10, 20, 10, 0), mode="phone", now=now, checklist=checklist_of(db))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        for count in (4, 12):
            with pytest.raises(ap.OverlapError, match="overlaps"):
                ap.book_series(db, ref, datetime(2026, 10, 6, 10, 30), count, mode="phone", now=now,
                               checklist=checklist_of(db))
    finally:
        db.conn.set_trace_callback(None)
    clash_reads = [sql for sql in statements if "FROM appointments" in sql]
    plans = [" ".join(str(r[-1]) for r in db.read(f"EXPLAIN QUERY PLAN {sql}")) for sql in clash_reads]
    assert len(plans) == 4 and all("SCAN appointments" not in p for p in plans), plans  # the slots, the clash


def test_a_command_that_only_reads_loads_neither_sqlite_utils_nor_click_nor_pluggy(tmp_path, monkeypatch):
    """``tasks --json`` runs on the lean read path (``db.database.Database``): importing sqlite-utils (which imports
    click and pluggy) costs more than the whole of python+sqlite3 printing the same rows. The start-up audit check
    runs in it too. A write still loads it, on first use (the week's recurring tasks, the first time)."""
    import json
    import subprocess
    import sys
    from datetime import date
    from pathlib import Path

    from db.connection import connect
    from records import clients
    from tests.conftest import synthetic

    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "service.db"
    db = synthetic(connect(path, create=True))
    clients.add_client(db, {"name": "Ann Synthetic", "dob": "1990-02-03"}, date.today())
    db.close()
    code = (
        "import sys, mhtr_tui\n"
        "sys.argv = ['mhtr-tui', '--db', sys.argv[1], 'tasks', '--due', 'week', '--json']\n"
        "try:\n    mhtr_tui.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sqlite_utils', 'click', 'pluggy') if m in sys.modules), file=sys.stderr)\n"
    )
    root = Path(__file__).resolve().parents[1]
    for _ in range(2):  # the first of the week stores the week's recurring tasks (a write); the second only reads
        out = subprocess.run([sys.executable, "-c", code, str(path)], cwd=root, capture_output=True, text=True,
                             check=True)
    assert isinstance(json.loads(out.stdout), list)  # the command ran and printed its tasks
    assert out.stderr.strip().splitlines()[-1] == "[]", out.stderr


def test_printable_output_skips_the_per_character_escape_and_escapes_the_same():
    """Output is escaped for the terminal (``vocabulary.text.escape_for_terminal``) one character at a time in
    Python; printable text (``str.isprintable``, in C) is let through whole. That is right only if no character
    it calls printable is one the escape would act on: checked for every code point."""
    import sys

    from vocabulary.text import _unsafe, escape_for_terminal

    assert not [c for c in range(sys.maxunicode + 1) if chr(c).isprintable() and _unsafe(chr(c), False)]
    for text, lines, json_form, out in (
        ('[\n  {\n\t"name": "Ann Smith"\n  }\n]', True, True, '[\n  {\n\t"name": "Ann Smith"\n  }\n]'),
        ("Ann\x1b]0;x\x07 Smith\u202e\r\n", True, False, "Ann\\x1b]0;x\\x07 Smith\\u202e\\r\n"),
        ("Ann\nSmith\u00a0\u2028", False, True, "Ann\\u000aSmith\u00a0\\u2028"),
    ):
        assert escape_for_terminal(text, keep_lines=lines, json_escapes=json_form) == out


def test_the_time_a_row_is_written_is_utc_to_the_second_as_before():
    from datetime import UTC, datetime, timedelta

    from db.records import now_iso

    before = datetime.now(UTC).replace(microsecond=0)
    stamp = now_iso()
    after = datetime.now(UTC)
    assert len(stamp) == 20 and stamp.endswith("Z")
    assert before <= datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) <= after + timedelta(seconds=1)


def test_a_write_of_many_rows_at_once_waits_for_the_held_audit_check_too(tmp_path):
    """``Database.executemany`` (the tasks an event starts, stored by one statement) settles the start-up check the
    app holds back for its first frame, as every other write does, instead of meeting SQLite's refusal."""
    from db import tasks as taskdb
    from db.connection import connect

    path = tmp_path / "held.db"
    connect(path, create=True).close()
    db = connect(path, hold_audit_check=True)
    try:
        row = {"stage": "weekly", "key": "weekly.review", "title": "Weekly review", "due": "2026-12-07",
               "origin": "checklist", "urgent": 0, "period": "2026-W50"}
        taskdb.insert_tasks(db, [row, {**row, "period": "2026-W51"}])
        assert [t["period"] for t in db.query("SELECT period FROM tasks ORDER BY id")] == ["2026-W50", "2026-W51"]
        assert db.read("SELECT count(*) FROM audit WHERE tbl = 'tasks'").fetchone()[0] == 2
    finally:
        db.close()


async def test_the_key_bench_times_keys_only_once_the_apps_start_up_work_is_done():
    """The warm-up worker (every case's state, the day's first backup) runs after the first frame; a key timed
    while it ran was charged with it (the first tick on the ten-year service: 1.5 s instead of about 0.1)."""
    import asyncio
    import threading

    from textual.app import App

    from bench.keys import _timed, settled

    gate = threading.Event()  # the worker's work ends when the test says so, however loaded the machine

    class Busy(App):
        def on_mount(self) -> None:
            self.run_worker(lambda: gate.wait(10), thread=True, group="warm-up")

    app = _timed(Busy)()
    app.frames, app.cpu_at_frame = [], []
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.workers and not any(w.is_finished for w in app.workers)
        asyncio.get_running_loop().call_later(0.3, gate.set)
        await settled(app)
        assert gate.is_set() and all(w.is_finished for w in app.workers)


def test_every_key_that_missed_its_target_gets_its_profile_without_the_event_loops_frames():
    """RESULTS.md shows, for each key that missed this run (not for a list chosen beforehand), where its time went;
    the event loop's frames (waiting, passing messages on) are left out of the profile, the app's and Textual's
    own are kept."""
    import re

    from bench.keys import EVENT_LOOP_LEFT_OUT
    from bench.run import Row, missed_keys

    rows = [
        Row("Key: Caseload escape (clear filter)", "", "", "162 ms", "no"),
        Row("Key: Caseload j (down)", "", "", "3 ms", "yes"),
        Row("Start to first painted Today", "", "", "", "no"),
        Row("Key: Today/Caseload w (open Diary)", "", "", "210 ms", "no"),
    ]
    assert missed_keys(rows) == ["Caseload escape (clear filter)", "Today/Caseload w (open Diary)"]
    loop = ("base_events.py:1845(_run_once)", "selectors.py:451(select)", "events.py:78(_run)",
            "{method 'poll' of 'select.epoll' objects}", "message_pump.py:634(_process_messages)")
    work = ("_data_table.py:2087(_render_cell)", "caseload.py:137(_fill)", "screen.py:1316(_refresh_layout)")
    kept = [name for name in (*loop, *work) if re.search(EVENT_LOOP_LEFT_OUT, name)]
    assert kept == list(work)


# --- the lists of tasks: one lean read, each task made once ----------------------------------------------------


def test_the_lists_of_tasks_read_their_rows_as_named_tuples_not_a_dict_each(db, monkeypatch):
    """Today's week, ``tasks --json`` and a client's checklist read their tasks once as named tuples (``task_rows``)
    and make each into its task record once; a dict per row first (``db.query``) was most of Today's query."""
    from db.database import Database
    from records.views import case_detail, tasks
    from tests.conftest import TODAY
    from tests.test_start_up_speed import _busy_week

    _busy_week(db)
    ref = db.read("SELECT ref FROM cases WHERE archived_at IS NULL ORDER BY id").fetchone()[0]
    as_dicts: list[str] = []
    query = Database.query
    monkeypatch.setattr(Database, "query", lambda self, sql, params=None: (as_dicts.append(sql), query(
        self, sql, params))[1])
    for scope in ("week", "today", "overdue", "all"):
        assert tasks(db, TODAY, scope) and tasks(db, TODAY, scope, first=5)
    assert tasks(db, TODAY, "all", ref)
    assert case_detail(db, ref, TODAY)["tasks"]
    assert not [sql for sql in as_dicts if "FROM tasks" in sql]


def test_task_rows_are_the_rows_tasks_due_reads_with_the_same_names(db):
    from datetime import timedelta

    from db.tasks import task_rows, tasks_due
    from tests.conftest import TODAY
    from tests.test_start_up_speed import _busy_week

    _busy_week(db)
    case_id = db.read("SELECT min(id) FROM cases").fetchone()[0]  # the archived one
    for which in (
        {"until": TODAY + timedelta(days=7)},
        {"until": None},
        {"until": TODAY, "only_overdue_before": TODAY},
        {"until": None, "case_id": case_id, "include_closed": True},
        {"until": TODAY, "urgent": True},
        {"until": TODAY, "urgent": False, "limit": 4},
    ):
        rows = task_rows(db, **which)
        assert rows and [row._asdict() for row in rows] == tasks_due(db, **which), which


def test_the_in_process_query_figures_floor_runs_the_apps_own_sql(db):
    """The bench's floor for the Today query is the same SQL on a bare connection: it reads the rows the app shows
    (the archived case's tasks left out, as the app leaves them out) and nothing else."""
    import sqlite3

    from bench.queries import TODAY_SQL, bare_reads
    from records.views import tasks
    from tests.conftest import TODAY
    from tests.test_start_up_speed import _busy_week

    _busy_week(db)
    archived = {row[0] for row in db.read(
        "SELECT tasks.id FROM tasks JOIN cases ON cases.id = tasks.case_id WHERE cases.archived_at IS NOT NULL")}
    raw = sqlite3.connect(db.read("PRAGMA database_list").fetchone()[2])
    try:
        for scope in ("week", "today"):
            floor = [row[0] for row in bare_reads(raw, TODAY, scope)]
            assert sorted(floor) == sorted(t["id"] for t in tasks(db, TODAY, scope)), scope
            assert archived and not archived & set(floor)
        assert [row[0] for row in raw.execute(TODAY_SQL, [TODAY.isoformat()])] == [
            row[0] for row in bare_reads(raw, TODAY, "today")]
    finally:
        raw.close()


def test_the_command_figures_commands_take_turns_and_the_same_tasks_in_another_order_are_the_same_rows(tmp_path):
    """The bench times the app's command and its floors in turn (a change in the machine's load falls on each
    alike), keeps each one's first output to check, and counts the same tasks in another order as the same rows
    (the app lists them risk first, the bare query by date: its sqlite3 shell floor said "DIFFERENT rows")."""
    import sys

    from bench.queries import _median_runs, same_rows

    log = tmp_path / "order"
    argvs = [[sys.executable, "-c", f"open({str(log)!r}, 'a').write('{name}'); print('{name}')"] for name in "ab"]
    (a_s, a_out), (b_s, b_out) = _median_runs(argvs, None, 3)
    assert log.read_text() == "ab" + "ab" * 3 and (a_out, b_out) == (b"a\n", b"b\n") and a_s > 0 and b_s > 0
    assert same_rows([3, 1, 2], [1, 2, 3]) and not same_rows([1, 2], [1, 2, 3]) and not same_rows([1, 1, 2], [1, 2, 2])


def test_the_caseload_reads_its_cases_as_named_tuples_and_works_out_each_orders_end_once(db, monkeypatch):
    """The Caseload's rows are made again after any change (5,200 cases on a ten-year service): the cases are read
    once as named tuples (``case_rows``), and each case's order end (a calendar sum each time it is asked for) is
    worked out once, not up to four times; the rows are the same."""
    from datetime import date

    from db.database import Database
    from db.records import case_rows, list_cases
    from records.casework import record_event
    from records.clients import add_client
    from records.derived import derived
    from records.views import caseload
    from service.core import checklist_of
    from tests.conftest import TODAY
    from vocabulary.stages import CaseState

    orders = (("Robin Synthetic", date(2026, 10, 1), 12), ("Sasha Synthetic", date(2026, 9, 1), 6))
    for name, sentence, months in orders:
        ref = add_client(db, {"name": name, "dob": "1990-02-03"}, sentence)
        for kind, data in (("screening", {}), ("assessment", {}), ("cl-decision", {"decision": "approved"}),
                           ("court-outcome", {"outcome": "accepted", "order": "CO", "length_months": months})):
            record_event(db, ref, kind, sentence, data, sentence, checklist=checklist_of(db))
    add_client(db, {"name": "Tess Synthetic", "dob": "1990-02-03"}, TODAY)
    assert [row._asdict() for row in case_rows(db)] == list_cases(db)
    assert [row._asdict() for row in case_rows(db, include_archived=True)] == list_cases(db, include_archived=True)
    before = caseload(db, TODAY)
    assert [r["order_end"] for r in before] == ["2027-09-30", "2027-02-28", None]  # the order's last day; none yet
    assert [r["order_end_uk"] for r in before] == ["30/09/2027", "28/02/2027", ""]
    asked: list[int] = []
    end = CaseState.order_end
    monkeypatch.setattr(CaseState, "order_end", property(lambda st: (asked.append(1), end.fget(st))[1]))
    as_dicts: list[str] = []
    query = Database.query
    monkeypatch.setattr(Database, "query", lambda self, sql, params=None: (as_dicts.append(sql), query(
        self, sql, params))[1])
    derived(db).caseload = None  # made again, as after a change
    assert caseload(db, TODAY) == before
    assert len(asked) == 3 and not [sql for sql in as_dicts if "FROM cases JOIN clients" in sql]


async def test_lists_whose_columns_have_their_own_widths_do_not_measure_their_rows_and_show_the_same():
    """DataTable measures every cell of every row added, to widen the columns that fit their content; a list whose
    columns all have a width of their own (Today, the Caseload, a client's checklist) had every row measured for
    nothing, at each letter typed in the Caseload's filter. Its rows go unmeasured now, and the table's size and
    every line it draws are a DataTable's; a column that fits its content is measured as before."""
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from tui.task_table import PagedTable

    measured = []
    real = Text.__rich_measure__

    def measure(self, console, options):
        measured.append(self.plain)
        return real(self, console, options)

    class Lists(App):
        def compose(self) -> ComposeResult:
            yield PagedTable(id="ours")
            yield DataTable(id="theirs")

    rows = [(f"MHTR-{n:04d}", f"Name [{n}]", Text("in treatment", style="dim"), f"{n % 12}/12") for n in range(60)]
    app = Lists()
    Text.__rich_measure__ = measure  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(80, 30)) as pilot:
            ours, theirs = app.query_one("#ours", PagedTable), app.query_one("#theirs", DataTable)
            for table in (ours, theirs):
                for label, width in (("Ref", 9), ("Name", 12), ("Stage", 14), ("Sess", 5)):
                    table.add_column(Text(label), width=width, key=label)
            await pilot.pause()
            for table in (theirs, ours):
                measured.clear()
                for row in rows:
                    table.add_row(*row, key=row[0])
                await pilot.pause()
            assert measured == []  # ours, added last
            assert ours.virtual_size == theirs.virtual_size
            lines = [[strip.text for strip in map(table.render_line, range(20))] for table in (ours, theirs)]
            assert lines[0] == lines[1] and "MHTR-0003" in lines[0][4]
            ours.add_column(Text("Fits"), key="fits")  # a column that fits its content
            ours.add_row("MHTR-0999", "x", "y", "z", "a long cell", key="wide")
            await pilot.pause()
            assert "a long cell" in measured and ours.columns["fits"].content_width == len("a long cell")
    finally:
        Text.__rich_measure__ = real  # type: ignore[method-assign]
