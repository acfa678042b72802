"""The app's own connections refuse schema changes outside a migration (an SQLite authorizer).

The audit trail's protection is its triggers: they write every change and refuse edits to the trail and
deletions of clinical records. A statement that drops or replaces a trigger, drops or alters a table, or makes
the schema writable would switch that protection off. Nothing the app does at run time changes the schema, so
on every connection ``db.connection.connect`` opens, SQLite is told (``set_authorizer``) to refuse any such
statement unless a migration is running (``schema_changes``). A statement refused this way fails before it runs
("not authorized"), inside whatever transaction it was part of, so nothing is half-done.

What this does not do: stop someone who holds the key and opens the file with their own SQLite or SQLCipher
(no authorizer there). That is what the hash chain (``db.audit_chain``) is for: it detects what was done.
"""

from __future__ import annotations

import contextlib
import sqlite3
import weakref
from collections.abc import Iterator

# Every action that creates, drops or alters part of the schema (tables, indexes, triggers, views, virtual
# tables, temporary ones included: a temporary trigger can be put on a main table).
_SCHEMA_ACTIONS = frozenset(
    getattr(sqlite3, name)
    for name in dir(sqlite3)
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_")) or name == "SQLITE_ALTER_TABLE"
)
# Pragmas that change the schema by the back door, or turn off what guards it.
_REFUSED_PRAGMAS = frozenset({"writable_schema", "trusted_schema", "recursive_triggers"})


class _Guard:
    __slots__ = ("migrating",)

    def __init__(self) -> None:
        self.migrating = False

    def __call__(self, action: int, arg1, arg2, dbname, source) -> int:
        if action in _SCHEMA_ACTIONS:
            return sqlite3.SQLITE_OK if self.migrating else sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and str(arg1).lower() in _REFUSED_PRAGMAS:
            return sqlite3.SQLITE_DENY  # reading one is harmless; setting one is refused
        return sqlite3.SQLITE_OK


# The guard of each open database (sqlite-utils ``Database``), for ``schema_changes``; it lives as long as the
# database object does.
_GUARDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def install(db) -> None:
    """Refuse schema changes on ``db``'s connection from now on, except inside ``schema_changes(db)``."""
    guard = _Guard()
    db.conn.set_authorizer(guard)
    _GUARDS[db] = guard


@contextlib.contextmanager
def schema_changes(db) -> Iterator[None]:
    """Allow schema changes on ``db`` for the length of the block: migrations only (``db.schema.migrate``)."""
    guard = _GUARDS.get(db)
    if guard is None:  # a connection opened without the guard (a test's bare database): nothing to lift
        yield
        return
    guard.migrating = True
    try:
        yield
    finally:
        guard.migrating = False
