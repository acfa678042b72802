"""The open database as the app holds it (what ``db.connection.connect`` returns): reads made straight on the SQLite
connection, writes and everything else through sqlite-utils on the same connection.

One way to read and one way to write, in ``db/`` (the only package that speaks SQL):

- **Reads** (SELECT, WITH ... SELECT, a PRAGMA that reads): ``db.query(sql, params)`` for rows as dicts (column
  names made unique as sqlite-utils makes them), ``db.rows(sql, params)`` for rows as named tuples (the same
  names, read as attributes: for a read of hundreds of rows that one reader turns into something else, such as
  Today's week of tasks), ``db.read(sql, params)`` for the cursor (``fetchone()``, counts, tuples).
- **Writes**, schema changes, migrations and anything else sqlite-utils offers: ``db.execute(sql, params)``,
  ``db[table]`` and ``db.utils``, sqlite-utils's ``Database`` on this same connection.
  ``db.executemany(sql, rows)`` runs one write over many rows.

sqlite-utils's ``Database`` is made, and sqlite-utils imported, on first use. Importing it loads click and pluggy,
which costs more than the whole of a read-only command such as ``tasks --json`` and a good part of the app's start
(bench/RESULTS.md), and neither the first painted screen nor a read-only command needs it. Its ``query()`` also
wraps every SELECT in a savepoint (three statements for one read); the app's reads need no such guard, as they
are all plain SELECTs written in ``db/``.
"""

from __future__ import annotations

import functools
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, cast

if TYPE_CHECKING:
    import sqlite_utils


def unique_names(names: Iterable[str]) -> list[str]:
    """Column names made unique as sqlite-utils does for its rows: a repeated name gets ``_2``, ``_3``..."""
    return list(_unique_names(tuple(names)))


@functools.lru_cache(maxsize=512)
def _unique_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """``unique_names`` worked out once per shape of row (the app's queries are a few hundred fixed texts)."""
    taken = set(names)
    if len(taken) == len(names):
        return names
    seen: set[str] = set()
    out = []
    for name in names:
        if name in seen:
            new, suffix = name, 2
            while new in seen or new in taken:
                new, suffix = f"{name}_{suffix}", suffix + 1
            name = new
        seen.add(name)
        out.append(name)
    return tuple(out)


@functools.lru_cache(maxsize=512)
def row_class(names: tuple[str, ...]) -> type[NamedTuple]:
    """The named tuple for rows with these column names (``Database.rows``), made once per shape of row: making the
    class costs as much as reading a few hundred rows (about 70 microseconds). Its fields are the names
    ``unique_names`` gives; one that is not a Python identifier, is a keyword or starts with ``_`` (``count(*)``,
    ``from``) is reached by its position."""
    return cast("type[NamedTuple]", namedtuple("Row", _unique_names(names), rename=True))


class Database:
    """The app's handle on one open database file (see the module docstring for which call does what)."""

    _held: Callable[[], None] | None = None  # a check every write waits for (``hold_writes``)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def hold_writes(self, check: Callable[[], None]) -> None:
        """Hold every write until ``check`` has run (``settle``). The app opens its database with the start-up
        check of the audit trail held so, to show Today first (``db.connection.connect``): the first write, or the
        app right after the first frame, runs it. Meanwhile ``PRAGMA query_only`` refuses any write that would
        not wait (one made straight on the connection); ``check`` lifts it when it finds nothing."""
        self._held = check
        self.conn.execute("PRAGMA query_only = ON")

    def settle(self) -> None:
        """Run the check writes are held for, if any, once. ``transaction`` and the first write through
        sqlite-utils call it, so a write waits for the check and then goes ahead, or is refused with its finding.
        A check that fails to run (the file cannot be read) stays held: the next write tries it again."""
        check, self._held = self._held, None
        if check is None:
            return
        try:
            check()
        except BaseException:
            self._held = check
            raise

    @cached_property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils's Database on this connection, made the first time anything writes or needs it (after the
        check writes are held for, see ``settle``)."""
        self.settle()
        import sqlite_utils

        # No sqlite-utils plugins: none is needed, none should run inside health records, and finding them scans
        # every installed package's entry points (about 20 ms).
        # recursive_triggers is set when the connection is opened (db.connection), before the guard refuses pragmas.
        return sqlite_utils.Database(self.conn, recursive_triggers=False, execute_plugins=False)

    def read(self, sql: str, params: Sequence | dict[str, Any] | None = None) -> sqlite3.Cursor:
        """Run a read (a SELECT) and return its cursor."""
        return self.conn.execute(sql) if params is None else self.conn.execute(sql, params)

    def query(self, sql: str, params: Sequence | dict[str, Any] | None = None) -> Iterator[dict]:
        """Run a read (a SELECT) and return its rows as dicts, fetched as they are iterated over."""
        cursor = self.read(sql, params)
        names = _unique_names(tuple(d[0] for d in cursor.description))
        return (dict(zip(names, row, strict=True)) for row in cursor)

    def rows(self, sql: str, params: Sequence | dict[str, Any] | None = None) -> list[Any]:
        """Run a read (a SELECT) and return all its rows as named tuples (``row.due``; the names ``query`` gives).
        Each row is made in C from SQLite's tuple, where ``query`` builds a dict in Python: reading Today's week
        (about 900 tasks on a ten-year service) costs about a tenth more than the bare query instead of a third."""
        cursor = self.read(sql, params)
        # tuple.__new__ is what the class's _make calls, less its check of the length (the cursor's rows have as
        # many columns as its description): the whole loop stays in C.
        make = functools.partial(tuple.__new__, row_class(tuple(d[0] for d in cursor.description)))
        return list(map(make, cursor))

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None) -> sqlite3.Cursor:
        """Run a write (or any statement sqlite-utils runs for the app) through sqlite-utils."""
        self.settle()
        return self.utils.execute(sql, parameters)

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> sqlite3.Cursor:
        """Run one write over many rows (the tasks an event starts): the statement prepared once and each row's
        triggers (its audit entry) fired in order, as that many ``execute`` calls would, without a call per row."""
        self.settle()
        return self.conn.executemany(sql, rows)

    def __getitem__(self, table: str):
        """A table, as sqlite-utils gives it (its columns, for the schema's audit triggers)."""
        self.settle()
        return self.utils[table]

    def __getattr__(self, name: str):
        """The rest of sqlite-utils's ``Database`` (``table_names()``, ``transaction``...), from ``utils``. Names
        starting with ``_`` are the app's own (caches it keeps on the database object) and are never looked up
        there: asking whether one is set must not load sqlite-utils."""
        if name.startswith("_"):
            raise AttributeError(name)
        self.settle()
        return getattr(self.utils, name)

    def close(self) -> None:
        self.conn.close()


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row the INSERT just run on ``cursor`` stored (the cursor's ``lastrowid`` is None only when no
    row was inserted, which an INSERT without OR IGNORE cannot do without raising)."""
    if cursor.lastrowid is None:
        raise sqlite3.DatabaseError("the row was not stored")
    return cursor.lastrowid
