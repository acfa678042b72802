"""Where files go: an output path typed ending in ``/`` is a folder for every command that takes one (``sar``,
``letter``, ``export``, ``share-week``, ``backup``), even before it exists, and is never turned into a file of
that name; a backup is never written into a folder that is not there (an unmounted drive); and opening one of
the app's own backups does not start a rotation of backups of it.
"""

from __future__ import annotations

import stat
from datetime import date, datetime, time
from pathlib import Path

import pytest

from db.backup import daily_backup_if_due
from db.backup_files import is_backup, list_backups
from db.connection import connect
from db.files import OutputRefused, names_folder, output_folder, resolve_output
from mhtr_tui import main
from records.casework import record_event
from records.clients import add_client
from service.core import checklist_of
from tests.conftest import TODAY
from vocabulary.identity import ValidationError


@pytest.fixture
def case_db(tmp_path, monkeypatch):
    """A plain database with one case that has a GP letter to write (a declined Clinical Lead decision)."""
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "data" / "mhtr.db"
    db = connect(path, create=True)
    person = {"name": "Path Synthetic", "dob": "1980-04-03", "gp_practice": "Example Surgery", "gp_address": "1 High"}
    ref = add_client(db, person, TODAY)
    record_event(db, ref, "assessment", "2026-10-03", {}, TODAY, checklist=checklist_of(db))
    record_event(
        db, ref, "cl-decision", "2026-10-04", {"decision": "declined", "reason": "secondary care"}, TODAY,
        checklist=checklist_of(db)
    )
    # and one sentenced client with a Responsible Officer and an appointment in the week of 16 November 2026
    from datetime import datetime

    from records.appointments import book_appointment
    from tests.sessions_support import sentenced_case

    shared = sentenced_case(db, "2026-11-02", name="Share Synthetic", ro="Sam Officer")
    book_appointment(
        db, shared, datetime(2026, 11, 17, 10, 0), place="Brook House", now=datetime(2026, 11, 3, 9),
        checklist=checklist_of(db)
    )
    db.close()
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("mhtr-tui: "), err
    return err


# --- the one rule ---------------------------------------------------------------------------------------------


def test_resolve_output_reads_a_trailing_separator_as_a_folder(tmp_path):
    (tmp_path / "there").mkdir()
    (tmp_path / "a-file").write_bytes(b"x")
    assert names_folder(f"{tmp_path}/new/") and names_folder(tmp_path / "there")
    assert not names_folder(tmp_path / "new") and not names_folder(tmp_path / "a-file")
    assert resolve_output(f"{tmp_path}/new/", "doc.docx") == tmp_path / "new" / "doc.docx"
    assert resolve_output(str(tmp_path / "there"), "doc.docx") == tmp_path / "there" / "doc.docx"
    assert resolve_output(str(tmp_path / "mine.docx"), "doc.docx") == tmp_path / "mine.docx"
    assert resolve_output(None, "doc.docx") == Path("doc.docx")
    assert resolve_output("  ", "doc.docx", default_folder=tmp_path / "d") == tmp_path / "d" / "doc.docx"
    assert resolve_output(f"{tmp_path}/there/", lambda folder: f"{folder.name}.db") == tmp_path / "there" / "there.db"
    assert not (tmp_path / "new").exists()  # resolving makes nothing: the writer makes the folder
    with pytest.raises(OutputRefused, match="no folder .*/missing/ to make new in"):
        resolve_output(f"{tmp_path}/missing/new/", "doc.docx")
    with pytest.raises(OutputRefused, match="no folder .*/missing/ to make deeper in"):
        resolve_output(f"{tmp_path}/missing/deeper/x.docx", "doc.docx")
    with pytest.raises(OutputRefused, match="is a file, not a folder"):
        resolve_output(f"{tmp_path}/a-file/", "doc.docx")
    with pytest.raises(OutputRefused, match=r"no folder .*/usb/ — is the drive connected\?"):
        resolve_output(f"{tmp_path}/usb/", "x.db", create_folder=False)
    with pytest.raises(OutputRefused, match=r"no folder .*/usb/ — is the drive connected\?"):
        resolve_output(f"{tmp_path}/usb/copy.db", "x.db", create_folder=False)
    # Several files into one folder (the weekly share, a CSV return): whatever is typed is the folder.
    assert output_folder(str(tmp_path / "share")) == tmp_path / "share"
    assert output_folder(None, default_folder=tmp_path) == tmp_path and output_folder("") == Path()
    with pytest.raises(OutputRefused, match="to make share in"):
        output_folder(f"{tmp_path}/missing/share")
    with pytest.raises(OutputRefused, match="is a file, not a folder"):
        output_folder(tmp_path / "a-file")


# --- subject access ---------------------------------------------------------------------------------------------


def test_sar_into_a_new_folder_typed_with_a_slash_makes_the_folder_owner_only(case_db, tmp_path, umask_022, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert main(["sar", "MHTR-0001", "-o", f"{out}/sar/", "--db", str(case_db)]) == 0
    folder = out / "sar"
    assert folder.is_dir() and _mode(folder) == 0o700  # was: a Word file named 'sar'
    written = list(folder.iterdir())
    assert [p.name for p in written] == [f"sar-MHTR-0001-{date.today().isoformat()}.docx"]
    assert _mode(written[0]) == 0o600
    assert str(written[0]) in capsys.readouterr().out


def test_sar_refuses_a_folder_whose_parent_is_missing_and_a_file_typed_as_a_folder(case_db, tmp_path, capsys):
    assert main(["sar", "MHTR-0001", "-o", f"{tmp_path}/no/such/", "--db", str(case_db)]) == 2
    assert "no folder" in _one_line(capsys)
    assert not (tmp_path / "no").exists()
    (tmp_path / "plain").write_bytes(b"not a folder")
    assert main(["sar", "MHTR-0001", "-o", f"{tmp_path}/plain/", "--db", str(case_db)]) == 2
    assert "is a file, not a folder" in _one_line(capsys)
    assert (tmp_path / "plain").read_bytes() == b"not a folder"


# --- backup -----------------------------------------------------------------------------------------------------


def test_backup_to_a_missing_folder_is_refused_never_written_to_the_internal_disk(case_db, tmp_path, capsys):
    media = tmp_path / "media"
    media.mkdir()
    assert main(["backup", f"{media}/usb/", "--db", str(case_db)]) == 2  # the stick is not mounted
    err = _one_line(capsys)
    assert f"no folder {media}/usb/ — is the drive connected?" in err
    assert list(media.iterdir()) == []  # was: a backup file named 'usb' on this disk
    assert main(["backup", f"{media}/usb/mhtr-copy.db", "--db", str(case_db)]) == 2  # a file name in it: the same
    assert "is the drive connected?" in _one_line(capsys)
    assert list(media.iterdir()) == []
    # Mounted (the folder exists): a dated backup inside it, with or without the slash.
    (media / "usb").mkdir()
    assert main(["backup", f"{media}/usb/", "--db", str(case_db)]) == 0
    assert main(["backup", f"{media}/usb", "--db", str(case_db)]) == 0
    made = sorted(p.name for p in (media / "usb").iterdir() if p.suffix == ".db")
    assert len(made) == 2 and all(n.startswith("mhtr-") and n.endswith(".db") for n in made)
    assert sorted(p.name for p in (media / "usb").iterdir()) == sorted([*made, *(f"{n}.check" for n in made)])


# --- the other commands that take -o: the same reading of a trailing slash -------------------------------------


@pytest.mark.parametrize(
    "argv, pattern",
    [
        (["letter", "gp", "MHTR-0001"], "MHTR-0001-gp-letter-*.docx"),
        (["export", "--month", "2026-10"], "mhtr-return-2026-10.xlsx"),
        (["share-week", "--week", "16/11/2026"], "mhtr-attendance-week-*.docx"),
    ],
)
def test_every_command_reads_a_trailing_slash_as_a_new_folder(case_db, tmp_path, umask_022, capsys, argv, pattern):
    target = tmp_path / "new"
    assert main([*argv, "-o", f"{target}/", "--db", str(case_db)]) == 0, capsys.readouterr().err
    assert target.is_dir() and _mode(target) == 0o700
    assert list(target.glob(pattern)), sorted(p.name for p in target.iterdir())


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _counts(path: Path) -> dict[str, int]:
    from tests.conftest import snapshot_counts

    db = connect(path)
    try:
        return snapshot_counts(db)
    finally:
        db.close()


LETTER = ["letter", "gp", "MHTR-0001"]
EXPORT = ["export", "--month", "2026-10"]
EXPORT_CSV = [*EXPORT, "--format", "csv"]
SHARE = ["share-week", "--week", "16/11/2026"]


@pytest.mark.parametrize(
    "argv, tail",
    [
        (LETTER, "new/"),
        (LETTER, "new/gp.docx"),
        (EXPORT, "new/"),
        (EXPORT, "new"),
        (EXPORT, "new/return.xlsx"),
        (EXPORT_CSV, "new/"),
        (EXPORT_CSV, "new"),
        (SHARE, "new/"),
        (SHARE, "new"),
    ],
)
def test_every_command_refuses_a_folder_whose_parent_is_missing(case_db, tmp_path, umask_022, capsys, argv, tail):
    # A mistyped path is not made into a tree of folders (share-week's mkdir(parents=True) made the missing parents
    # with the umask's 0755): one line, nothing written, nothing recorded.
    out = tmp_path / "out"
    out.mkdir()
    before = _counts(case_db)
    assert main([*argv, "-o", f"{out}/missing/{tail}", "--db", str(case_db)]) == 2
    err = _one_line(capsys)
    assert f"no folder {out}/missing/ to make " in err and "create it first" in err
    assert _tree(out) == []
    assert _counts(case_db) == before


def test_a_name_ending_in_a_slash_is_a_folder_even_when_it_looks_like_a_file(case_db, tmp_path, umask_022, capsys):
    # -o returns.xlsx/ used to become a workbook named returns.xlsx; -o returns.csv/ a refusal ("a CSV export is a
    # folder of files") or, with --format csv, a folder named returns.csv holding nothing of that name.
    assert main(["export", "--month", "2026-10", "-o", f"{tmp_path}/returns.xlsx/", "--db", str(case_db)]) == 0
    folder = tmp_path / "returns.xlsx"
    assert folder.is_dir() and _mode(folder) == 0o700
    assert _tree(folder) == ["mhtr-return-2026-10.xlsx"] and _mode(folder / "mhtr-return-2026-10.xlsx") == 0o600
    assert main(["export", "--month", "2026-10", "-o", f"{tmp_path}/returns.csv/", "--db", str(case_db)]) == 0
    assert _tree(tmp_path / "returns.csv") == ["mhtr-return-2026-10.xlsx"]  # a folder: the default format
    argv = ["export", "--month", "2026-10", "--format", "csv", "-o", f"{tmp_path}/csv.d/", "--db", str(case_db)]
    assert main(argv) == 0
    assert _mode(tmp_path / "csv.d") == 0o700 and _mode(tmp_path / "csv.d" / "mhtr-return-2026-10") == 0o700
    assert "mhtr-return-2026-10/mhtr.csv" in _tree(tmp_path / "csv.d")
    assert main(["letter", "gp", "MHTR-0001", "-o", f"{tmp_path}/letter.docx/", "--db", str(case_db)]) == 0
    assert [p.name for p in (tmp_path / "letter.docx").iterdir()] == [f"MHTR-0001-gp-letter-{date.today()}.docx"]
    capsys.readouterr()


def test_what_was_accepted_before_is_unchanged(case_db, tmp_path, umask_022, capsys):
    # A file name in a folder that exists (or one missing folder, made owner-only); an existing folder, slash or not.
    there = tmp_path / "there"
    there.mkdir(mode=0o755)
    db = ["--db", str(case_db)]
    assert main(["export", "--month", "2026-10", "-o", f"{there}/mine.xlsx", *db]) == 0
    assert main(["export", "--month", "2026-10", "-o", str(there), "--format", "csv", *db]) == 0
    assert main(["export", "--month", "2026-10", "-o", f"{tmp_path}/made", *db]) == 0  # a name, not .xlsx: a folder
    assert main(["letter", "gp", "MHTR-0001", "-o", f"{tmp_path}/sent/gp.docx", *db]) == 0
    assert main(["letter", "gp", "MHTR-0001", "-o", str(there), *db]) == 0
    assert main(["share-week", "--week", "16/11/2026", "-o", str(there), *db]) == 0
    assert sorted(p.name for p in there.iterdir()) == sorted(
        [
            "mine.xlsx",
            "mhtr-return-2026-10",
            f"MHTR-0001-gp-letter-{date.today()}.docx",
            "mhtr-attendance-week-2026-11-16-sam-officer.docx",
            "mhtr-attendance-week-2026-11-16-sam-officer.csv",
        ]
    )
    assert _mode(there) == 0o755  # a folder that was there is left as it is
    assert _tree(tmp_path / "made") == ["mhtr-return-2026-10.xlsx"] and _mode(tmp_path / "made") == 0o700
    assert _tree(tmp_path / "sent") == ["gp.docx"] and _mode(tmp_path / "sent") == 0o700
    # Refusals the commands made before are made still: a file that is not a folder, a name that is not .docx.
    (tmp_path / "plain").write_bytes(b"x")
    for argv in (
        ["export", "--month", "2026-10", "--format", "csv", "-o", f"{tmp_path}/plain"],
        ["export", "--month", "2026-10", "-o", f"{tmp_path}/x.csv"],
        ["letter", "gp", "MHTR-0001", "-o", f"{tmp_path}/letter.pdf"],
        ["share-week", "--week", "16/11/2026", "-o", f"{tmp_path}/plain"],
    ):
        assert main([*argv, *db]) == 2, argv
        _one_line(capsys)
    assert (tmp_path / "plain").read_bytes() == b"x"


def test_the_share_week_folder_is_owner_only_under_umask_022(case_db, tmp_path, umask_022):
    from letters.weekly_share_writer import share_week

    db = connect(case_db)
    try:
        clock = {"today": TODAY, "now": datetime.combine(TODAY, time.max), "checklist": checklist_of(db)}
        result = share_week(db, tmp_path / "share", date(2026, 11, 16), **clock)
        (files,) = result.files
        assert _mode(tmp_path / "share") == 0o700 and _mode(files.docx) == 0o600 and _mode(files.csv) == 0o600
        with pytest.raises(ValidationError, match="no folder .*/nowhere/ to make share in"):
            share_week(db, tmp_path / "nowhere" / "share", date(2026, 11, 16), **clock)
        assert not (tmp_path / "nowhere").exists()
    finally:
        db.close()


def test_the_month_screen_folder_follows_the_same_rule(case_db, tmp_path, umask_022):
    from exports.preview import check_folder, write_month

    assert check_folder(f"{tmp_path}/returns.xlsx/") == tmp_path / "returns.xlsx"  # was: "looks like a file name"
    with pytest.raises(ValidationError, match="no folder .*/missing/ to make returns in"):
        check_folder(f"{tmp_path}/missing/returns")
    db = connect(case_db)
    try:
        files = write_month(db, "2026-10", f"{tmp_path}/returns.xlsx/", None, TODAY, checklist=checklist_of(db))
    finally:
        db.close()
    assert files.ret.path == tmp_path / "returns.xlsx" / "mhtr-return-2026-10.xlsx"
    assert _mode(tmp_path / "returns.xlsx") == 0o700
    assert _tree(tmp_path / "returns.xlsx") == ["mhtr-caseload-2026-10.xlsx", "mhtr-return-2026-10.xlsx"]


# --- backups of backups ---------------------------------------------------------------------------------------


def test_a_command_run_on_a_backup_makes_no_backup_of_the_backup(case_db, capsys):
    db = connect(case_db)
    first = daily_backup_if_due(db)
    db.close()
    assert first is not None and is_backup(first)
    assert main(["tasks", "--db", str(first)]) == 0
    assert not (first.parent / "backups").exists()  # was: backups/backups/mhtr-...-....db
    assert len(list_backups(case_db)) == 1


def test_only_a_dated_name_in_a_backups_folder_counts_as_a_backup(tmp_path):
    # A working database that lives in a folder called 'backups', or a copy put back by hand under its dated
    # name, must keep getting its daily backups.
    assert is_backup(tmp_path / "backups" / "mhtr-2026-11-20-091502.db")
    assert is_backup(tmp_path / "backups" / "mhtr-2026-11-20-091502-1-before-restore.db")
    assert not is_backup(tmp_path / "backups" / "mhtr.db")
    assert not is_backup(tmp_path / "mhtr-2026-11-20-091502.db")
    path = tmp_path / "backups" / "mhtr.db"
    db = connect(path, create=True)
    add_client(db, {"name": "Folder Synthetic", "dob": "1980-01-01"}, TODAY)
    assert daily_backup_if_due(db) is not None
    db.close()
