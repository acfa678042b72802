"""Start-up (issue 20, item 2): what the first painted Today needs, and nothing more, before it is on screen; and a
bench that measures the start as an installed copy would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from db import audit_chain, crypto
from tests import test_protection_tamper as tamper
from tests.conftest import TODAY

service = tamper.service  # an encrypted service whose head is recorded (a fixture), and its tampering
_tamper = tamper._tamper

ROOT = Path(__file__).resolve().parents[1]


def _project_files_after(code: str) -> list[Path]:
    """The project's own source files (not its virtual environment's) a fresh interpreter has imported after
    running ``code``."""
    probe = (f"{code}\nimport sys\n"
             "print('\\n'.join(sorted(str(getattr(m, '__file__', None)) for m in list(sys.modules.values()))))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    files = [Path(line).resolve() for line in out.stdout.splitlines() if line.endswith(".py")]
    return [f for f in files if f.is_relative_to(ROOT) and not f.relative_to(ROOT).parts[0].startswith(".")]


def test_the_bench_compiles_every_module_of_the_project_the_start_imports():
    """The bench writes the project's bytecode before timing the start (an installed copy has it): a module left
    out is compiled from source at every measured start, a cost no user pays."""
    from bench.run import project_sources

    compiled = project_sources()
    ours = _project_files_after("import mhtr_tui, tui.app, tui.today, db.connection, service.core, records.views")
    assert ROOT / "vocabulary" / "stages.py" in ours
    missed = [p for p in ours if not any(p == c or p.is_relative_to(c) for c in compiled)]
    assert not missed, missed


# What the first Today may not have imported by the time its tasks are on screen: each is loaded where it is used.
NOT_BEFORE_TODAY = (
    "sqlite_utils", "click", "pluggy",  # the first write (db.database)
    "dateparser", "docx", "docxtpl", "openpyxl", "holidays",  # typed dates, documents, returns, bank holidays
    "xml.sax", "urllib.request", "http.client", "email",  # an Office file's properties (db.files.app_xml)
    "rich._emoji_codes",  # markup read in cells that hold none (Today's cells are Text)
    # The audit trail's start-up check and its hash (OpenSSL's), and the backups: after the first frame
    "db.audit_chain", "db.audit_link", "hashlib", "db.backup",
    "calendar", "getpass",  # a typed date's month names and lengths; the login name the first write records
)


def _modules_at_first_today(db_path: Path) -> set[str]:
    """The modules a fresh app has imported when its first Today has read and shown its tasks."""
    code = (
        "import asyncio, sys\n"
        "from tui.app import MhtrApp\n"
        "from tui.today import TodayScreen\n"
        "seen = []\n"
        "shown = TodayScreen.refresh_data\n"
        "def refresh_data(self):\n"
        "    shown(self)\n"
        "    seen.append(sorted(sys.modules))\n"
        "TodayScreen.refresh_data = refresh_data\n"
        "async def run():\n"
        "    async with MhtrApp(db_path=sys.argv[1]).run_test() as pilot:\n"
        "        await pilot.pause()\n"
        "asyncio.run(run())\n"
        "print('\\n'.join(seen[0]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(db_path)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return set(out.stdout.split())


def test_the_first_today_imports_only_what_it_shows(tmp_path, monkeypatch):
    from datetime import date

    from db.connection import connect
    from records import clients
    from tests.conftest import synthetic

    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "service.db"
    db = synthetic(connect(path, create=True))
    clients.add_client(db, {"name": "Ann [Synthetic]", "dob": "1990-02-03"}, date.today())
    db.close()
    loaded = _modules_at_first_today(path)
    assert "tui.today" in loaded and "db.connection" in loaded
    assert sorted(m for m in NOT_BEFORE_TODAY if m in loaded) == []


# --- the audit trail's start-up check, held back for the first frame ----------------------------------------------


def _count_frames(app) -> list[int]:
    """A list that grows by one each time ``app`` puts a frame on screen (``App._display``, outside a batch)."""
    frames: list[int] = []
    display = app._display

    def counted(screen, renderable):
        if renderable is not None and not app._batch_count:
            frames.append(1)
        return display(screen, renderable)

    app._display = counted
    return frames


def _counts(db) -> dict[str, int]:
    """Row counts of every table, read on the lean path (which does not run a held check)."""
    tables = [r[0] for r in db.read("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: db.read(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_a_write_waits_for_the_held_audit_check_and_then_goes_ahead(service, monkeypatch):
    from db import audit_chain
    from db.connection import connect
    from db.transaction import read_only_reason
    from records import clients

    path, _ = service
    checked_at: list = []  # the trail's head when the check ran
    check = audit_chain.start_problem
    monkeypatch.setattr(audit_chain, "start_problem", lambda db, *a: (checked_at.append(audit_chain.head(db.conn)),
                                                                      check(db, *a))[1])
    db = connect(path, hold_audit_check=True)
    try:
        assert checked_at == []
        head = audit_chain.head(db.conn)
        with pytest.raises(crypto.driver_errors("OperationalError"), match="readonly"):
            db.conn.execute("DELETE FROM settings")  # a write that would not wait is refused by SQLite
        assert clients.add_client(db, {"name": "Wren Synthetic", "dob": "1991-04-05"}, TODAY)
        assert checked_at == [head]  # the check ran first, on the trail as it was opened
        assert audit_chain.head(db.conn).last_id > head.last_id and read_only_reason(db) is None
        assert clients.add_client(db, {"name": "Ash Synthetic", "dob": "1992-04-05"}, TODAY)
        assert len(checked_at) == 1  # once
    finally:
        db.close()


def test_a_tampered_trail_is_read_but_the_first_write_runs_the_check_and_is_refused(service):
    from db import tasks as taskdb
    from db.connection import connect
    from db.errors import AuditBroken
    from db.transaction import read_only_reason
    from records import clients

    path, _ = service
    _tamper(path)
    db = connect(path, hold_audit_check=True)  # no finding yet: the check is held
    try:
        assert read_only_reason(db) is None
        assert taskdb.tasks_due(db, until=None)  # what is held can be read (and shown) meanwhile
        before = _counts(db)
        with pytest.raises(AuditBroken, match="has been tampered with"):
            clients.add_client(db, {"name": "Wren Synthetic", "dob": "1991-04-05"}, TODAY)
        assert _counts(db) == before
        assert "has been tampered with" in read_only_reason(db)
        with pytest.raises(AuditBroken):  # and every write after it, as after a check at opening
            clients.add_client(db, {"name": "Wren Synthetic", "dob": "1991-04-05"}, TODAY)
    finally:
        db.close()


def test_the_app_opening_a_database_it_must_migrate_checks_its_trail_at_once(tmp_path, monkeypatch):
    """The app's open holds the audit check (and the hash its trigger needs) only when opening writes nothing: a
    migration writes, chain and all, so it gets the hash first and the check at opening, as a command does."""
    import db.connection
    import db.schema as schema
    from db.connection import connect
    from db.transaction import read_only_reason
    from records import clients

    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # the version before the chain: its schema, and no check of the chain
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:4])
        m.setattr(db.connection, "_check_audit", lambda *a: None)
        old = connect(path, create=True)
        clients.add_client(old, {"name": "Wren Synthetic", "dob": "1991-04-05"}, TODAY)
        old.close()
    opened = connect(path, hold_audit_check=True)
    try:
        assert opened._held is None and read_only_reason(opened) is None  # checked at opening
        count, head, problem = audit_chain.walk(opened.conn)
        assert problem is None and head == audit_chain.head(opened.conn) and count > 0
        clients.add_client(opened, {"name": "Ash Synthetic", "dob": "1992-04-05"}, TODAY)
        assert audit_chain.walk(opened.conn)[2] is None
    finally:
        opened.close()


async def test_the_app_shows_today_first_then_checks_the_trail_before_any_write(service, monkeypatch):
    from db import audit_chain
    from db.transaction import read_only_reason
    from tui.app import MhtrApp
    from tui.today import TodayScreen

    path, _ = service
    _tamper(path)
    order: list[str] = []
    shown, check = TodayScreen.refresh_data, audit_chain.start_problem
    monkeypatch.setattr(TodayScreen, "refresh_data", lambda self: (order.append("today"), shown(self))[1])
    app = MhtrApp(db_path=path, today=TODAY)
    frames = _count_frames(app)
    monkeypatch.setattr(audit_chain, "start_problem", lambda *a: (
        order.append("check after the first frame" if frames else "check"), check(*a))[1])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert order[:2] == ["today", "check after the first frame"]
        assert "READ-ONLY" in app.sub_title
        shown_messages = " ".join(str(n.message) for n in app._notifications)
        assert "has been tampered with" in shown_messages
        before = _counts(app.db)
        await pilot.press("space")  # tick the first task: refused, nothing saved
        await pilot.pause()
        assert _counts(app.db) == before
        await pilot.press("q")
    assert read_only_reason(app.db) is not None


async def test_todays_first_render_is_the_first_frame_not_one_thrown_away(db_path, monkeypatch):
    """Textual mounts the app inside one batch of updates and throws away any frame rendered in it: Today pushed
    from there was rendered in full for nothing, and reached the screen only at the next update tick."""
    from db.connection import connect
    from tests.conftest import synthetic
    from tui.app import MhtrApp
    from tui.task_table import TaskTable

    db = synthetic(connect(db_path, create=True))
    _busy_week(db)
    db.close()
    in_batch: list[bool] = []
    render_line = TaskTable.render_line
    monkeypatch.setattr(TaskTable, "render_line", lambda self, y: (
        in_batch.append(self.app._batch_count > 0), render_line(self, y))[1])
    app = MhtrApp(db_path=db_path, today=TODAY)
    frames = _count_frames(app)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        assert frames and in_batch
        assert not any(in_batch)


def _styles_of(screen) -> list:
    """Every widget of ``screen``, the CSS it was given and the style it is drawn in."""
    return [(w, w.styles.css, w.rich_style) for w in screen.walk_children(with_self=True)]


async def test_todays_first_showing_styles_its_widgets_once_and_as_a_second_pass_would(db_path, monkeypatch):
    """Textual styles every widget of a screen again when it is shown; shown for the first time, Today's widgets
    were styled a moment before as they were mounted: the second pass is skipped (it cost about 3 ms of the first
    frame), and a second pass made after all changes nothing. A later showing is styled again."""
    from textual.css.stylesheet import Stylesheet

    from db.connection import connect
    from tests.conftest import synthetic
    from tui.app import MhtrApp
    from tui.today import TodayScreen

    db = synthetic(connect(db_path, create=True))
    _busy_week(db)
    db.close()
    restyled: list[str] = []
    update_nodes = Stylesheet.update_nodes

    def counted(self, nodes, animate=False):
        nodes = list(nodes)
        restyled.extend(type(n).__name__ for n in nodes if isinstance(n, TodayScreen))
        return update_nodes(self, nodes, animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", counted)
    app = MhtrApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        today = app.screen
        assert isinstance(today, TodayScreen) and restyled == []
        first = _styles_of(today)
        today.update_node_styles(animate=False)  # the pass skipped
        await pilot.pause()
        assert _styles_of(today) == first
        restyled.clear()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is today and restyled == ["TodayScreen"]  # shown again: styled again


# --- Today's first frame reads only the rows it shows ---------------------------------------------------------


def _busy_week(db) -> None:
    """Clients with many open tasks over the week: several on each day, urgent ones (due now and later, some
    raised together), the practitioner's own (no case), and one of an archived case."""
    from datetime import timedelta
    from random import Random

    from checklists.engine import TaskSpec
    from records import clients
    from records.task_actions import add_task

    rng = Random(20)
    cases = []
    for n in range(6):
        ref = clients.add_client(db, {"name": f"Tess Synthetic{n}", "dob": "1990-02-03"}, TODAY)
        cases.append(db.read("SELECT id FROM cases WHERE ref = ?", [ref]).fetchone()[0])
    for n in range(90):
        due = TODAY + timedelta(days=rng.randint(-20, 7))
        spec = TaskSpec(key=f"item-{n}", title=f"Task {n}", stage="court", due=due, urgent=rng.random() < 0.15,
                        origin="manual")
        add_task(db, rng.choice([*cases, None]), spec)
    db.execute("UPDATE cases SET archived_at = ? WHERE id = ?", [TODAY.isoformat(), cases[0]])


def test_the_first_rows_in_work_order_are_read_alone_and_are_the_same(db):
    from records.views import tasks

    _busy_week(db)
    for scope in ("week", "today", "overdue", "all"):
        whole = tasks(db, TODAY, scope)
        assert any(t["urgent"] for t in whole) and any(not t["client"] for t in whole)
        for first in (1, 3, 10, 40, len(whole), len(whole) + 5):
            assert tasks(db, TODAY, scope, first=first) == whole[:first], (scope, first)


async def test_today_reads_the_first_frames_rows_first_then_the_whole_week(db_path, monkeypatch):
    from db.connection import connect
    from records.views import tasks
    from service.tasks import Tasks
    from tests.conftest import synthetic
    from tui.app import MhtrApp
    from tui.task_table import TaskTable

    db = synthetic(connect(db_path, create=True))
    _busy_week(db)
    db.close()
    reads: list[tuple] = []
    read = Tasks.tasks
    app = MhtrApp(db_path=db_path, today=TODAY)
    frames = _count_frames(app)
    monkeypatch.setattr(Tasks, "tasks", lambda self, scope="today", ref=None, first=None: (
        reads.append((scope, first, bool(frames))), read(self, scope, ref, first))[1])
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        # No more than a 20-line terminal can show, then the rest once the first frame is on screen.
        assert reads[:2] == [("week", 20, False), ("week", None, True)]
        whole = [str(t["id"]) for t in tasks(app.db, TODAY, "week")]  # with the weekly tasks made after the frame
        assert len(whole) > 40
        today = app.screen
        table = today.query_one(TaskTable)
        assert [k for k, _ in table._mhtr_rows] == whole
        await pilot.press("end")
        assert table.row_count == len(whole)
        # Covered or shown again before the rest came: coming back reads the whole week.
        today._read_whole = False
        reads.clear()
        today.start_again()
        assert reads == [("week", None, True)] and today._read_whole
