"""A tamper-evident audit trail: someone holding the key rewrites it through SQLCipher directly, and
``audit verify``, every command and the app's start find it; the app's own connections refuse schema changes.

The tampering is what a determined user with the key can do: drop the triggers, delete a session and its audit
rows, change who made a change, and put the triggers back exactly as they were.
"""

from __future__ import annotations

import json

import pytest

from db import audit_chain, crypto
from db.backup import backup
from db.connection import connect
from db.errors import DatabaseError
from db.transaction import read_only_reason, transaction
from mhtr_tui import main
from records import casework, clients
from service.core import checklist_of
from tests.conftest import TODAY, snapshot_counts
from tests.sessions_support import sentenced_case

KEY = "tamper-test-key-8812"


def _session(db, ref: str, day: str) -> None:
    casework.record_event(db, ref, "session", day, {"outcome": "attended"}, TODAY, checklist=checklist_of(db))


@pytest.fixture
def service(tmp_path, monkeypatch):
    """An encrypted database with a sentenced client and four sessions; every later start has its head noted."""
    monkeypatch.setenv("MHTR_KEY", KEY)
    path = tmp_path / "mhtr.db"
    db = connect(path, create=True, encrypt=True)
    ref = sentenced_case(db, "2026-10-01")
    for day in ("2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27"):
        _session(db, ref, day)
    db.close()
    db = connect(path)  # a start: the head is recorded beside the database
    backup(db)  # the day's backup, with the head in its check file
    db.close()
    return path, ref


def _tamper(path, *, delete_session: bool = True, edit_who: bool = True, pad_after: int = 0) -> None:
    """Rewrite the trail as someone with the key would, with their own SQLCipher connection, then restore every
    trigger exactly as it was, so nothing in the schema shows it."""
    raw = crypto.open_raw(path, KEY)
    try:
        triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _ in triggers:
            raw.execute(f"DROP TRIGGER {name}")
        if delete_session:
            event = raw.execute(
                "SELECT id FROM events WHERE kind = 'session' AND date = '2026-10-13'"
            ).fetchone()[0]
            raw.execute("DELETE FROM tasks WHERE event_id = ?", [event])
            raw.execute("DELETE FROM audit WHERE tbl = 'events' AND row_id = ?", [event])
            raw.execute("DELETE FROM events WHERE id = ?", [event])
        if edit_who:
            first_event = "(SELECT min(id) FROM audit WHERE tbl = 'events')"
            raw.execute(f"UPDATE audit SET who = 'someone.else' WHERE id = {first_event}")
        for _, sql in triggers:
            raw.execute(sql)
    finally:
        raw.close()


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_a_fresh_trail_verifies_and_counts_its_entries(service, capsys):
    path, _ = service
    assert main(["audit", "verify", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    db = connect(path)
    entries = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert f"the audit trail is sound: {entries} entries" in out
    assert main(["audit", "verify", "--json", "--db", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["entries"] == entries and report["head"] == audit_chain.head(db.conn).as_dict()


def test_tampering_through_sqlcipher_is_found_by_verify_every_command_and_the_start(service, capsys):
    path, ref = service
    _tamper(path)
    before = path.read_bytes()

    assert main(["audit", "verify", "--db", str(path)]) == 2
    err = _one_line(capsys.readouterr().err)
    assert "has been tampered with" in err and "entry " in err and "mhtr-tui restore" in err

    # Every command finds it at its start: what writes is refused with the way out, what reads says so.
    for args in (
        ["client", "add", "--name", "Jo Synthetic", "--dob", "01/02/1990"],
        ["event", ref, "session", "--date", "2026-11-03", "--outcome", "attended"],
        ["task", "done", "1"],
        ["backup"],
    ):
        assert main([*args, "--db", str(path)]) == 2, args
        err = _one_line(capsys.readouterr().err)
        assert "has been tampered with" in err and "read-only" in err, args
    for args in (["client", "show", ref], ["client", "list"], ["tasks", "--due", "all"]):
        assert main([*args, "--db", str(path)]) == 0, args
        captured = capsys.readouterr()
        assert captured.out
        assert "warning: the audit trail" in _one_line(captured.err), args

    db = connect(path)
    assert read_only_reason(db) is not None
    counts = snapshot_counts(db)
    with pytest.raises(DatabaseError, match="tampered"), transaction(db):
        db.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
    with pytest.raises(crypto.driver_errors("OperationalError")):
        db.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")  # outside a transaction too
    assert snapshot_counts(db) == counts
    db.close()
    assert len(list((path.parent / "backups").glob("*.db"))) == 1  # no copy of it pushed the sound backup out
    assert path.read_bytes() == before


def test_tampering_far_back_in_the_trail_is_found_at_the_start_by_the_recorded_head(service, capsys):
    """The tampered rows are older than the tail every start re-hashes: the head recorded beside the database
    (how many entries led up to it) still shows the deletion."""
    path, ref = service
    db = connect(path)
    for n in range(audit_chain.TAIL):  # a busy day after the tampered session
        clients.update_client(db, ref, {"phone": f"0700 900 {n:03d}"}, TODAY)
    db.close()
    connect(path).close()
    _tamper(path, edit_who=False)
    assert main(["client", "add", "--name", "Jo Synthetic", "--dob", "01/02/1990", "--db", str(path)]) == 2
    assert "entries were deleted" in _one_line(capsys.readouterr().err)
    assert main(["audit", "verify", "--db", str(path)]) == 2
    assert "are missing" in _one_line(capsys.readouterr().err)


def test_an_old_who_changed_alone_is_found_by_verify(service, capsys):
    """What the start does not re-hash, ``audit verify`` does: every entry from the first."""
    path, ref = service
    db = connect(path)
    for n in range(audit_chain.TAIL):
        clients.update_client(db, ref, {"phone": f"0700 900 {n:03d}"}, TODAY)
    db.close()
    _tamper(path, delete_session=False)
    assert main(["audit", "verify", "--db", str(path)]) == 2
    err = _one_line(capsys.readouterr().err)
    first_event = connect(path).execute("SELECT min(id) FROM audit WHERE tbl = 'events'").fetchone()[0]
    assert f"entry {first_event} (events " in err and "does not match its hash" in err


def test_a_change_made_with_the_triggers_dropped_is_found_by_verify(service, capsys):
    """No audit row at all: the chain is intact, but the trail no longer replays to the record."""
    path, _ = service
    raw = crypto.open_raw(path, KEY)
    triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        raw.execute(f"DROP TRIGGER {name}")
    raw.execute("UPDATE clients SET name = 'Somebody Else'")
    for _, sql in triggers:
        raw.execute(sql)
    raw.close()
    assert main(["audit", "verify", "--db", str(path)]) == 2
    assert "clients row 1 differs from what the trail says it became" in _one_line(capsys.readouterr().err)


def test_a_trail_cut_short_is_found_at_the_start(service, capsys):
    path, _ = service
    raw = crypto.open_raw(path, KEY)
    raw.execute("DROP TRIGGER audit_no_delete")
    raw.execute("DELETE FROM audit WHERE id > (SELECT max(id) - 3 FROM audit)")
    raw.execute(audit_chain_trigger("audit_no_delete"))
    raw.close()
    assert main(["client", "list", "--db", str(path)]) == 0
    assert "is gone: the trail was cut short" in _one_line(capsys.readouterr().err)


def audit_chain_trigger(name: str) -> str:
    from db.schema import AUDIT_TABLE_TRIGGERS

    return AUDIT_TABLE_TRIGGERS[name]


@pytest.mark.parametrize(
    "damage",
    [
        "DROP TABLE audit",
        "DROP TRIGGER audit_events_ins",
        "DROP TRIGGER audit_chain",
        "DROP TRIGGER events_no_delete",
        "CREATE TRIGGER sneaky AFTER INSERT ON audit BEGIN SELECT 1; END",
    ],
)
def test_a_missing_table_or_trigger_makes_every_command_refuse_cleanly(service, capsys, damage):
    path, ref = service
    raw = crypto.open_raw(path, KEY)
    raw.execute(damage)
    raw.close()
    assert main(["client", "add", "--name", "Jo Synthetic", "--dob", "01/02/1990", "--db", str(path)]) == 2
    err = _one_line(capsys.readouterr().err)
    assert "has been tampered with" in err
    assert main(["audit", "verify", "--db", str(path)]) == 2
    _one_line(capsys.readouterr().err)
    assert main(["client", "show", ref, "--db", str(path)]) in (0, 2)
    _one_line(capsys.readouterr().err)


async def test_the_app_starts_read_only_and_says_how_to_restore(service):
    from tui.app import MhtrApp

    path, _ = service
    _tamper(path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "READ-ONLY" in app.sub_title
        shown = " ".join(str(n.message) for n in app._notifications)
        assert "has been tampered with" in shown and "mhtr-tui restore" in shown
        await pilot.press("q")
    assert read_only_reason(app.db) is not None


def test_the_apps_connections_refuse_schema_changes(db):
    clients.add_client(db, {"name": "Audra Vell", "dob": "1981-02-03"}, TODAY)
    for sql in (
        "DROP TABLE audit",
        "DROP TRIGGER audit_no_delete",
        "DROP TRIGGER events_no_delete",
        "CREATE TRIGGER x AFTER INSERT ON clients BEGIN SELECT 1; END",
        "CREATE TEMP TRIGGER x AFTER INSERT ON clients BEGIN SELECT 1; END",
        "ALTER TABLE audit RENAME TO old_audit",
        "ALTER TABLE clients ADD COLUMN secret TEXT",
        "DROP INDEX clients_nhs",
        "PRAGMA writable_schema = ON",
    ):
        with pytest.raises(crypto.driver_errors("DatabaseError"), match="not authorized"):
            db.execute(sql)
    assert audit_chain.structure_problems(db) == []


def test_an_earlier_database_gets_its_trail_chained_when_it_is_updated(tmp_path, monkeypatch):
    import db.connection
    import db.schema as schema

    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # the version before the chain: its schema, and no check of the chain
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:4])
        m.setattr(db.connection, "_check_audit", lambda *a: None)
        old = connect(path, create=True)
        ref = sentenced_case(old, "2026-10-01")
        _session(old, ref, "2026-10-06")
        assert not audit_chain.has_chain(old.conn)
        entries = old.execute("SELECT count(*) FROM audit").fetchone()[0]
        old.close()
    db = connect(path)
    count, head, problem = audit_chain.walk(db.conn)
    assert (count, problem) == (entries, None) and head == audit_chain.head(db.conn)
    assert audit_chain.structure_problems(db) == []
    assert read_only_reason(db) is None


def test_each_backup_records_the_head_and_a_tampered_backup_is_not_restored(service, capsys):
    path, ref = service
    db = connect(path)
    made = backup(db)
    head = audit_chain.head(db.conn)
    db.close()
    assert audit_chain.backup_head(made) == head
    assert oct(audit_chain.check_path(made).stat().st_mode & 0o777) == "0o600"

    raw = crypto.open_raw(made, KEY)
    raw.execute("DROP TRIGGER audit_no_update")
    raw.execute("UPDATE audit SET who = 'someone.else' WHERE id = 3")
    raw.execute(audit_chain_trigger("audit_no_update"))
    raw.close()
    assert main(["restore", str(made), "--db", str(path)]) == 2
    err = _one_line(capsys.readouterr().err)
    assert "has been tampered with" in err and "nothing was restored" in err


def test_restoring_an_older_backup_opens_writable(service, capsys):
    """The note beside the database recorded a longer trail; after a restore it records the restored one, so the
    next start does not take the restored (shorter) trail for one cut short."""
    path, ref = service
    db = connect(path)
    made = backup(db)
    _session(db, ref, "2026-11-03")
    db.close()
    connect(path).close()  # the longer trail's head is recorded
    assert main(["restore", str(made), "--db", str(path)]) == 0
    capsys.readouterr()
    assert main(["client", "add", "--name", "Jo Synthetic", "--dob", "01/02/1990", "--db", str(path)]) == 0
    assert main(["audit", "verify", "--db", str(path)]) == 0


def test_a_new_database_where_another_was_is_not_taken_for_it(tmp_path, capsys):
    """A database deleted and made again at the same path (``init`` or ``demo`` again) leaves the old file's note
    and backups beside the new one; the new file records its own (empty) head when it is made, so its next start
    compares with that, not with the old trail, and opens writable."""
    path = tmp_path / "mhtr.db"
    db = connect(path, create=True)
    ref = sentenced_case(db, "2026-10-01")
    _session(db, ref, "2026-10-06")
    db.close()
    db = connect(path)  # a start: the old trail's head is noted beside the database
    backup(db)  # and kept in the backup's check file
    db.close()
    assert audit_chain.note_head(path) is not None
    for leftover in (path, *(tmp_path / f"mhtr.db{side}" for side in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)

    db = connect(path, create=True)  # the new database: a shorter trail than the one noted
    sentenced_case(db, "2026-11-02")
    db.close()
    db = connect(path)
    try:
        assert read_only_reason(db) is None
    finally:
        db.close()
    assert main(["client", "add", "--name", "Jo Synthetic", "--dob", "01/02/1990", "--db", str(path)]) == 0
    assert main(["audit", "verify", "--db", str(path)]) == 0
    capsys.readouterr()
