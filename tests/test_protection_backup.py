"""Backups: the rotation, the automatic backup on the first start of each day, and the backup, restore and rekey
commands with their refusals (reliability anchors section 5, goals 9 and 11)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from db.backup import backup, daily_backup_if_due, prune, restore
from db.backup_files import backup_name, backups_dir, latest_backup, list_backups
from db.connection import connect
from db.crypto import WrongKey, is_encrypted, open_raw
from db.errors import DatabaseError
from db.files import private_dir
from db.health import InUse
from mhtr_tui import main
from records.clients import add_client
from tests.conftest import TODAY

KEY = "backup key 12345"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(paths) -> list[str]:
    return sorted(Path(p).name for p in paths)


def test_the_rotation_keeps_a_week_of_days_a_month_of_weeks_and_special_copies(tmp_path):
    db_path = tmp_path / "mhtr.db"
    folder = private_dir(backups_dir(db_path))
    start = datetime(2026, 10, 1, 9, 0, 0)
    every = []
    for day in range(45):  # two a day for 45 days (Thu 1 Oct to Sat 14 Nov 2026)
        for hour in (9, 17):
            when = start + timedelta(days=day, hours=hour - 9)
            every.append(when)
            (folder / backup_name("mhtr", when)).write_bytes(b"")
    for i in range(5):
        (folder / backup_name("mhtr", start + timedelta(days=i), "before-migration")).write_bytes(b"")
        (folder / backup_name("mhtr", start + timedelta(days=i), "damaged")).write_bytes(b"")
    (folder / "mhtr-notes.txt").write_bytes(b"not a backup")  # other files are never touched
    prune(db_path)
    kept = list_backups(db_path)
    daily = [b.when for b in kept if b.reason is None]
    # The newest of each of the last 7 days, and the newest of each of the last 4 ISO weeks.
    last_days = [datetime(2026, 11, d, 17) for d in range(8, 15)]
    weeks = {datetime(2026, 11, 14, 17), datetime(2026, 11, 8, 17), datetime(2026, 11, 1, 17),
             datetime(2026, 10, 25, 17)}
    assert sorted(daily) == sorted(set(last_days) | weeks)
    assert len([b for b in kept if b.reason == "before-migration"]) == 3  # the 3 newest
    assert len([b for b in kept if b.reason == "damaged"]) == 5  # evidence, never pruned
    assert (folder / "mhtr-notes.txt").exists()
    assert latest_backup(db_path).name == backup_name("mhtr", datetime(2026, 11, 14, 17))


def test_the_first_start_of_each_day_makes_one_backup(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "daily.db"
    db = connect(path, create=True)
    morning = datetime(2026, 11, 20, 8, 30)
    assert daily_backup_if_due(db, morning) is None  # nothing written yet: nothing to keep
    add_client(db, {"name": "Daily Synthetic", "dob": "1980-01-01"}, TODAY)
    first = daily_backup_if_due(db, morning)
    assert first is not None and first.parent == backups_dir(path)
    assert daily_backup_if_due(db, morning + timedelta(hours=6)) is None
    second = daily_backup_if_due(db, morning + timedelta(days=1))
    assert second is not None and second != first
    db.close()
    # The command line makes the day's backup when it opens the database (today's real date).
    before = len(list_backups(path))
    assert main(["client", "list", "--db", str(path)]) == 0
    assert main(["client", "list", "--db", str(path)]) == 0
    assert len(list_backups(path)) == before + 1


def test_backup_command_refuses_to_replace_a_file_and_writes_nothing_half(tmp_path, capsys):
    path = tmp_path / "cmd.db"
    db = connect(path, create=True)
    add_client(db, {"name": "Command Synthetic", "dob": "1980-01-01"}, TODAY)
    db.close()
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"someone else's file")
    assert main(["backup", str(taken), "--db", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert taken.read_bytes() == b"someone else's file"
    assert main(["backup", str(path), "--db", str(path)]) == 2  # never over the database itself
    assert main(["backup", str(tmp_path / "copy.db"), "--db", str(path), "--json"]) == 0
    assert '"backup"' in capsys.readouterr().out
    made = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("cmd.db"))
    assert made == ["copy.db", "copy.db.check", "taken.db"]  # the backup and its check file (the audit head)
    assert main(["backup", "--db", str(tmp_path / "missing.db")]) == 2  # no database: nothing created
    assert not (tmp_path / "missing.db").exists()


def test_restore_refusals_change_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    enc = tmp_path / "enc.db"
    db = connect(enc, create=True, key=KEY, encrypt=True)
    add_client(db, {"name": "Restore Synthetic", "dob": "1980-01-01"}, TODAY)
    enc_copy = backup(db)
    plain_db = connect(tmp_path / "plain.db", create=True)
    add_client(plain_db, {"name": "Plain Synthetic", "dob": "1980-01-01"}, TODAY)
    plain_copy = backup(plain_db, tmp_path / "plain-copy.db")
    plain_db.close()
    with pytest.raises(InUse, match="open in another copy"):
        restore(enc_copy, enc, KEY)  # the app still has it open
    db.close()
    before = _sha(enc)
    with pytest.raises(DatabaseError, match="would store the records unencrypted"):
        restore(plain_copy, enc, None)
    with pytest.raises(WrongKey):
        restore(enc_copy, enc, "not the key at all")
    hurt = tmp_path / "hurt-copy.db"
    data = bytearray(enc_copy.read_bytes())
    data[4096 + 300 : 4096 + 340] = bytes(b ^ 0xFF for b in data[4096 + 300 : 4096 + 340])  # page 2
    hurt.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="nothing was restored"):
        restore(hurt, enc, KEY)
    with pytest.raises(DatabaseError, match="no backup at"):
        restore(tmp_path / "nowhere.db", enc, KEY)
    assert _sha(enc) == before
    assert [b.reason for b in list_backups(enc)] == [None]  # nothing moved aside by a refusal
    done = restore(enc_copy, enc, KEY)
    assert done.saved is not None and done.saved.name.endswith("-before-restore.db")
    assert is_encrypted(done.saved) and is_encrypted(enc)
    open_raw(enc, KEY).close()


def test_rekey_command_takes_keys_from_the_environment_only(tmp_path, monkeypatch, capsys):
    path = tmp_path / "rk.db"
    monkeypatch.setenv("MHTR_KEY", KEY)
    assert main(["init", "--encrypt", "--db", str(path)]) == 0
    assert main(["client", "add", "--name", "Rekey Synthetic", "--dob", "01/01/1980", "--db", str(path)]) == 0
    assert main(["backup", "--db", str(path)]) == 0
    capsys.readouterr()
    monkeypatch.delenv("MHTR_NEW_KEY", raising=False)
    assert main(["rekey", "--db", str(path)]) == 2  # no terminal to type it in, no MHTR_NEW_KEY
    assert "MHTR_NEW_KEY" in capsys.readouterr().err
    monkeypatch.setenv("MHTR_NEW_KEY", "short")
    assert main(["rekey", "--db", str(path)]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
    open_raw(path, KEY).close()  # unchanged
    monkeypatch.setenv("MHTR_NEW_KEY", "the new key 2027")
    assert main(["rekey", "--db", str(path)]) == 0
    assert "1 backup(s) re-keyed" in capsys.readouterr().out
    with pytest.raises(WrongKey):
        open_raw(path, KEY)
    monkeypatch.setenv("MHTR_KEY", "the new key 2027")
    assert main(["client", "list", "--db", str(path)]) == 0
    for b in list_backups(path):
        open_raw(b.path, "the new key 2027").close()


def test_init_refuses_an_existing_database_and_a_missing_key(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "init.db"
    assert main(["init", "--encrypt", "--db", str(path)]) == 2
    assert "needs a key" in capsys.readouterr().err and not path.exists()
    assert main(["init", "--db", str(path)]) == 0
    assert "mhtr-tui init --encrypt" in capsys.readouterr().out  # the advice for real records
    before = _sha(path)
    assert main(["init", "--encrypt", "--db", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert _sha(path) == before


def test_the_rotation_clears_copies_left_half_made_by_an_interrupted_backup(tmp_path):
    import os
    import time

    db = connect(tmp_path / "half.db", create=True)
    add_client(db, {"name": "Half Synthetic", "dob": "1980-01-01"}, TODAY)
    folder = private_dir(backups_dir(tmp_path / "half.db"))
    stale = folder / ".half-2026-11-19-091500.db.abc123.partial"
    stale_journal = Path(f"{stale}-journal")
    recent = folder / ".half-2026-11-20-091500.db.def456.partial"
    for f in (stale, stale_journal, recent):
        f.write_bytes(b"half a copy")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(stale_journal, (old, old))
    made = backup(db)
    db.close()
    assert not stale.exists() and not stale_journal.exists()
    assert recent.exists()  # possibly another copy's backup still running
    assert made.exists()


def test_a_restore_that_fails_half_way_puts_the_database_back(tmp_path, monkeypatch):
    import db.backup as backup_module

    path = tmp_path / "half.db"
    db = connect(path, create=True)
    add_client(db, {"name": "Halfway Synthetic", "dob": "1980-01-01"}, TODAY)
    copy = backup(db, tmp_path / "copy.db")
    add_client(db, {"name": "Later Synthetic", "dob": "1981-01-01"}, TODAY)
    db.close()
    before = _sha(path)
    real_replace = backup_module.os.replace

    def no_space(src, dst):
        if str(src).endswith(".restoring"):  # the database has been moved aside; the copy cannot go in
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(backup_module.os, "replace", no_space)
    with pytest.raises(DatabaseError, match=r"No space left on device.*is as it was"):
        restore(copy, path, None)
    monkeypatch.undo()
    assert _sha(path) == before
    assert list(backups_dir(path).iterdir()) == []  # nothing left behind in backups, journals included
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary copy either
    again = connect(path, create=False)
    assert again.execute("SELECT count(*) FROM clients").fetchone()[0] == 2
    again.close()


def test_unusable_places_are_one_line_refusals(tmp_path, capsys):
    path = tmp_path / "db.db"
    connect(path, create=True).close()
    long_name = tmp_path / ("x" * 300 + ".db")
    for argv, words in (
        (["backup", str(long_name)], "the backup could not be written (File name too long"),
        (["backup", "/proc/nope/x.db"], "no folder /proc/nope/ — is the drive connected?"),
        (["backup", "/proc/x.db"], "the backup could not be written"),
        (["restore", str(tmp_path)], "no backup at"),
    ):
        assert main([*argv, "--db", str(path)]) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and words in err, err
    assert main(["client", "list", "--db", str(tmp_path)]) == 2
    assert "cannot open" in capsys.readouterr().err
