"""The start-up health check, and making sure no other copy of the app has a database open.

A damaged file is refused before anything is written to it (no pragma that writes, no migration), with a
message that names the newest backup and the command that restores it: a practitioner meeting this at 9am
needs the way out, not a stack trace.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Iterator
from pathlib import Path

from db.connection import DatabaseError


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
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except Exception as exc:  # the driver's DatabaseError: "database disk image is malformed" and kin
        return [str(exc)]
    problems = [r for r in rows if r != "ok"]
    if full and type(conn).__module__.startswith("sqlcipher3"):
        try:
            problems += [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        except Exception as exc:
            problems.append(str(exc))
    return problems


def restore_hint(path: Path) -> str:
    """Where the newest backup is and the exact command that restores it (or that there is none)."""
    from db.backup import latest_backup

    latest = latest_backup(path)
    if latest is None:
        return f"no backup was found in {path.parent / 'backups'}"
    return (
        f"the latest backup is {latest}; restore it with: "
        f"mhtr-tui restore {shlex.quote(str(latest))} --db {shlex.quote(str(path))}"
    )


def damaged(path: Path, problems: list[str]) -> DamagedDatabase:
    first = problems[0].splitlines()[0][:120] if problems else "unknown problem"
    return DamagedDatabase(f"{path} is damaged ({first}); it was not changed. {restore_hint(path)}")


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
    from db.crypto import driver_errors, open_raw

    conn = open_raw(path, key, timeout=0.2)
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
