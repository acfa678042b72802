"""A new demo is built whole beside where it will live and put in place only when done and checked
(``db.connection.building``): the app never opens half a demo, a build that fails leaves nothing behind, and the
file put in place is as durable and as checked as any other. The same seed gives the same demo, row for row and
entry for entry in the audit trail."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime

import pytest

from db import audit_chain
from db import records as rec
from db.connection import building, building_path, connect
from db.errors import DatabaseError
from demo.generator import ensure_demo, fill_demo
from mhtr_tui import main
from records.clients import add_client
from service.core import checklist_of

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 12, 0)
SIDE = ("-wal", "-shm", "-journal", "-checked")


def _leftovers(path) -> list[str]:
    part = building_path(path)
    return [p.name for p in (part, *(part.with_name(part.name + s) for s in SIDE)) if p.exists()]


def test_the_demo_command_builds_a_new_database_whole_and_checked(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert main(["demo", "--clients", "6", "--db", str(path)]) == 0
    assert "6 synthetic clients added" in capsys.readouterr().out
    assert _leftovers(path) == []
    raw = sqlite3.connect(path)
    try:
        # Durable as every database: the write-ahead log, not the build's journal in memory.
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        from db.audit_link import register
        from db.schema import AUDIT_LINK

        register(raw, AUDIT_LINK)
        rows, head, problem = audit_chain.walk(raw)
    finally:
        raw.close()
    assert problem is None and rows > 0
    # The chain's head is kept beside it for the next start-up check to compare with.
    assert audit_chain.note_head(path) == head
    db = connect(path)
    try:
        assert rec.count_clients(db) == 6
    finally:
        db.close()


def test_a_build_that_fails_leaves_nothing_where_the_app_would_open_it(tmp_path):
    path = tmp_path / "demo.db"
    with pytest.raises(RuntimeError), building(path) as db:
        rec.set_setting(db, "synthetic", "1")
        add_client(db, {"name": "Ann Example", "dob": "1980-04-03"}, TODAY)
        raise RuntimeError("stopped part-way")
    assert not path.exists() and _leftovers(path) == []


def test_a_refused_demo_leaves_no_database_behind(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert main(["demo", "--clients", "0", "--db", str(path)]) != 0
    assert "--clients must be between 1 and 5000" in capsys.readouterr().err
    assert not path.exists() and _leftovers(path) == []


def test_a_build_is_refused_where_a_database_already_is(tmp_path):
    path = tmp_path / "demo.db"
    connect(path, create=True).close()
    with pytest.raises(DatabaseError, match="already holds a database"), building(path):
        pass
    assert _leftovers(path) == []


def test_a_demo_added_to_one_already_there_is_written_in_place(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert main(["demo", "--clients", "3", "--db", str(path)]) == 0
    assert main(["demo", "--clients", "2", "--db", str(path)]) == 0
    db = connect(path)
    try:
        assert rec.count_clients(db) == 5
    finally:
        db.close()


_TIMES = re.compile(r'"(created_at|recorded_at|closed_at|updated_at|opened_at|at)":"[^"]*"')
_TIME_COLUMNS = {"created_at", "recorded_at", "closed_at", "updated_at", "opened_at", "at"}


def _everything(path) -> list[tuple]:
    """Every row of every table and of the audit trail in order, the clock's times left out (they are when the
    demo was built)."""
    raw = sqlite3.connect(path)
    try:
        out: list[tuple] = []
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            cols = [r[1] for r in raw.execute(f"PRAGMA table_info({table})") if r[1] not in _TIME_COLUMNS | {"hash"}]
            for row in raw.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid"):
                out.append((table, *(_TIMES.sub(r'"\1":T', v) if isinstance(v, str) else v for v in row)))
        return out
    finally:
        raw.close()


def test_the_same_seed_gives_the_same_demo_row_for_row_and_in_the_trail(tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    ensure_demo(first, NOW, checklist_of, clients=30, seed=11)
    db = connect(second, create=True)
    try:
        fill_demo(db, 30, 11, NOW.date(), NOW, checklist=checklist_of(db))
    finally:
        db.close()
    a, b = _everything(first), _everything(second)
    assert sum(1 for r in a if r[0] == "audit") > 1000
    assert a == b


def test_a_database_built_where_another_was_is_not_taken_for_it_even_with_an_empty_trail(tmp_path):
    """The old file's note and backups stay beside a new build; the build records its own head (the empty one when
    nothing was written), so its first start never compares it with the old file's trail."""
    from db.backup import backup
    from db.transaction import read_only_reason

    path = tmp_path / "demo.db"
    db = connect(path, create=True)
    rec.set_setting(db, "synthetic", "1")
    add_client(db, {"name": "Ann Example", "dob": "1980-04-03"}, TODAY)
    backup(db)  # its head kept in the backup's check file
    db.close()
    for leftover in (path, *(tmp_path / f"demo.db{side}" for side in SIDE)):
        leftover.unlink(missing_ok=True)

    with building(path):
        pass
    assert audit_chain.note_head(path) == audit_chain.EMPTY
    db = connect(path)
    try:
        assert read_only_reason(db) is None
    finally:
        db.close()


def test_a_new_database_is_checked_as_every_open_checks_it_not_hashed_through_again(tmp_path, monkeypatch):
    """Every row of a build was hashed by its own trigger moments before: the check before it is put in place
    re-hashes the newest rows (``audit_chain.TAIL``), as every open does, not the whole trail a second time."""
    rehashed: list[int] = []
    link = audit_chain.link
    monkeypatch.setattr(audit_chain, "link", lambda prev, *row: (rehashed.append(row[0]), link(prev, *row))[1])
    path = tmp_path / "demo.db"
    with building(path) as db:
        fill_demo(db, 12, 3, TODAY, NOW, checklist=checklist_of(db))
        written = db.read("SELECT count(*) FROM audit").fetchone()[0]
        assert rehashed == []  # the trigger's own hash is not the checks' name for it
    assert written > 3 * audit_chain.TAIL
    assert 0 < len(rehashed) <= audit_chain.TAIL + 1 and max(rehashed) == written
    assert audit_chain.note_head(path) == audit_chain.Head(written, written, _walked(path)[1].hash)


def _walked(path):
    raw = sqlite3.connect(path)
    try:
        from db.audit_link import register
        from db.schema import AUDIT_LINK

        register(raw, AUDIT_LINK)
        return audit_chain.walk(raw)
    finally:
        raw.close()


@pytest.mark.parametrize("tamper", ["hash", "trigger"])
def test_a_build_whose_trail_was_tampered_with_is_not_put_in_place(tmp_path, tamper):
    from db.guard import schema_changes
    from db.schema import AUDIT_TABLE_TRIGGERS

    path = tmp_path / "demo.db"
    found = "does not match its hash" if tamper == "hash" else "the trigger audit_chain is missing"
    with pytest.raises(DatabaseError, match=found), building(path) as db:
        rec.set_setting(db, "synthetic", "1")
        add_client(db, {"name": "Ann Example", "dob": "1980-04-03"}, TODAY)
        with schema_changes(db):
            if tamper == "hash":  # the newest row's hash rewritten, the guard put back as it was
                db.execute("DROP TRIGGER audit_no_update")
                db.execute("UPDATE audit SET hash = 'f00d' WHERE id = (SELECT max(id) FROM audit)")
                db.execute(AUDIT_TABLE_TRIGGERS["audit_no_update"])
            else:  # rows written with the chain's trigger gone
                db.execute("DROP TRIGGER audit_chain")
                add_client(db, {"name": "Bea Example", "dob": "1981-05-04"}, TODAY)
    assert not path.exists() and _leftovers(path) == []
