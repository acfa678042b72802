"""The audit trail as a hash chain, and the checks that tell when it has been tampered with.

Every audit row carries ``hash`` = SHA-256 of the previous row's hash and of this row's own fields (id, when,
who, table, row, action, old and new values), written by a trigger in the same statement as the row
(``db.schema``). The chain's head (the newest row's id and hash, and how many rows lead up to it) is also kept
outside the database: in the note of the last passed start-up check beside it (``<db>-checked``) and in each
backup's check file (``<backup>.check``).

What the chain proves, and what it cannot, against someone who holds the key and can open the file with their
own SQLCipher:
- An edited row, a deleted row, a row added out of turn, a trail cut short: each breaks the chain where it was
  done, or leaves the trail short of a head recorded outside, and is found (``verify``; the tail and the recorded
  heads at every start, ``start_problem``).
- A clinical row changed while the triggers were dropped leaves no audit row at all; ``verify`` finds it because
  the trail no longer replays to the record as it stands (``replay_problems``).
- Someone with the key can recompute the whole chain after rewriting it: the hash has no secret in it (any
  secret would sit beside the key). Such a rewrite changes every later hash, so it no longer matches the heads
  recorded outside the database; but the same person can rewrite those files and the backups too. Only a head
  kept out of their reach (a backup on another medium, the line ``audit verify`` prints, written down) then
  shows it. The chain cannot say who made a change (``who`` is the login name or ``MHTR_USER``) nor when (the
  machine's clock): it records what the app was told.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from db.audit_link import FIELDS, link
from db.backup_files import list_backups
from db.database import Database
from db.errors import AuditBroken
from db.files import write_private
from db.health import restore_hint
from db.schema import AUDIT_TABLE_TRIGGERS, AUDITED, audit_triggers, column_names
from db.verified import note_path

# How many of the newest rows every start re-hashes: enough to cover what one sitting writes, cheap at any size.
TAIL = 64
_SELECT = f"SELECT {', '.join(FIELDS)}, hash FROM audit"


@dataclass(frozen=True)
class Head:
    """Where the chain ended when it was recorded: its newest row, that row's hash, and how many rows led there."""

    last_id: int
    rows: int
    hash: str

    def line(self) -> str:
        return f"audit {self.last_id} {self.rows} {self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head | None:
        parts = text.split()
        if len(parts) != 4 or parts[0] != "audit" or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        return cls(int(parts[1]), int(parts[2]), parts[3])

    def as_dict(self) -> dict:
        return {"last_id": self.last_id, "rows": self.rows, "hash": self.hash}


# The head of a trail with no entry yet, recorded when a database is made: a new file at a path that held another
# database (deleted, then ``init`` or ``demo`` again) is then never compared with the old file's note or backups.
EMPTY = Head(0, 0, "-")


def has_chain(conn) -> bool:
    """Whether this database's audit table has its ``hash`` column (schema 5 on)."""
    return any(r[1] == "hash" for r in conn.execute("PRAGMA table_info(audit)").fetchall())


def head(conn) -> Head | None:
    """The chain's head now (None for an empty trail)."""
    row = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return Head(row[0], conn.execute("SELECT count(*) FROM audit").fetchone()[0], row[1] or "")


def _describe(row) -> str:
    when = (row[1] or "")[:16].replace("T", " ")
    return f"entry {row[0]} ({row[3]} {row[4]}, {row[5]}, {when} UTC)"


def _check_links(rows: Iterable, prev: tuple | None) -> tuple[int, tuple | None, str | None]:
    """Hash ``rows`` (oldest first) on from ``prev`` (the row before them, or None at the start of the trail).

    Returns how many rows passed, the last good row, and what is wrong with the first one that does not.
    """
    count = 0
    for row in rows:
        prev_hash = prev[-1] if prev is not None else None
        if prev is not None and row[0] != prev[0] + 1:
            return count, prev, f"entries {prev[0] + 1} to {row[0] - 1} are missing (before {_describe(row)})"
        if row[-1] != link(prev_hash, *row[:-1]):
            what = "has no hash" if not row[-1] else "does not match its hash: it, or the entry before it, was changed"
            return count, prev, f"{_describe(row)} {what}"
        prev, count = tuple(row), count + 1
    return count, prev, None


def walk(conn) -> tuple[int, Head | None, str | None]:
    """Re-hash the whole trail, oldest first: (rows that passed, the head reached, the first finding or None)."""
    first = conn.execute("SELECT min(id) FROM audit").fetchone()[0]
    if first is not None and first != 1:
        return 0, None, f"entries 1 to {first - 1} are missing (the trail starts at entry {first})"
    count, last, problem = _check_links(conn.execute(f"{_SELECT} ORDER BY id"), None)
    reached = Head(last[0], count, last[-1]) if last is not None else None
    return count, reached, problem


# The triggers a schema defines, by the tables' own SQL: they follow from the columns, which only a migration
# changes, so every start after the first reads them from here instead of regenerating them (a few ms).
_EXPECTED: dict[tuple, dict[str, str]] = {}


def expected_triggers(db, tables_sql: tuple | None = None) -> dict[str, str]:
    """Every trigger the schema defines, by name, with the exact SQL it is created with. ``tables_sql``: the
    tables' (name, sql) from sqlite_master, when the caller has read them."""
    if tables_sql is not None and tables_sql in _EXPECTED:
        return _EXPECTED[tables_sql]
    wanted = dict(AUDIT_TABLE_TRIGGERS)
    for table in AUDITED:
        for stmt in audit_triggers(db, table):
            if stmt.startswith("CREATE TRIGGER "):
                wanted[stmt.split()[2]] = stmt
    if tables_sql is not None:
        _EXPECTED[tables_sql] = wanted
    return wanted


def structure_problems(db) -> list[str]:
    """What is missing or changed in the audit table and the triggers that write and guard it."""
    conn = db.conn
    tables_sql = tuple(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"))
    if "audit" not in {name for name, _ in tables_sql}:
        return ["the audit table is missing"]
    if not has_chain(conn):
        return ["the audit table has no hash column"]
    present = {r[0]: r[1] for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    wanted = expected_triggers(db, tables_sql)
    problems = []
    for name, sql in wanted.items():
        if name not in present:
            problems.append(f"the trigger {name} is missing")
        elif present[name] != sql:
            problems.append(f"the trigger {name} has been changed")
    problems += [f"an unknown trigger {name} is present" for name in sorted(set(present) - set(wanted))]
    return problems


def tail_problem(conn) -> str | None:
    """Re-hash the newest ``TAIL`` rows from the one before them (or from the start of a short trail)."""
    rows = conn.execute(f"{_SELECT} ORDER BY id DESC LIMIT ?", [TAIL + 1]).fetchall()[::-1]
    if not rows:
        return None
    if len(rows) <= TAIL:  # the whole trail: it must start at entry 1
        if rows[0][0] != 1:
            return f"entries 1 to {rows[0][0] - 1} are missing (the trail starts at entry {rows[0][0]})"
        return _check_links(rows, None)[2]
    return _check_links(rows[1:], tuple(rows[0]))[2]


def head_problem(conn, recorded: Head | None, where: str, total: int | None = None) -> str | None:
    """Whether the trail still holds the head recorded outside it (``where`` says where it was recorded).
    ``total``: the trail's row count when the caller has just read it (a count reads the whole index)."""
    if recorded is None or recorded == EMPTY:
        return None
    row = conn.execute("SELECT hash FROM audit WHERE id = ?", [recorded.last_id]).fetchone()
    if row is None:
        return f"entry {recorded.last_id}, recorded in {where}, is gone: the trail was cut short or rewritten"
    if row[0] != recorded.hash:
        return f"entry {recorded.last_id} no longer has the hash recorded in {where}: the trail was rewritten"
    later = conn.execute("SELECT count(*) FROM audit WHERE id > ?", [recorded.last_id]).fetchone()[0]
    if total is None:
        total = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    if total - later != recorded.rows:
        return (
            f"{recorded.rows} entries led up to entry {recorded.last_id} when {where} was written, "
            f"{total - later} do now: entries were deleted or added"
        )
    return None


def replay_problems(db) -> list[str]:
    """Records that the trail does not account for: each audited row must be exactly what its newest audit entry
    says it became, a row the trail never saw deleted must still be there, and no row may be missing from it.

    A change made with the triggers dropped leaves no audit entry, so the chain itself is intact; this is how it
    is found. Values are compared as JSON, and a column added by a later migration counts as empty in entries
    written before it existed.
    """
    problems = []
    for table in AUDITED:
        cols = column_names(db, table)
        current = ", ".join(f"'{c}', t.\"{c}\"" for c in cols)
        sql = (
            "WITH last AS (SELECT row_id, max(id) AS id FROM audit WHERE tbl = ? GROUP BY row_id) "
            f"SELECT last.row_id, audit.action, audit.new, t.rowid IS NULL, json_object({current}) "
            f'FROM last JOIN audit ON audit.id = last.id LEFT JOIN "{table}" t ON t.rowid = last.row_id '
            "ORDER BY last.row_id"
        )
        for row_id, action, new, gone, now in db.read(sql, [table]).fetchall():
            if action == "delete":
                if not gone:
                    problems.append(f"{table} row {row_id} is there, but the trail says it was deleted")
            elif gone:
                problems.append(f"{table} row {row_id} is gone, but the trail never saw it deleted")
            else:
                said, held = json.loads(new or "{}"), json.loads(now)
                if any(said.get(c) != held.get(c) for c in cols):
                    problems.append(f"{table} row {row_id} differs from what the trail says it became")
        untracked = db.read(
            f'SELECT count(*) FROM "{table}" WHERE rowid NOT IN (SELECT row_id FROM audit WHERE tbl = ?)', [table]
        ).fetchone()[0]
        if untracked:
            problems.append(f"{untracked} {table} row(s) were never written to the trail")
    return problems


def checked_head(conn, previous: Head | None = None) -> Head | None:
    """Check the whole trail of a database nobody is writing (a backup being made or restored) and return its
    head; raise ``AuditBroken`` with the first finding. None for a database from before the chain.

    ``previous`` (the head of an earlier backup of the same database): when the trail still holds it, only the
    rows after it are re-hashed, so a daily backup of a service years old costs what a day adds; otherwise
    (another line of history, after a restore) everything is.
    """
    if not has_chain(conn):
        return None
    problems = structure_problems(Database(conn))
    if problems:
        raise AuditBroken("; ".join(problems[:3]))
    if previous is not None and head_problem(conn, previous, "") is None:
        start = conn.execute(f"{_SELECT} WHERE id = ?", [previous.last_id]).fetchone()
        count, last, problem = _check_links(
            conn.execute(f"{_SELECT} WHERE id > ? ORDER BY id", [previous.last_id]), tuple(start)
        )
        rows = previous.rows + count
    else:
        rows, reached, problem = walk(conn)
        last = (reached.last_id, reached.hash) if reached is not None else None
    if problem is not None:
        raise AuditBroken(problem)
    return Head(last[0], rows, last[-1]) if last is not None else None


# ---- the head recorded outside the database ---------------------------------------------------------------


def note_head(path: Path | str) -> Head | None:
    """The head kept in the note of the last passed start-up check beside the database (``db.verified``)."""
    try:
        lines = note_path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((h for h in map(Head.parse, lines[1:]) if h is not None), None)


def record_head(path: Path | str, recorded: Head | None, *, keep_identity: bool = True) -> None:
    """Keep ``recorded`` as the head in the note beside the database (its first line, the file identity of the
    last quick_check, is kept unless ``keep_identity`` is false). A folder that cannot be written is no reason
    to refuse the user: the check simply has less to compare with next time."""

    note = note_path(path)
    identity = ""
    if keep_identity:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            identity = note.read_text(encoding="utf-8").splitlines()[0]
    text = identity + "\n" + (recorded.line() + "\n" if recorded is not None else "")
    with contextlib.suppress(OSError):
        write_private(note, text.encode(), overwrite=True)


def check_path(backup_file: Path | str) -> Path:
    """A backup's check file: what was verified about it when it was made, the chain's head among it."""
    return Path(f"{backup_file}.check")


def backup_head(backup_file: Path | str) -> Head | None:
    try:
        data = json.loads(check_path(backup_file).read_text(encoding="utf-8"))
        audit = data["audit"]
        return Head(int(audit["last_id"]), int(audit["rows"]), str(audit["hash"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def recorded_head(path: Path | str) -> tuple[Head | None, str]:
    """The head this database's start-up check compares with, and where it was recorded: the note beside the
    database, or, when that is gone, the newest backup's check file."""
    found = note_head(path)
    if found is not None:
        return found, "the last start-up check"
    for b in reversed(list_backups(path)):
        found = backup_head(b.path)
        if found is not None:
            return found, f"the check file of backup {b.path.name}"
    return None, ""


def start_problem(db, recorded: Head | None = None, where: str = "") -> tuple[str | None, Head | None]:
    """The cheap check run whenever the database is opened: the table and its triggers as the schema defines
    them, the newest ``TAIL`` rows re-hashed, and the head recorded outside still in place. Returns the first
    finding (None if there is none) and the head now (for the caller to record), with one count of the trail."""
    problems = structure_problems(db)
    if problems:
        return "; ".join(problems[:3]), None
    now = head(db.conn)
    return tail_problem(db.conn) or head_problem(db.conn, recorded, where, now.rows if now else 0), now


def broken(path: Path | str | None, finding: str) -> AuditBroken:
    """The refusal that makes the database read-only: what was found and how to restore the latest backup."""
    where = f" of {path}" if path is not None else ""
    hint = f" {restore_hint(Path(path))}" if path is not None else ""
    return AuditBroken(
        f"the audit trail{where} has been tampered with ({finding}); it is open read-only and nothing can be "
        f"saved;{hint}"
    )
