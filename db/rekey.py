"""Changing the key of a database and of its backups, so that a stop at any point leaves every file on a key
that opens it (``rekey_database``, and ``settle_rekey`` on every start)."""

from __future__ import annotations

import os
from pathlib import Path

from db.backup_files import backups_dir, list_backups
from db.crypto import check_new_key, export_encrypted, is_encrypted, open_raw, rekey_connection
from db.errors import DatabaseError
from db.files import fsync_dir, fsync_file, temp_beside
from db.health import sole_use
from db.paths import no_database


def _encrypt_in_place(path: Path, new_key: str) -> None:
    """Replace the plain database file ``path`` (not open anywhere) by an encrypted copy, verified first."""
    from db.backup import table_counts, verify  # here: every start imports this module for ``settle_rekey``

    plain = open_raw(path, None)
    try:
        counts = table_counts(plain)
    finally:
        plain.close()
    tmp = temp_beside(path, ".encrypting")
    try:
        export_encrypted(path, tmp, new_key)
        fsync_file(tmp)
        verify(tmp, new_key, counts)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    fsync_dir(path.parent)


def _rekey_file(path: Path, old_key: str, new_key: str) -> None:
    conn = open_raw(path, old_key)
    try:
        rekey_connection(conn, new_key)
    finally:
        conn.close()
    open_raw(path, new_key).close()


# A backup's copy under the new key, made and checked before the database itself is re-keyed, and renamed over
# the backup only after; the marker beside the database holds the process id of a rekey running now.
STAGED = ".rekeyed"


REKEYING = "-rekeying"


def _stage_backup(backup: Path, old_key: str | None, new_key: str) -> Path:
    """A checked copy of ``backup`` under ``new_key``, beside it as ``<backup>.rekeyed``; the backup itself is not
    touched."""
    import shutil

    from db.backup import table_counts, verify

    copy = Path(f"{backup}{STAGED}")
    tmp = temp_beside(copy, ".partial")
    try:
        if is_encrypted(backup):
            shutil.copyfile(backup, tmp)
            _rekey_file(tmp, old_key if old_key is not None else new_key, new_key)
        else:
            plain = open_raw(backup, None, readonly=True)
            try:
                counts = table_counts(plain)
            finally:
                plain.close()
            export_encrypted(backup, tmp, new_key)
            verify(tmp, new_key, counts)
        fsync_file(tmp)
        os.replace(tmp, copy)
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
    return copy


def _running(marker: Path) -> bool:
    """Whether the rekey named by ``marker`` (its process id) is still running."""
    try:
        pid = int(marker.read_text(encoding="ascii").strip() or "0")
    except (OSError, ValueError):
        return False
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another account's process: treat as running
        return True
    return True


def settle_rekey(path: Path | str, key: str | None) -> list[Path]:
    """Finish what a rekey stopped part-way (killed, a power cut) left among the backups of ``path``, whose key is
    now ``key``; returns the backups that changed key.

    A backup's new-key copy that ``key`` opens means the database was re-keyed before the stop: the copy becomes
    the backup (resumed). One it does not open means the database kept its old key: the copy is dropped and the
    backup, still on that key, matches it (rolled back). Either way no backup is left on a key the database no
    longer has. Nothing is done while a rekey is running. Called on every start (``connect``) and by ``rekey``.
    """

    path = Path(path)
    marker = Path(f"{path}{REKEYING}")
    if marker.exists() and _running(marker):
        return []
    folder = backups_dir(path)
    changed = []
    for copy in sorted(folder.glob(f"*.db{STAGED}")) if folder.is_dir() else []:
        backup = copy.with_name(copy.name[: -len(STAGED)])
        if key is not None and backup.exists() and _opens(copy, key):
            os.replace(copy, backup)
            changed.append(backup)
        else:
            copy.unlink(missing_ok=True)
    if changed:

        fsync_dir(folder)
    marker.unlink(missing_ok=True)
    return changed


def _opens(path: Path, key: str) -> bool:
    try:
        open_raw(path, key, readonly=True, timeout=0.2).close()
    except DatabaseError:
        return False
    return True


def rekey_database(path: Path | str, old_key: str | None, new_key: str) -> tuple[list[Path], list[Path]]:
    """Change the key of the database at ``path`` and of its backups; a plain database becomes encrypted.

    ``old_key`` None means the database is plain. The database must not be open in another copy of the app.
    Backups are re-keyed too, so one key opens everything; a backup the old key does not open is left as it is.
    The order makes a stop at any point safe: first a checked new-key copy of every backup is made beside it (the
    backups are untouched), then the database is re-keyed (all or nothing), then the copies are renamed over the
    backups. Stopped before the database changed, the copies are dropped; after, they are put in place, by
    ``settle_rekey`` on the next start. Returns (backups changed, backups left alone).
    """

    path = Path(path)
    new_key = check_new_key(new_key)
    if not path.is_file() or path.stat().st_size == 0:
        raise no_database(path)
    settle_rekey(path, old_key)  # what an earlier rekey left, first
    marker = Path(f"{path}{REKEYING}")
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise DatabaseError(f"a rekey of {path} is already running; nothing was changed") from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(str(os.getpid()))
    staged: list[tuple[Path, Path]] = []
    left: list[Path] = []
    try:
        try:
            for b in list_backups(path):
                try:
                    staged.append((b.path, _stage_backup(b.path, old_key, new_key)))
                except DatabaseError:
                    left.append(b.path)
            with sole_use(path, old_key) as conn:  # a damaged first page is told from a wrong key there
                if old_key is not None:
                    rekey_connection(conn, new_key)
            if old_key is None:
                for side in ("-wal", "-shm"):
                    Path(f"{path}{side}").unlink(missing_ok=True)  # the plain file's, now empty; never reused
                _encrypt_in_place(path, new_key)
        except BaseException:
            for _, copy in staged:  # the database kept its key: so do the backups
                copy.unlink(missing_ok=True)
            raise
        open_raw(path, new_key).close()
        fsync_dir(path.parent)
        for backup, copy in staged:
            os.replace(copy, backup)
        if staged:
            fsync_dir(staged[0][0].parent)
    finally:
        marker.unlink(missing_ok=True)
    return [b for b, _ in staged], left
