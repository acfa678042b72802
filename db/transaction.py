"""The transaction discipline every write follows, and the refusal of writes to a database opened read-only.

Every multi-row change runs inside ``transaction(db)``, which starts with ``BEGIN IMMEDIATE`` so that a
second copy of the app (or the command line) waits for the write lock instead of failing half-way or
losing work. The connection itself is in autocommit mode; sqlite-utils nests its own work in savepoints.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator

from db.crypto import driver_errors
from db.database import Database
from db.errors import AuditBroken, DatabaseError

# Databases opened read-only because their audit trail failed the start-up check, with the reason; every write
# through ``transaction`` is refused with it (and ``PRAGMA query_only`` refuses any other).
_READ_ONLY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def make_read_only(db: Database, reason: str) -> None:
    """Open ``db`` for reading only from now on: every write through ``transaction`` is refused with ``reason``,
    and ``PRAGMA query_only`` refuses any other."""
    _READ_ONLY[db] = reason
    db.conn.execute("PRAGMA query_only = ON")


def read_only_reason(db: Database) -> str | None:
    """Why ``db`` is open read-only (its audit trail was found tampered with), or None if it may be written."""
    return _READ_ONLY.get(db)


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """All-or-nothing block: ``BEGIN IMMEDIATE`` ... ``COMMIT``; any exception rolls everything back.

    Nested use joins the outer transaction (sqlite-utils savepoints handle its own nesting).
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    db.settle()  # the start-up check of the audit trail, when the app held it back for its first frame
    reason = _READ_ONLY.get(db)
    if reason is not None:
        raise AuditBroken(reason)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except driver_errors("OperationalError") as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseError(
                "the database is busy in another copy of mhtr-tui; nothing was saved, try again in a moment"
            ) from None
        raise
    try:
        yield db
        conn.execute("COMMIT")
    except driver_errors("Error") as exc:
        # The file refused the change (disk full, read-only, I/O error, a constraint the checks above missed):
        # everything in the block is undone and the user gets one line instead of a traceback.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise DatabaseError(f"{refusal(exc)}; nothing was saved") from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def refusal(exc: BaseException) -> str:
    """What a driver error means for the user, in words (the driver's own text as the last resort)."""
    text = str(exc)
    low = text.lower()
    for needle, words in (
        ("is full", "the disk is full"),
        ("readonly", "the database file cannot be written (read-only)"),
        ("read-only", "the database file cannot be written (read-only)"),
        ("disk i/o", "the disk could not be read or written"),
        ("locked", "the database is busy in another copy of mhtr-tui"),
        ("busy", "the database is busy in another copy of mhtr-tui"),
    ):
        if needle in low:
            return words
    return f"the database refused the change ({text.splitlines()[0][:160] if text else type(exc).__name__})"
