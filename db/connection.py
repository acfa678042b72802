"""Opening the one SQLite file the app keeps, and the transaction discipline around it.

Every multi-row change runs inside ``transaction(db)``, which starts with ``BEGIN IMMEDIATE`` so that a
second copy of the app (or the command line) waits for the write lock instead of failing half-way or
losing work. The connection itself is in autocommit mode; sqlite-utils nests its own work in savepoints.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

APP_NAME = "mhtr-tui"
BUSY_TIMEOUT_S = 10.0


class DatabaseError(Exception):
    """A problem with the database file that the user must act on (one clear line)."""


def data_dir() -> Path:
    """The per-user data folder (created owner-only on first use)."""
    from platformdirs import user_data_dir

    path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_path() -> Path:
    """``MHTR_DB`` if set, else ``mhtr.db`` in the user data folder."""
    env = os.environ.get("MHTR_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "mhtr.db"


def demo_path() -> Path:
    """The demo database lives beside the real one so synthetic people never mix with real records."""
    return default_path().with_name("mhtr-demo.db")


def current_user() -> str:
    """Who is making changes, for the audit trail: ``MHTR_USER`` or the login name."""
    user = os.environ.get("MHTR_USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name in some containers
        return "unknown"


def connect(path: Path | str, *, create: bool = True) -> sqlite_utils.Database:
    """Open (or create) the database at ``path``, apply pragmas and bring the schema up to date."""
    from db.schema import migrate

    path = Path(path)
    if str(path) != ":memory:":
        if not path.exists() and not create:
            raise DatabaseError(f"no database at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Create the file owner-only before SQLite writes anything into it.
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.create_function("mhtr_user", 0, current_user, deterministic=False)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{path} is not a readable mhtr-tui database ({exc})") from None
    db = sqlite_utils.Database(conn)
    migrate(db)
    return db


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All-or-nothing block: ``BEGIN IMMEDIATE`` ... ``COMMIT``; any exception rolls everything back.

    Nested use joins the outer transaction (sqlite-utils savepoints handle its own nesting).
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseError(
                "the database is busy in another copy of mhtr-tui; nothing was saved, try again in a moment"
            ) from None
        raise
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
