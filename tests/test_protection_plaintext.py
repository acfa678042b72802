"""No database by accident: only ``init`` and ``demo`` create one, nothing plain is made or opened while
``MHTR_KEY`` is set, and a failed ``init`` leaves no file that a later command would take up as a database."""

from __future__ import annotations

import gc
import os

import pytest

from db import crypto
from db.connection import connect
from db.errors import DatabaseError
from db.paths import NoDatabase
from mhtr_tui import main

KEY = "plaintext-guard-key-42"

# Every command that reads or writes an existing database, with arguments it would accept on a real one.
COMMANDS = [
    ["client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987"],
    ["client", "list"],
    ["client", "show", "MHTR-0001"],
    ["client", "archive", "MHTR-0001", "--reason", "moved away"],
    ["event", "MHTR-0001", "screening"],
    ["tasks"],
    ["task", "done", "1"],
    ["questionnaire", "add", "MHTR-0001", "phq9", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
    ["letter", "gp", "MHTR-0001", "--preview"],
    ["share-week", "-o", "share"],
    ["appointment", "list"],
    ["export", "--month", "2026-10"],
    ["backup"],
    ["rekey"],
    ["sar", "MHTR-0001"],
    ["import", "caseload.csv", "--dry-run"],
]


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_command_on_a_missing_path_refuses_and_creates_nothing(tmp_path, capsys, monkeypatch, args):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "caseload.csv").write_text("Name,DOB\nRobin Synthetic,14/03/1987\n", encoding="utf-8")
    path = tmp_path / "typo" / "mhtr.db"
    assert main([*args, "--db", str(path)]) == 2
    err = _one_line(capsys.readouterr().err)
    assert f"no database at {path}; create one with `mhtr-tui init --encrypt --db {path}`" in err
    assert not path.exists() and not path.parent.exists()


def test_the_default_database_missing_names_plain_init_and_makes_no_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "data" / "mhtr.db"
    monkeypatch.setenv("MHTR_DB", str(path))
    assert main(["client", "list"]) == 2
    assert f"no database at {path}; create one with `mhtr-tui init --encrypt`\n" in capsys.readouterr().err
    assert not path.parent.exists()


def test_an_empty_file_is_not_a_database_either(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(NoDatabase):
        connect(path)
    assert path.stat().st_size == 0


def test_with_the_key_set_a_mistyped_path_never_receives_a_name(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MHTR_KEY", KEY)
    path = tmp_path / "mistyped.db"
    assert main(["client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--db", str(path)]) == 2
    assert "no database at" in _one_line(capsys.readouterr().err)
    assert not path.exists()


def test_with_the_key_set_init_without_encrypt_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MHTR_KEY", KEY)
    path = tmp_path / "new.db"
    assert main(["init", "--db", str(path)]) == 2
    err = _one_line(capsys.readouterr().err)
    assert "MHTR_KEY is set" in err and "`mhtr-tui init --encrypt`" in err
    assert not path.exists()
    assert main(["init", "--encrypt", "--db", str(path)]) == 0
    assert crypto.is_encrypted(path)


def test_with_the_key_set_a_plain_database_is_neither_read_nor_written(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "plain.db"
    assert main(["init", "--db", str(path)]) == 0
    assert main(["client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--db", str(path)]) == 0
    capsys.readouterr()
    gc.collect()  # the commands' connections closed, their log folded in: the files as they rest
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    monkeypatch.setenv("MHTR_KEY", KEY)
    for args in (["client", "add", "--name", "Jo Synthetic", "--dob", "01/02/1990"], ["client", "list"], ["backup"]):
        assert main([*args, "--db", str(path)]) == 2
        err = _one_line(capsys.readouterr().err)
        assert "is not encrypted, but MHTR_KEY is set" in err and "mhtr-tui rekey" in err
    gc.collect()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    # The way on that the message names: rekey encrypts it, and then the key opens it.
    monkeypatch.setenv("MHTR_NEW_KEY", KEY)
    assert main(["rekey", "--db", str(path)]) == 0
    assert main(["client", "list", "--db", str(path)]) == 0
    assert "Robin Synthetic" in capsys.readouterr().out


def test_with_the_key_set_the_demo_is_made_encrypted(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MHTR_KEY", KEY)
    path = tmp_path / "demo.db"
    assert main(["demo", "--clients", "2", "--db", str(path)]) == 0
    assert crypto.is_encrypted(path)
    assert b"Synthetic" not in path.read_bytes()


def test_restoring_a_plain_backup_while_the_key_is_set_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "plain.db"
    assert main(["init", "--db", str(path)]) == 0
    assert main(["client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--db", str(path)]) == 0
    assert main(["backup", str(tmp_path / "copy.db"), "--db", str(path)]) == 0
    capsys.readouterr()
    target = tmp_path / "elsewhere.db"
    monkeypatch.setenv("MHTR_KEY", KEY)
    assert main(["restore", str(tmp_path / "copy.db"), "--db", str(target)]) == 2
    assert "would store the records unencrypted" in _one_line(capsys.readouterr().err)
    assert not target.exists()


def test_a_failed_init_leaves_no_file(tmp_path, capsys, monkeypatch):
    """A key holding bytes that are not UTF-8 crashed ``init --encrypt`` and left a 0-byte file, which the next
    command turned into a plain database."""
    path = tmp_path / "mhtr.db"
    monkeypatch.setenv("MHTR_KEY", os.fsdecode(b"\xff\xfe-not-utf8-key"))
    assert main(["init", "--encrypt", "--db", str(path)]) == 2
    assert "not UTF-8" in _one_line(capsys.readouterr().err)
    assert not path.exists()
    monkeypatch.delenv("MHTR_KEY")
    assert main(["client", "list", "--db", str(path)]) == 2
    assert not path.exists()


def test_a_creation_that_fails_half_way_takes_its_file_away(tmp_path, monkeypatch):
    import db.schema

    monkeypatch.delenv("MHTR_KEY", raising=False)

    def broken(_db):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(db.schema, "MIGRATIONS", [*db.schema.MIGRATIONS[:1], broken])
    path = tmp_path / "half.db"
    with pytest.raises(DatabaseError, match="could not update"):
        connect(path, create=True, key="half made key 1", encrypt=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


async def test_the_app_on_a_missing_path_offers_to_create_and_creates_nothing_unasked(tmp_path, monkeypatch):
    from tui.app import MhtrApp
    from tui.welcome import WelcomeScreen

    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "typo.db"
    app = MhtrApp(db_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("q")
    assert not path.exists()


async def test_the_app_with_the_key_set_will_not_create_an_unencrypted_database(tmp_path, monkeypatch):
    from tui.app import MhtrApp
    from tui.welcome import WelcomeScreen

    monkeypatch.setenv("MHTR_KEY", KEY)
    path = tmp_path / "new.db"
    app = MhtrApp(db_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert not path.exists()
        await pilot.press("q")
