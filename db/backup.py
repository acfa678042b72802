"""Backups: consistent, verified, owner-only copies in a ``backups`` folder beside the database, with a rotation.

A backup is taken with SQLite's online backup API inside one read transaction, so it is a consistent snapshot
even while another copy of the app writes; the live file is never copied byte for byte. The copy is written
under a temporary name, flushed to disk, reopened (with the key, for an encrypted database: the copy is
encrypted with the same key), checked with ``integrity_check`` and compared table by table with the row counts
of the same snapshot; only then does it take its final name. Backups are single files (rollback journal mode),
so one can be copied elsewhere on its own.

Names say what and when: ``mhtr-2026-11-20-091502.db`` (daily or by hand) or
``mhtr-2026-11-20-091502-before-migration.db``. The rotation keeps the newest backup of each of the last 7 days
that have one and of each of the last 4 weeks, the 3 newest of each special kind, and every copy of a damaged
database moved aside by a restore (evidence, never pruned).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from db.backup_files import DAMAGED, backup_name, backups_dir, is_backup, list_backups
from db.database import Database
from db.errors import DatabaseError
from db.files import OutputRefused, fsync_dir, fsync_file, private_dir, resolve_output, temp_beside

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_SPECIAL = 3


def database_file(db: Database) -> Path | None:
    """The file behind an open database (None for an in-memory one)."""
    for row in db.read("PRAGMA database_list").fetchall():
        if row[1] == "main":
            return Path(row[2]) if row[2] else None
    return None  # pragma: no cover


def _free_name(folder: Path, stem: str, when: datetime, reason: str | None) -> Path:
    n = 0
    while (folder / backup_name(stem, when, reason, n)).exists():
        n += 1
    return folder / backup_name(stem, when, reason, n)


def table_counts(conn) -> dict[str, int]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in names}


def verify(path: Path | str, key: str | None, expected: dict[str, int] | None = None) -> None:
    """Reopen a backup and check it: readable with ``key``, ``integrity_check`` ok, same row counts, known schema."""
    from db.crypto import open_raw
    from db.health import check_problems
    from db.schema import MIGRATIONS

    path = Path(path)
    conn = open_raw(path, key)
    try:
        problems = check_problems(conn, full=True)
        if problems:
            raise DatabaseError(f"{path} failed its integrity check ({problems[0][:120]})")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise DatabaseError(f"{path} was written by a newer mhtr-tui (schema {version})")
        if expected is not None:
            counts = table_counts(conn)
            if counts != expected:
                raise DatabaseError(f"{path} does not hold the same rows as the database it was copied from")
    finally:
        conn.close()


def _snapshot_into(db: Database, target: Path, key: str | None) -> dict[str, int]:
    """Copy one consistent snapshot of ``db`` into the empty file ``target``; returns that snapshot's row counts."""
    from db.crypto import open_raw

    conn = db.conn
    if conn.in_transaction:
        raise DatabaseError("a backup cannot start in the middle of a change; try again")
    dest = open_raw(target, key)
    try:
        conn.execute("BEGIN")  # one read transaction: the counts and the copy see the same snapshot
        try:
            counts = table_counts(conn)
            conn.backup(dest)
        finally:
            conn.execute("COMMIT")
        dest.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        dest.close()
    return counts


def backup(
    db: Database, dest: Path | str | None = None, *, reason: str | None = None, now: datetime | None = None
) -> Path:
    """Make a verified backup of the open database and return its path.

    ``dest`` None: into the ``backups`` folder beside the database (made 0700), then prune the rotation.
    ``dest`` a folder (one that exists, or typed ending in ``/``): a dated file in it. ``dest`` a file name:
    exactly there, never replacing a file. The folder must already exist (``db.files.resolve_output``).
    A destination that cannot be written (no such folder, no space, a name too long) is one ``DatabaseError``.
    """
    try:
        return _backup(db, dest, reason=reason, now=now)
    except OSError as exc:
        raise DatabaseError(f"the backup could not be written ({os_reason(exc)}); the database is unchanged") from None


def _backup(db: Database, dest: Path | str | None, *, reason: str | None, now: datetime | None) -> Path:
    from db.crypto import driver_errors, key_of

    source = database_file(db)
    if source is None:
        raise DatabaseError("an in-memory database has no file to back up")
    now = now or datetime.now()
    if dest is None:
        final = _free_name(private_dir(backups_dir(source)), source.stem, now, reason)
    else:
        # A folder that is not there is refused, never made: a missing /media/usb/ is a drive not mounted, and a
        # folder made in its place would put the backup on the internal disk while the user thinks it is safe.
        try:
            final = resolve_output(
                dest, lambda folder: _free_name(folder, source.stem, now, reason).name, create_folder=False
            )
        except OutputRefused as exc:
            raise DatabaseError(str(exc)) from None
        if final.exists():
            raise DatabaseError(f"{final} already exists; choose another name (nothing was written)")
    if final.resolve() == source.resolve():
        raise DatabaseError("a backup cannot replace the database itself")
    from db.transaction import read_only_reason

    reason_read_only = read_only_reason(db)
    if reason_read_only is not None:
        # A copy of a tampered database taken into the rotation would push out the sound backups before it.
        raise DatabaseError(f"no backup was made: {reason_read_only}")
    key = key_of(db)
    tmp = temp_beside(final, ".partial")
    try:
        counts = _snapshot_into(db, tmp, key)
        fsync_file(tmp)
        verify(tmp, key, counts)
        chain = _chain_head(tmp, key, source)
        os.link(tmp, final)  # never replaces a file that appeared meanwhile
    except driver_errors("Error") as exc:
        raise DatabaseError(f"the backup failed ({exc}); the database itself is unchanged") from None
    except FileExistsError:
        raise DatabaseError(f"{final} already exists; choose another name (nothing was written)") from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            if leftover.exists():
                leftover.unlink()
    _write_check(final, chain, counts, now)
    fsync_dir(final.parent)
    if dest is None:
        prune(source)
    return final


def _chain_head(copy: Path, key: str | None, source: Path):
    """Check the copy's audit trail (``db.audit_chain.checked_head``, from the newest earlier backup's head when
    the copy still holds it) and return its head; a broken trail refuses the backup."""
    from db.audit_chain import backup_head, checked_head
    from db.crypto import open_raw
    from db.errors import AuditBroken

    previous = next((h for b in reversed(list_backups(source)) if (h := backup_head(b.path)) is not None), None)
    conn = open_raw(copy, key, readonly=True)
    try:
        return checked_head(conn, previous)
    except AuditBroken as exc:
        raise DatabaseError(f"no backup was made: the audit trail has been tampered with ({exc})") from None
    finally:
        conn.close()


def _write_check(backup_file: Path, chain, counts: dict[str, int], now: datetime) -> None:
    """The backup's check file: when it was made and checked, its row counts and its audit chain's head, kept
    beside it so the head is recorded outside the database (``db.audit_chain``)."""
    import json

    from db.audit_chain import check_path
    from db.files import write_private

    data = {"made": now.isoformat(timespec="seconds"), "rows": counts, "audit": chain.as_dict() if chain else None}
    write_private(check_path(backup_file), (json.dumps(data, indent=1) + "\n").encode(), overwrite=True)


def prune(db_path: Path | str) -> list[Path]:
    """Apply the rotation to this database's backups folder; returns the files removed."""
    found = list(reversed(list_backups(db_path)))  # newest first
    keep: set[Path] = set()
    days: list[date] = []
    weeks: list[tuple[int, int]] = []
    for b in found:
        if b.reason is not None:
            continue
        day, week = b.when.date(), (b.when.isocalendar().year, b.when.isocalendar().week)
        if day not in days and len(days) < KEEP_DAILY:
            days.append(day)
            keep.add(b.path)
        if week not in weeks and len(weeks) < KEEP_WEEKLY:
            weeks.append(week)
            keep.add(b.path)
    by_reason: dict[str, int] = {}
    for b in found:
        if b.reason is None:
            continue
        by_reason[b.reason] = by_reason.get(b.reason, 0) + 1
        if b.reason == DAMAGED or by_reason[b.reason] <= KEEP_SPECIAL:
            keep.add(b.path)
    removed = [b.path for b in found if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
        Path(f"{path}.check").unlink(missing_ok=True)
    return removed + _stale_partials(backups_dir(db_path))


def _stale_partials(folder: Path, older_than_s: float = 3600.0) -> list[Path]:
    """Remove half-made copies left by a backup that was interrupted (killed, power cut) over an hour ago.

    They are never valid backups (a copy takes its name only once verified) but hold the records all the same;
    a recent one may belong to a backup still running in another copy of the app, so it is left alone.
    """
    import time

    if not folder.is_dir():
        return []
    cutoff = time.time() - older_than_s
    gone = []
    for path in [*folder.glob(".*.partial"), *folder.glob(".*.partial-journal")]:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                gone.append(path)
        except FileNotFoundError:
            continue
    return gone


def has_changes(db: Database) -> bool:
    """Whether anything has ever been written to this database (every change leaves an audit row)."""
    return db.read("SELECT EXISTS (SELECT 1 FROM audit)").fetchone()[0] == 1


def daily_backup_if_due(db: Database, now: datetime | None = None) -> Path | None:
    """The automatic backup on the first start of each day: made unless this database already has one from today.

    A database nothing has been written to yet is not backed up, and neither is a backup opened as a database
    (``is_backup``). Returns the new backup, or None.
    """
    from db.transaction import read_only_reason

    source = database_file(db)
    if source is None or is_backup(source) or read_only_reason(db) is not None or not has_changes(db):
        return None
    now = now or datetime.now()
    if any(b.reason is None and b.when.date() == now.date() for b in list_backups(source)):
        return None
    return backup(db, now=now)


def _sound(path: Path, key: str | None) -> bool:
    """Whether the file opens with ``key`` and passes ``quick_check``, looked at read-only."""
    from db.crypto import open_raw
    from db.health import check_problems

    try:
        conn = open_raw(path, key, readonly=True, timeout=0.2)
    except DatabaseError:
        return False
    try:
        return not check_problems(conn)
    finally:
        conn.close()


@dataclass(frozen=True)
class Restored:
    path: Path
    saved: Path | None  # where the database that was replaced now is (None if there was none)


def restore(backup_file: Path | str, db_path: Path | str, key: str | None, now: datetime | None = None) -> Restored:
    """Put a verified backup in place of the database at ``db_path``, keeping the replaced file as a backup.

    The backup is checked first (integrity, schema, key); nothing changes if it fails. The database being
    replaced must not be open in another copy of the app. A sound database is kept as
    ``...-before-restore.db``; one that cannot be opened (damaged, or another key) is moved aside whole as
    ``...-damaged.db`` with its journal files. ``key`` opens the backup (and the database, if it is encrypted).
    """
    from db.audit_chain import record_head
    from db.crypto import KEY_ENV, WrongKey, is_encrypted, key_in_environment
    from db.health import InUse, sole_use

    backup_file, db_path = Path(backup_file).expanduser(), Path(db_path).expanduser()
    now = now or datetime.now()
    if not backup_file.is_file():
        raise DatabaseError(f"no backup at {backup_file}")
    if backup_file.resolve() == db_path.resolve():
        raise DatabaseError("that is the database itself, not a backup of it")
    backup_key = key if is_encrypted(backup_file) else None
    live = db_path.exists() and db_path.stat().st_size > 0
    if live and is_encrypted(db_path) and backup_key is None:
        raise DatabaseError(
            f"{backup_file} is not encrypted but {db_path} is; restoring it would store the records unencrypted"
        )
    if backup_key is None and key_in_environment():
        raise DatabaseError(
            f"{backup_file} is not encrypted, but {KEY_ENV} is set; restoring it would store the records "
            "unencrypted (nothing was restored)"
        )
    try:
        verify(backup_file, backup_key)
        chain = _restorable_chain(backup_file, backup_key)
    except WrongKey:
        raise WrongKey(f"wrong key for {backup_file}") from None
    except DatabaseError as exc:
        raise DatabaseError(f"{exc}; nothing was restored") from None
    saved = None
    try:
        private_dir(db_path.parent)
        tmp = temp_beside(db_path, ".restoring")
    except OSError as exc:
        raise DatabaseError(f"cannot write beside {db_path} ({os_reason(exc)}); nothing was restored") from None
    try:
        with open(backup_file, "rb") as src, open(tmp, "wb") as out:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        if live:
            live_key = key if is_encrypted(db_path) else None
            reason = "before-restore" if _sound(db_path, live_key) else DAMAGED
            try:
                # Nobody else has it open; a sound file also gets its write-ahead log folded in.
                with sole_use(db_path, live_key, checkpoint=reason != DAMAGED):
                    pass
            except InUse:
                raise
            except DatabaseError:
                reason = DAMAGED  # cannot be opened: keep it whole, with its journal files
            folder = private_dir(backups_dir(db_path))
            saved = _free_name(folder, db_path.stem, now, reason)
            os.replace(db_path, saved)
            for suffix in ("-wal", "-shm", "-journal"):
                side = Path(f"{db_path}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{saved}{suffix}"))
            fsync_dir(folder)
        os.replace(tmp, db_path)
        fsync_dir(db_path.parent)
        # The head the next start compares with is now the restored one; the note of the replaced file's last
        # check (a longer trail) would read as a trail cut short.
        record_head(db_path, chain, keep_identity=False)
    except OSError as exc:
        if saved is not None and saved.exists() and not db_path.exists():
            os.replace(saved, db_path)  # put the database back where it was, with its journal files
            for suffix in ("-wal", "-shm", "-journal"):
                if Path(f"{saved}{suffix}").exists():
                    os.replace(Path(f"{saved}{suffix}"), Path(f"{db_path}{suffix}"))
            saved = None
        raise DatabaseError(f"the restore failed ({os_reason(exc)}); {db_path} is as it was") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return Restored(db_path, saved)


def _restorable_chain(backup_file: Path, key: str | None):
    """The whole audit trail of the backup, checked (and against its check file, when it has one): a backup whose
    trail was tampered with is not put back as the database. Returns its head."""
    from db.audit_chain import backup_head, checked_head
    from db.crypto import open_raw
    from db.errors import AuditBroken

    conn = open_raw(backup_file, key, readonly=True)
    try:
        chain = checked_head(conn)
    except AuditBroken as exc:
        raise DatabaseError(f"the audit trail of {backup_file} has been tampered with ({exc})") from None
    finally:
        conn.close()
    recorded = backup_head(backup_file)
    if recorded is not None and recorded != chain:
        raise DatabaseError(f"the audit trail of {backup_file} no longer matches its check file")
    return chain


def os_reason(exc: OSError) -> str:
    """An operating-system error in words: 'No space left on device: /media/usb/x.db'."""
    what = exc.strerror or str(exc) or type(exc).__name__
    return f"{what}: {exc.filename}" if exc.filename else what
