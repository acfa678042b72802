"""The key stays in the process: children get an environment without it, core dumps are off, and a rekey
stopped at any point leaves no backup on a key the database no longer has."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import rekey
from db.backup import backup, restore
from db.backup_files import list_backups
from db.connection import connect
from mhtr_tui import main
from records import clients
from service.clipboard import copy_text
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
OLD, NEW, THIRD = "the old key 1234", "the new key 5678", "a third key 9012"
PRODUCT = ("cli", "db", "vocabulary", "records", "tui", "letters", "exports", "importer", "questionnaires",
           "checklists", "demo", "service")


def test_the_clipboard_tool_gets_no_key(tmp_path, monkeypatch):
    monkeypatch.setenv("MHTR_KEY", OLD)
    monkeypatch.setenv("MHTR_NEW_KEY", NEW)
    seen = tmp_path / "env.txt"
    tool = tmp_path / "clip-tool"
    tool.write_text(f"#!/bin/sh\nenv > {seen}\ncat > /dev/null\n")
    tool.chmod(0o700)
    assert copy_text("entry text", command=[str(tool)]) == "copied to the system clipboard"
    env = seen.read_text()
    assert "MHTR_KEY" not in env and "MHTR_NEW_KEY" not in env and OLD not in env and NEW not in env
    assert "PATH=" in env  # the rest of the environment is kept


def test_every_child_process_the_product_starts_is_given_an_environment():
    """One rule for anything started later (a PDF viewer, LibreOffice...): every call that starts a process
    passes ``env=`` (``db.crypto.child_environment``)."""
    calls = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    name = ast.unparse(node.func)
                    if name.startswith(("subprocess.", "os.exec", "os.spawn", "os.popen", "os.system")):
                        calls.append((path.relative_to(ROOT), name, any(k.arg == "env" for k in node.keywords)))
    assert calls, "the clipboard starts a tool"
    assert [c for c in calls if not c[2]] == []


def test_core_dumps_are_off_for_every_run():
    import resource

    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    if hard == 0:
        pytest.skip("this machine allows no core dumps at all (hard limit 0): nothing to switch off")
    code = (
        "import resource, sys, mhtr_tui\n"
        "hard = resource.getrlimit(resource.RLIMIT_CORE)[1]\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))\n"  # a shell where core dumps are on
        "mhtr_tui.main(['score', 'phq9', '0', '0', '0', '0', '0', '0', '0', '0', '0'])\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE)[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0"


@pytest.fixture
def keyed(tmp_path, monkeypatch):
    """An encrypted database on OLD with three backups on OLD."""
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "k.db"
    db = connect(path, create=True, key=OLD, encrypt=True)
    clients.add_client(db, {"name": "Rekey Synthetic", "dob": "1980-01-01"}, TODAY)
    for _ in range(3):
        backup(db, reason="before-migration")  # the rotation keeps three of a kind
    db.close()
    return path


def _keys_of_backups(path) -> list[str | None]:
    found = []
    for b in list_backups(path):
        found.append(next((k for k in (OLD, NEW, THIRD) if rekey._opens(b.path, k)), None))
    return found


def test_a_rekey_stopped_after_the_database_changed_finishes_on_the_next_start(keyed, monkeypatch):
    real = os.replace
    calls = []

    def stop_after_one(src, dst):
        if str(src).endswith(rekey.STAGED):
            calls.append(src)
            if len(calls) == 2:
                raise KeyboardInterrupt  # killed while putting the copies in place
        return real(src, dst)

    monkeypatch.setattr(rekey.os, "replace", stop_after_one)
    with pytest.raises(KeyboardInterrupt):
        rekey.rekey_database(keyed, OLD, NEW)
    monkeypatch.setattr(rekey.os, "replace", real)
    assert sorted(_keys_of_backups(keyed), key=str) == [NEW, OLD, OLD]  # was: stranded for ever
    connect(keyed, key=NEW).close()  # the next start finishes the job
    assert _keys_of_backups(keyed) == [NEW, NEW, NEW]
    assert not list(keyed.parent.glob("backups/*" + rekey.STAGED))
    changed, left = rekey.rekey_database(keyed, NEW, THIRD)  # a later rekey skips none of them
    assert left == [] and len(changed) == 3
    oldest = list_backups(keyed)[0].path
    restore(oldest, keyed, THIRD)  # and restore takes any of them


def test_a_rekey_stopped_before_the_database_changed_leaves_everything_on_the_old_key(keyed, monkeypatch):
    def fail(conn, new_key):
        raise KeyboardInterrupt

    monkeypatch.setattr(rekey, "rekey_connection", fail)
    with pytest.raises(KeyboardInterrupt):
        rekey.rekey_database(keyed, OLD, NEW)
    assert _keys_of_backups(keyed) == [OLD, OLD, OLD]
    assert not list(keyed.parent.glob("backups/*" + rekey.STAGED))
    connect(keyed, key=OLD).close()


def test_copies_left_by_a_killed_rekey_before_the_swap_are_dropped_on_the_next_start(keyed):
    """kill -9 leaves no handler to tidy up: the copies and the marker of a process that no longer runs."""
    for b in list_backups(keyed):
        rekey._stage_backup(b.path, OLD, NEW)
    Path(f"{keyed}{rekey.REKEYING}").write_text("999999999")  # no such process
    connect(keyed, key=OLD).close()
    assert _keys_of_backups(keyed) == [OLD, OLD, OLD]
    assert not list(keyed.parent.glob("backups/*" + rekey.STAGED))
    assert not Path(f"{keyed}{rekey.REKEYING}").exists()


def test_the_rekey_command_still_reports_what_it_changed(keyed, capsys, monkeypatch):
    monkeypatch.setenv("MHTR_KEY", OLD)
    monkeypatch.setenv("MHTR_NEW_KEY", NEW)
    assert main(["rekey", "--db", str(keyed)]) == 0
    assert "re-keyed; 3 backup(s) re-keyed to match" in capsys.readouterr().out
    assert _keys_of_backups(keyed) == [NEW, NEW, NEW]
