"""Encryption at rest: connection settings enforced, no plaintext on disk, clean wrong-key refusal, rekey,
and the key never persisted anywhere (reliability anchors section 5, goals 4, 10, 11 and 12)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db import crypto, rekey
from db.backup import backup
from db.connection import connect, needs_key, open_database
from db.errors import DatabaseError
from records.casework import record_event
from records.clients import add_client, update_client
from service.core import checklist_of
from tests.conftest import TODAY, synthetic

ROOT = Path(__file__).resolve().parents[1]
KEY = "marker-passphrase-7Q4"
NAME = "Ximena Quarterfield"
NHS = "9994765914"
NOTE = "zebracrossing-anxiety-note"
MARKERS = [NAME, NHS, NOTE, "Quarterfield"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _encrypted(tmp_path, monkeypatch) -> tuple[Path, object]:
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "enc.db"
    db = synthetic(connect(path, create=True, key=KEY, encrypt=True))
    return path, db


def _client_with_markers(db) -> str:
    ref = add_client(db, {"name": NAME, "dob": "03/04/1980", "nhs_number": NHS}, TODAY)
    update_client(db, ref, {"gp_practice": "Marsh Lane Surgery"}, TODAY)
    record_event(db, ref, "screening", "2026-11-02", {}, TODAY, checklist=checklist_of(db))
    record_event(db, ref, "adjournment", "2026-11-03", {"reason": NOTE}, today=TODAY, checklist=checklist_of(db))
    return ref


def test_connection_settings_are_enforced_on_plain_and_encrypted_databases(tmp_path, monkeypatch):
    path, enc = _encrypted(tmp_path, monkeypatch)
    plain = connect(tmp_path / "plain.db", create=True)
    for db in (plain, enc):
        pragma = {
            p: db.execute(f"PRAGMA {p}").fetchone()[0]
            for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "temp_store")
        }
        assert pragma == {
            "journal_mode": "wal",
            "synchronous": 2,
            "foreign_keys": 1,
            "busy_timeout": 10000,
            "temp_store": 2,
        }
    assert enc.execute("PRAGMA cipher_version").fetchone()[0]  # SQLCipher really loaded
    assert plain.execute("PRAGMA cipher_version").fetchone() is None  # the standard library's sqlite3
    assert needs_key(path) and not needs_key(tmp_path / "plain.db")


def test_no_plaintext_in_database_journals_or_backups(tmp_path, monkeypatch):
    path, db = _encrypted(tmp_path, monkeypatch)
    ref = _client_with_markers(db)
    made = backup(db)
    # The connection stays open: the write-ahead log has not been checkpointed into the file.
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), made]
    assert Path(f"{path}-wal").stat().st_size > 0
    for f in files:
        data = f.read_bytes()
        assert b"SQLite format 3\x00" not in data[:100] or f.name.endswith("-shm")
        for marker in MARKERS:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert marker.encode(encoding) not in data, (f.name, marker, encoding)
    assert not path.read_bytes().startswith(b"SQLite format 3")
    assert not made.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("SELECT * FROM clients").fetchall()
    # With the key everything is there.
    db.close()
    again = connect(path, key=KEY)
    assert again.execute("SELECT name FROM clients").fetchone()[0] == NAME
    assert ref


def test_wrong_key_is_one_clean_line_and_changes_nothing(tmp_path, monkeypatch):
    path, db = _encrypted(tmp_path, monkeypatch)
    _client_with_markers(db)
    db.close()
    before = _sha(path)
    with pytest.raises(crypto.WrongKey, match=r"^wrong key for .*enc\.db$"):
        connect(path, key="not the key")
    with pytest.raises(crypto.KeyRequired, match="MHTR_KEY"):
        connect(path)
    asked = []
    with pytest.raises(crypto.WrongKey):
        open_database(path, lambda p: asked.append(p) or "still wrong")
    assert asked == [path]
    env = {**os.environ, "MHTR_KEY": "wrong key entirely"}
    out = subprocess.run(
        [sys.executable, "-m", "mhtr_tui", "client", "list", "--db", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert out.stderr.splitlines() == [f"mhtr-tui: wrong key for {path}"]  # no "ERROR CORE" library noise
    assert _sha(path) == before


def test_rekey_changes_the_key_of_the_database_and_its_backups(tmp_path, monkeypatch):
    path, db = _encrypted(tmp_path, monkeypatch)
    _client_with_markers(db)
    old_backup = backup(db)
    with pytest.raises(DatabaseError, match="open in another copy"):
        rekey.rekey_database(path, KEY, "brand new key 1")
    db.close()
    with pytest.raises(crypto.BadNewKey):
        rekey.rekey_database(path, KEY, "short")
    changed, left = rekey.rekey_database(path, KEY, "brand new key 1")
    assert changed == [old_backup] and left == []
    with pytest.raises(crypto.WrongKey):
        connect(path, key=KEY)
    assert connect(path, key="brand new key 1").execute("SELECT name FROM clients").fetchone()[0] == NAME
    crypto.open_raw(old_backup, "brand new key 1").close()
    with pytest.raises(crypto.WrongKey):
        crypto.open_raw(old_backup, KEY)


def test_rekey_encrypts_a_plain_database_and_its_backups(tmp_path):
    path = tmp_path / "plain.db"
    db = synthetic(connect(path, create=True))
    _client_with_markers(db)
    plain_backup = backup(db)
    db.close()
    assert NAME.encode() in plain_backup.read_bytes()
    changed, _ = rekey.rekey_database(path, None, "now encrypted 99")
    assert changed == [plain_backup]
    for f in (path, plain_backup):
        assert crypto.is_encrypted(f)
        assert NAME.encode() not in f.read_bytes()
    again = connect(path, key="now encrypted 99")
    assert again.execute("SELECT count(*) FROM clients").fetchone()[0] == 1
    assert again.execute("PRAGMA user_version").fetchone()[0] > 0


def test_the_key_is_never_persisted_nor_on_the_command_line(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "MHTR_KEY": KEY, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    env.pop("MHTR_DB", None)
    run = [sys.executable, "-m", "mhtr_tui"]
    db_opt = ["--db", str(data / "mhtr.db")]
    for args in (
        ["init", "--encrypt"],
        ["client", "add", "--name", NAME, "--dob", "03/04/1980"],
        ["backup"],
        ["sar", "MHTR-0001", "-o", str(tmp_path / "out")],
    ):
        out = subprocess.run(run + args + db_opt, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
    # A running command's command line does not hold the key (it came from the environment).
    proc = subprocess.Popen(run + ["client", "list"] + db_opt, cwd=ROOT, env=env, stdout=subprocess.PIPE)
    cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes() if Path(f"/proc/{proc.pid}").exists() else b""
    proc.communicate(timeout=60)
    assert KEY.encode() not in cmdline
    for f in tmp_path.rglob("*"):
        if f.is_file():
            blob = f.read_bytes()
            assert KEY.encode() not in blob and KEY.encode("utf-16-le") not in blob, f
