"""The transaction discipline every write follows, and the refusal of writes to a database opened read-only.

Every multi-row change runs inside ``transaction(db)``, which starts with ``BEGIN IMMEDIATE`` so that a
second copy of the app (or the command line) waits for the write lock instead of failing half-way or
losing work. The connection itself is in autocommit mode; sqlite-utils nests its own work in savepoints.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

from db.crypto import driver_errors
from db.database import Database
from db.errors import AuditBroken, DatabaseError

# Databases opened read-only because their audit trail failed the start-up check, with the reason; every write
# through ``transaction`` is refused with it (and ``PRAGMA query_only`` refuses any other).
_READ_ONLY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

# Reads kept while one transaction is open, by table, then key (``kept_read``): a write asks for the same case and
# its events several times (the booking's checks, the session's, the event's), and nothing can change them between
# those reads but this connection's own writes, which drop what they change first (``forget``). BEGIN IMMEDIATE
# holds the write lock, so no other connection writes meanwhile; everything kept goes at COMMIT or ROLLBACK.
_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
T = TypeVar("T")

# Who the audit trail names for the rows written on a connection (``audit_author``): the name read when the open
# transaction began, beside how to read it again, by database.
_AUTHORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def audit_author(db: Database, who: Callable[[], str]) -> Callable[[], str]:
    """The SQL function the audit triggers of ``db`` call for the ``who`` of every row they write (``mhtr_user``).

    Inside ``transaction`` it names whoever ``who()`` said when the transaction began, for every row written in it:
    one write is one person's, and ``who()`` (the environment, then the login name) cost about a microsecond for
    each of the tens of thousands of rows a demo writes. Outside one (a write made straight on the connection) it
    asks ``who()`` for each row, as before. A change of ``MHTR_USER`` therefore counts from the next transaction.
    """
    during: list[str | None] = [None]
    _AUTHORS[db] = (during, who)

    def author() -> str:
        return during[0] or who()

    return author


def make_read_only(db: Database, reason: str) -> None:
    """Open ``db`` for reading only from now on: every write through ``transaction`` is refused with ``reason``,
    and ``PRAGMA query_only`` refuses any other."""
    _READ_ONLY[db] = reason
    db.conn.execute("PRAGMA query_only = ON")


def read_only_reason(db: Database) -> str | None:
    """Why ``db`` is open read-only (its audit trail was found tampered with), or None if it may be written."""
    return _READ_ONLY.get(db)


def kept_read(db: Database, table: str, key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or what it returned earlier in the transaction open on ``db`` for the same ``table`` and ``key``
    (outside a transaction: ``read()`` every time). The caller hands out copies of anything it may change."""
    kept = _KEPT.get(db)
    if kept is None:
        return read()
    reads = kept.setdefault(table, {})
    if key not in reads:
        reads[key] = read()
    return reads[key]


def kept(db: Database, table: str, key: Hashable) -> tuple[bool, object]:
    """Whether the transaction open on ``db`` holds a read of ``table`` for ``key``, and what it is."""
    reads = (_KEPT.get(db) or {}).get(table, {})
    return (key in reads, reads.get(key))


def keep(db: Database, table: str, key: Hashable, value: object) -> None:
    """Hold ``value`` as the read of ``table`` for ``key`` until the transaction ends or ``forget`` drops it (a
    write that knows what it changed puts the read as it now stands; outside a transaction nothing is held)."""
    kept_reads = _KEPT.get(db)
    if kept_reads is not None:
        kept_reads.setdefault(table, {})[key] = value


def forget(db: Database, *tables: str) -> None:
    """Drop what ``kept_read`` kept from ``tables``: called by every write to them before it runs."""
    kept = _KEPT.get(db)
    if kept is not None:
        for table in tables:
            kept.pop(table, None)


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
    _KEPT[db] = {}
    during, who = _AUTHORS.get(db, ([None], None))
    try:
        if who is not None:
            during[0] = who()
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
    finally:
        _KEPT.pop(db, None)
        during[0] = None


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
