"""Nothing confirmed is lost: kill -9 of the writer, three writers at once, backups taken while another process
writes, a damaged file refused and restored, migrations that fail undone after a backup (reliability anchors
section 5, goals 2, 5, 7, 8 and 9). Writers are separate processes using the app's own write path
(``tests/protection_worker.py``)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import schema
from db.backup import backup, restore, verify
from db.backup_files import latest_backup, list_backups
from db.connection import connect
from db.crypto import is_encrypted, open_raw
from db.errors import DatabaseError
from db.health import DamagedDatabase, check_problems
from mhtr_tui import main
from records.casework import record_event
from records.clients import add_client
from service.core import checklist_of
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
KEY = "durable key 2026"


def _worker(
    *args: str, key: str | None = None, start_at: float | None = None, stop_file: Path | None = None, **kw
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "MHTR_KEY"}
    if key:
        env["MHTR_KEY"] = key
    if stop_file is not None:
        env["WORKER_STOP_FILE"] = str(stop_file)
    if start_at is not None:
        env["WORKER_START_AT"] = str(start_at)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.protection_worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _dump(conn) -> dict:
    """Every table's rows, in a canonical order, for comparing two databases."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    return {t: [list(r) for r in conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid')] for t in tables}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_kill_9_at_random_moments_loses_no_acknowledged_record(tmp_path, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "kill.db"
    connect(path, create=True, key=KEY, encrypt=True).close()
    rng = random.Random(20261120)
    acknowledged: list[str] = []
    trials = 20
    for trial in range(trials):
        proc = _worker("add", str(path), f"t{trial}", "100000", key=KEY)
        first = proc.stdout.readline()  # it is writing now
        assert first, proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        # Complete lines only: a line cut off by the kill was never acknowledged.
        lines = (first + rest).split("\n")[:-1]
        acknowledged += [line.split(" ", 1)[1] for line in lines]
    db = connect(path, key=KEY)  # the start-up health check passes after every crash
    names = {r[0] for r in db.execute("SELECT name FROM clients")}
    assert len(acknowledged) >= trials
    assert set(acknowledged) <= names, "an acknowledged save was lost"
    ids = [r[0] for r in db.execute("SELECT id FROM clients ORDER BY id")]
    assert ids == list(range(1, len(ids) + 1))  # contiguous: no half-written client
    # Each client came with its case and its audit rows, or not at all.
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == len(ids)
    inserts = "SELECT count(*) FROM audit WHERE tbl = 'clients' AND action = 'insert'"
    assert db.execute(inserts).fetchone()[0] == len(ids)
    assert check_problems(db.conn, full=True) == []  # integrity_check and cipher_integrity_check
    db.close()


def test_three_writers_lose_no_update_and_a_deferred_write_would(tmp_path, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "count.db"
    connect(path, create=True).close()
    go = time.time() + 3.0  # all three write at the same time, however slowly each one started
    procs = [_worker("count", str(path), "200", start_at=go) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [o[1] for o in outs]
    assert all(err == "" for _, err in outs)  # no OperationalError anywhere
    db = connect(path)
    assert db.execute("SELECT value FROM settings WHERE key = 'counter'").fetchone()[0] == "600"
    # Each of the 600 steps left its audit row: the trail is as complete as the data.
    assert db.execute("SELECT count(*) FROM audit WHERE tbl = 'settings'").fetchone()[0] == 600
    db.close()

    # The same work without BEGIN IMMEDIATE hits "database is locked": the regression the test above guards.
    other = tmp_path / "deferred.db"
    connect(other, create=True).close()
    go = time.time() + 3.0
    procs = [_worker("count-deferred", str(other), "200", start_at=go) for _ in range(3)]
    errors = sum(int(p.communicate(timeout=300)[0].strip() or 0) for p in procs)
    assert errors > 0


def test_a_backup_taken_while_another_process_writes_is_consistent_encrypted_and_restorable(tmp_path, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "live.db"
    connect(path, create=True, key=KEY, encrypt=True).close()
    stop = tmp_path / "stop"
    # The writer keeps adding until told to stop (at most 100,000): every backup below is taken mid-write.
    proc = _worker("add", str(path), "w", "100000", key=KEY, stop_file=stop)
    assert proc.stdout.readline()
    db = connect(path, key=KEY)
    made = []
    copies = tmp_path / "copies"
    copies.mkdir()
    while proc.poll() is None and len(made) < 3:
        # Into a folder: dated copies outside the rotation. Each is verified before it takes its name:
        # reopened with the key, integrity_check, and the same row counts as the snapshot it copied.
        made.append(backup(db, copies))
        time.sleep(0.05)
    writing = proc.poll() is None
    stop.touch()
    proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert writing and len(made) == 3
    assert len({copy.name for copy in made}) == 3  # three files, none replaced another
    for copy in made:
        data = copy.read_bytes()
        assert not data.startswith(b"SQLite format 3") and b"Worker w" not in data
        assert oct(copy.stat().st_mode & 0o777) == "0o600"
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(copy).execute("SELECT count(*) FROM clients").fetchone()
        conn = open_raw(copy, KEY)
        try:
            clients = conn.execute("SELECT count(*) FROM clients").fetchone()[0]
            # One snapshot: every client with its case and its audit row, never a client without them.
            assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == clients
            assert conn.execute("SELECT count(*) FROM audit WHERE tbl='clients'").fetchone()[0] == clients
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        finally:
            conn.close()
    final = backup(db)
    live = _dump(db.conn)
    db.close()
    fresh = tmp_path / "elsewhere" / "restored.db"
    restore(final, fresh, KEY)
    again = connect(fresh, key=KEY, create=False)
    assert json.dumps(_dump(again.conn), default=str) == json.dumps(live, default=str)
    again.close()


def _flip_page(path: Path, page: int, page_size: int = 4096) -> None:
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * page_size + 200)
        chunk = bytearray(fh.read(64))
        fh.seek((page - 1) * page_size + 200)
        fh.write(bytes(b ^ 0xFF for b in chunk))


def _with_records(path: Path, key: str | None) -> None:
    db = connect(path, create=True, key=key, encrypt=key is not None)
    for i in range(30):
        ref = add_client(db, {"name": f"Damage Synthetic {i}", "dob": "1980-01-01"}, TODAY)
        record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    backup(db)
    db.close()


@pytest.mark.parametrize("encrypted", [True, False])
def test_a_damaged_database_is_refused_untouched_and_the_backup_restores(tmp_path, monkeypatch, capfd, encrypted):
    key = KEY if encrypted else None
    monkeypatch.delenv("MHTR_KEY", raising=False)
    if key:
        monkeypatch.setenv("MHTR_KEY", key)
    path = tmp_path / "hurt.db"
    _with_records(path, key)
    saved = latest_backup(path)
    if encrypted:
        _flip_page(path, 3)  # the page's HMAC no longer matches
    else:
        with open(path, "r+b") as fh:  # a b-tree page whose header is garbage
            fh.seek(2 * 4096)
            fh.write(b"\xff" * 16)
    before = _sha(path)
    capfd.readouterr()
    assert main(["client", "list", "--db", str(path)]) == 2
    out, err = capfd.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "is damaged" in lines[0] and "it was not changed" in lines[0]
    assert f"mhtr-tui restore {saved}" in lines[0]  # names the latest backup and the command
    assert _sha(path) == before
    with pytest.raises(DamagedDatabase):
        connect(path, key=key)
    assert _sha(path) == before

    assert main(["restore", str(saved), "--db", str(path)]) == 0
    out, err = capfd.readouterr()
    assert err == "" and "restored" in out
    db = connect(path, key=key, create=False)
    assert db.execute("SELECT count(*) FROM clients").fetchone()[0] == 30
    db.close()
    kept = [b for b in list_backups(path) if b.reason == "damaged"]
    assert len(kept) == 1 and _sha(kept[0].path) == before  # the damaged file is kept as evidence, whole


async def test_the_app_refuses_a_damaged_database_with_the_way_out(tmp_path, monkeypatch):
    from tui.app import MhtrApp

    monkeypatch.setenv("MHTR_KEY", KEY)
    path = tmp_path / "hurt.db"
    _with_records(path, KEY)
    _flip_page(path, 3)
    before = _sha(path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert app.return_code == 2 and app.db is None
    assert _sha(path) == before


def _failing_migration(db) -> None:
    db.execute("ALTER TABLE clients ADD COLUMN half_done TEXT")
    db.execute("UPDATE clients SET half_done = 'x'")
    raise RuntimeError("step two failed")


def test_a_failing_migration_is_undone_after_a_backup_was_made(tmp_path, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "old.db"
    db = connect(path, create=True, key=KEY, encrypt=True)
    add_client(db, {"name": "Migrant Synthetic", "dob": "1980-01-01"}, TODAY)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    columns = [c[1] for c in db.execute("PRAGMA table_info(clients)")]
    before = _dump(db.conn)
    db.close()
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, _failing_migration])
    with pytest.raises(DatabaseError, match="the failed step was undone; the copy made before is") as exc:
        connect(path, key=KEY)
    monkeypatch.undo()
    monkeypatch.delenv("MHTR_KEY", raising=False)
    db = connect(path, key=KEY)  # this version opens it as it was
    assert db.execute("PRAGMA user_version").fetchone()[0] == version
    assert [c[1] for c in db.execute("PRAGMA table_info(clients)")] == columns
    assert _dump(db.conn) == before
    db.close()
    made = [b for b in list_backups(path) if b.reason == "before-migration"]
    assert len(made) == 1 and str(made[0].path) in str(exc.value)
    verify(made[0].path, KEY)  # openable with the key, integrity ok
    assert is_encrypted(made[0].path)


def test_a_pending_migration_runs_only_after_a_backup_and_a_new_database_needs_none(tmp_path, monkeypatch):
    path = tmp_path / "up.db"
    connect(path, create=True).close()
    assert list_backups(path) == []  # nothing to protect in a new database

    def _v_next(db) -> None:
        db.execute("ALTER TABLE clients ADD COLUMN added_later TEXT")

    seen = []
    real_backup = backup

    def spy(db, *a, **kw):
        seen.append(db.execute("PRAGMA user_version").fetchone()[0])
        return real_backup(db, *a, **kw)

    monkeypatch.setattr("db.backup.backup", spy)
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, _v_next])
    db = connect(path)
    assert seen == [len(schema.MIGRATIONS) - 1]  # the backup was of the old version
    assert "added_later" in [c[1] for c in db.execute("PRAGMA table_info(clients)")]
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    db.close()


def test_the_command_line_waits_for_another_copy_and_refuses_politely_past_the_timeout(tmp_path, monkeypatch, capfd):
    from db import connection

    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "shared.db"
    connect(path, create=True).close()
    add = ["client", "add", "--name", "Waiting Synthetic", "--dob", "01/01/1980", "--db", str(path)]
    # Another copy holds the write lock for a moment: the command waits for it, then saves.
    holder = _worker("hold", str(path), "1.0")
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    assert main(add) == 0
    assert time.monotonic() - started >= 0.5
    holder.communicate(timeout=30)
    capfd.readouterr()
    # Held past the timeout: one polite line, a non-zero exit, nothing written.
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.3)
    holder = _worker("hold", str(path), "5")
    assert holder.stdout.readline().strip() == "locked"
    try:
        assert main(add) == 2
        out, err = capfd.readouterr()
        assert err.splitlines() == [
            "mhtr-tui: the database is busy in another copy of mhtr-tui; nothing was saved, try again in a moment"
        ]
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    db = connect(path)
    assert db.execute("SELECT count(*) FROM clients").fetchone()[0] == 1
    db.close()


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_second_connection_in_the_app_keeps_its_locks_so_another_copy_cannot_lose_its_writes(
    tmp_path, monkeypatch, encrypted
):
    """The app opens the database twice (its warm-up worker, the Month screen). Opening a file also reads its
    header to tell whether it is encrypted; had that read closed a descriptor of the live file, POSIX would have
    dropped SQLite's locks, and a command run meanwhile would have folded the log in and deleted it under the
    app: the app's next write would go to a deleted file and be lost."""
    if encrypted:
        monkeypatch.setenv("MHTR_KEY", KEY)
    else:  # the key in the environment is for encrypted databases only: nothing plain opens while it is set
        monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "twice.db"
    app_db = connect(path, create=True, encrypt=encrypted)
    add_client(app_db, {"name": "First Synthetic", "dob": "1980-01-01"}, TODAY)
    second = connect(path)  # what the app's warm-up does while its first connection is open
    second.close()
    # Another copy reads and closes (as `mhtr-tui tasks` does).
    reader = _worker("clients", str(path), key=KEY if encrypted else None)
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert Path(f"{path}-wal").exists(), "the other copy took the log away from under the open app"
    add_client(app_db, {"name": "Second Synthetic", "dob": "1980-02-02"}, TODAY)
    reader = _worker("clients", str(path), key=KEY if encrypted else None)
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert out.strip() == "2"
    app_db.close()
