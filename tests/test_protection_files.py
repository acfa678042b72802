"""Every file and folder the app creates is its owner's only, whatever the umask: the database and its journal
files, backups, the subject access document, letters and exports (reliability anchors section 5, goal 13), and
files appear whole or not at all."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from db.connection import connect
from db.files import create_private, private_dir, write_private
from mhtr_tui import main
from records.casework import record_event
from records.clients import add_client
from service.core import checklist_of

TODAY = date(2026, 11, 20)


def _loose(root: Path) -> list[str]:
    """Every file or folder under ``root`` that another account could read, write or enter."""
    out = []
    for p in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(p.lstat().st_mode)
        if mode & 0o077:
            out.append(f"{p.relative_to(root.parent)} {oct(mode)}")
    return out


def test_helpers_are_owner_only_under_umask_022(tmp_path, umask_022):
    folder = private_dir(tmp_path / "a" / "b" / "c")  # missing parents too, not only the last folder
    create_private(folder / "empty.db")
    write_private(folder / "letter.docx", b"first")
    with pytest.raises(FileExistsError):
        write_private(folder / "letter.docx", b"second")  # never replaces a file unless asked
    assert (folder / "letter.docx").read_bytes() == b"first"
    write_private(folder / "letter.docx", b"second", overwrite=True)
    assert (folder / "letter.docx").read_bytes() == b"second"
    assert _loose(tmp_path / "a") == []
    assert sorted(p.name for p in folder.iterdir()) == ["empty.db", "letter.docx"]  # no temporary file left


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "return.xlsx"
    write_private(target, b"old return")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_private(target, b"new return", overwrite=True)
    with pytest.raises(OSError, match="disk full"):
        write_private(tmp_path / "new.xlsx", b"anything")
    monkeypatch.undo()
    assert target.read_bytes() == b"old return"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["return.xlsx"]


def test_everything_the_app_creates_is_owner_only(tmp_path, umask_022, monkeypatch, capsys):
    monkeypatch.setenv("MHTR_KEY", "owner only key 1")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg" / "share"))
    monkeypatch.delenv("MHTR_DB", raising=False)
    root = tmp_path / "work"
    db_file = root / "data" / "mhtr.db"
    db_opt = ["--db", str(db_file)]
    assert main(["init", "--encrypt", *db_opt]) == 0
    assert main(["client", "add", "--name", "Perm Synthetic", "--dob", "03/04/1980", *db_opt]) == 0
    assert main(["event", "MHTR-0001", "screening", "--date", "02/11/2026", *db_opt]) == 0
    assert main(["backup", *db_opt]) == 0  # the rotation folder beside the database
    private_dir(root / "offsite")  # a backup goes only into a folder that exists (a drive that is mounted)
    assert main(["backup", str(root / "offsite" / "copy.db"), *db_opt]) == 0
    assert main(["sar", "MHTR-0001", "-o", str(root / "sar" / "out.docx"), *db_opt]) == 0
    assert main(["export", "--month", "2026-11", "-o", str(root / "exports" / "nov.xlsx"), *db_opt]) == 0
    assert main(["export", "--month", "2026-11", "--format", "csv", "-o", str(root / "exports" / "csv"), *db_opt]) == 0
    capsys.readouterr()

    # A letter, written where the app puts letters by default (a folder beside the database).
    db = connect(db_file)
    record_event(db, "MHTR-0001", "assessment", "2026-11-03", {}, TODAY, checklist=checklist_of(db))
    declined = {"decision": "declined", "reason": "needs secondary care"}
    record_event(db, "MHTR-0001", "cl-decision", "2026-11-04", declined, TODAY, checklist=checklist_of(db))
    from letters.documents import write_document

    letter = write_document(db, "gp", "MHTR-0001", today=TODAY, checklist=checklist_of(db)).path
    assert letter.exists()
    # With the connection still open the write-ahead log and shared-memory files exist; they count too.
    add_client(db, {"name": "Second Synthetic", "dob": "1990-01-01"}, TODAY)
    journals = [Path(f"{db_file}-wal"), Path(f"{db_file}-shm")]
    assert all(j.exists() for j in journals)
    made = {p.relative_to(root).parts[0] for p in root.rglob("*") if p.is_file()}
    assert made == {"data", "offsite", "sar", "exports"}
    assert any(p.suffix == ".docx" for p in (db_file.parent / "letters").iterdir())
    assert any((db_file.parent / "backups").iterdir())
    assert _loose(root) == []
    db.close()
    # The default data folder (no --db) is made owner-only as well, missing parents included.
    assert main(["init", "--encrypt"]) == 0
    assert _loose(tmp_path / "xdg") == []
