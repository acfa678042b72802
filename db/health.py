"""The start-up health check, and making sure no other copy of the app has a database open.

A damaged file is refused before anything is written to it (no pragma that writes, no migration), with a
message that names the newest backup and the command that restores it: a practitioner meeting this at 9am
needs the way out, not a stack trace.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

from db.crypto import WrongKey, driver_errors, open_raw
from db.errors import DatabaseError

# The line ``quick_check`` puts before its findings, naming the schema: "*** in database main ***".
_HEADING = re.compile(r"^\*\*\* in database \S+ \*\*\*$")


class DamagedDatabase(DatabaseError):
    """The file failed ``PRAGMA quick_check`` (or ``integrity_check``)."""


class InUse(DatabaseError):
    """Another copy of the app has the database open, so it cannot be replaced or re-keyed now."""


def check_problems(conn, *, full: bool = False) -> list[str]:
    """``quick_check`` (or the slower ``integrity_check``) findings; an empty list means the file is sound.

    On an encrypted database every page ``quick_check`` reads goes through SQLCipher, which verifies its HMAC,
    so a tampered or damaged page is found either way. ``full`` adds ``cipher_integrity_check``, which also
    checks unused pages, but it reads the file directly, outside any transaction: while another copy of the app
    checkpoints its write-ahead log it can catch a page half-written and report damage that is not there. So it
    runs only on files nobody else writes (a backup being verified, a test after the writers stopped).
    """
    pragma = "integrity_check" if full else "quick_check"
    problems: list[str] = []
    try:
        # Row by row: on a badly damaged file the check can fail part-way, and the findings read before that
        # (which say where the damage is) would be lost with ``fetchall``.
        for row in conn.execute(f"PRAGMA {pragma}"):
            if row[0] != "ok":
                problems.append(str(row[0]))
    except Exception as exc:  # the driver's DatabaseError: "database disk image is malformed" and kin
        problems.append(str(exc))
    if full and type(conn).__module__.startswith("sqlcipher3"):
        try:
            problems += [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        except Exception as exc:
            problems.append(str(exc))
    return problems


def restore_hint(path: Path) -> str:
    """Where the newest backup is and the exact command that restores it (or that there is none)."""
    import shlex

    from db.backup_files import latest_backup  # here: every open imports this module, few are refused

    latest = latest_backup(path)
    if latest is None:
        return f"no backup was found in {path.parent / 'backups'}"
    return (
        f"the latest backup is {latest}; restore it with: "
        f"mhtr-tui restore {shlex.quote(str(latest))} --db {shlex.quote(str(path))}"
    )


def first_finding(problems: list[str]) -> str:
    """The first line of the findings that says what is wrong, for a one-line message.

    ``quick_check`` heads its findings with a line naming the database (``*** in database main ***``), which
    says nothing to the user; it and blank lines are passed over.
    """
    for problem in problems:
        for line in problem.splitlines():
            line = line.strip()
            if line and not _HEADING.match(line):
                return line[:120]
    return "unknown problem"


def damaged(path: Path, problems: list[str]) -> DamagedDatabase:
    """The refusal of a damaged file: what was found, that it was left as it was, and how to restore it."""
    return DamagedDatabase(f"{path} is damaged ({first_finding(problems)}); it was not changed. {restore_hint(path)}")


def key_refused(path: Path, key: str) -> DatabaseError:
    """What it means that ``key`` does not open the existing encrypted database ``path``: a wrong key, or damage.

    SQLCipher cannot tell the two apart: a damaged first page fails its check exactly as a wrong key does. Asked
    for the key again and again, a practitioner would never learn that the file needs restoring. So the same key
    is tried on the newest backup (read-only): if it opens that, the key is right and the file is damaged, and the
    refusal says so with the restore command; otherwise it is the wrong key.
    """
    from db.backup_files import latest_backup

    latest = latest_backup(path)
    if latest is not None:
        try:
            open_raw(latest, key, readonly=True, timeout=0.2).close()
        except DatabaseError:
            pass
        else:
            return damaged(path, ["its first page cannot be read, though this key opens its latest backup"])
    return WrongKey(f"wrong key for {path}")


def open_existing(path: Path, key: str | None, *, readonly: bool = False, timeout: float = 10.0):
    """``open_raw`` for a file that is already a database, where a refused key may mean damage, not a wrong key.

    The one place that tells the two apart (``key_refused``), for opening the database and for rekey and
    restore: left as "wrong key", the app would ask for the key for ever.
    """
    try:
        return open_raw(path, key, readonly=readonly, timeout=timeout)
    except WrongKey:
        if key is None:  # pragma: no cover - open_raw raises WrongKey only with a key
            raise
        raise key_refused(path, key) from None


def require_sound(conn, path: Path) -> None:
    """Raise ``DamagedDatabase`` (naming the backup to restore) unless ``conn``'s file passes ``quick_check``."""
    problems = check_problems(conn)
    if problems:
        raise damaged(path, problems)


@contextlib.contextmanager
def sole_use(path: Path, key: str | None, *, checkpoint: bool = True) -> Iterator[object]:
    """An exclusive connection to ``path``, refused politely while another copy of the app has it open.

    Used for rekey and restore, which must not change a file under a running app. The connection checkpoints
    the write-ahead log on entry, so the main file alone holds everything when the block runs; ``checkpoint``
    False leaves the file exactly as it is (a damaged file is never written to).
    """
    conn = open_existing(path, key, timeout=0.2)
    try:
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
            if checkpoint:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except driver_errors("OperationalError") as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise InUse(
                    f"{path} is open in another copy of mhtr-tui; close it and try again (nothing was changed)"
                ) from None
            raise
        yield conn
    finally:
        conn.close()
