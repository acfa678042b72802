"""Reading and writing tasks. Open tasks are read through the partial index on due date."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, Required, TypedDict, Unpack

from db.database import Database
from db.records import now_iso

TASK_COLUMNS = ("case_id", "event_id", "stage", "key", "title", "due", "action", "urgent", "period", "origin")
_TASK_SELECT = """SELECT tasks.*, cases.ref AS ref, clients.name AS client_name
    FROM tasks LEFT JOIN cases ON cases.id = tasks.case_id LEFT JOIN clients ON clients.id = cases.client_id"""


_INSERT_TASK = (
    f"INSERT OR IGNORE INTO tasks ({', '.join(TASK_COLUMNS)}, created_at, status, reason, closed_at) "
    f"VALUES ({', '.join('?' for _ in TASK_COLUMNS)}, ?, ?, ?, ?)"
)


def _task_values(row: dict, created_at: str) -> list:
    return [*(row.get(c) for c in TASK_COLUMNS), created_at, row.get("status", "open"), row.get("reason"),
            row.get("closed_at")]


def insert_task(db: Database, row: dict) -> int | None:
    """Insert one task unless the same item for the same case, event and period already exists; open unless the
    row says otherwise (a task stored done: its ``status``, ``reason`` and ``closed_at``)."""
    cur = db.execute(_INSERT_TASK, _task_values(row, now_iso()))
    return cur.lastrowid if cur.rowcount else None


def insert_tasks(db: Database, rows: list[dict]) -> None:
    """``insert_task`` for each of ``rows``, in order, as one statement run over them all (for a caller that
    needs no ids back): the same rows, the same audit entries in the same order."""
    created_at = now_iso()
    db.executemany(_INSERT_TASK, [_task_values(row, created_at) for row in rows])


def practitioner_periods(db: Database, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of the ``(key, period)`` pairs already have a practitioner task (any status), through ``tasks_once``."""
    have: set[tuple[str, str]] = set()
    keys = sorted({k for k, _ in pairs})
    periods = sorted({p for _, p in pairs})
    if not pairs:
        return have
    for key in keys:
        rows = db.read(
            "SELECT key, coalesce(period, '') FROM tasks WHERE coalesce(case_id, 0) = 0 AND key = ? "
            f"AND coalesce(event_id, 0) = 0 AND coalesce(period, '') IN ({', '.join('?' for _ in periods)})",
            [key, *periods],
        )
        have.update((k, p) for k, p in rows)
    return have


def get_task(db: Database, task_id: int) -> dict | None:
    rows = list(db.query(f"{_TASK_SELECT} WHERE tasks.id = ?", [task_id]))
    return rows[0] if rows else None


def set_task_state(
    db: Database, task_id: int, *, status: str, due: str, reason: str | None, closed_at: str | None
) -> None:
    db.execute(
        "UPDATE tasks SET status = ?, due = ?, reason = ?, closed_at = ? WHERE id = ?",
        [status, due, reason, closed_at, task_id],
    )


def close_tasks_done(db: Database, task_ids: list[int], closed_at: str) -> None:
    """Mark the tasks ``task_ids`` done at ``closed_at``, as ``set_task_state`` would one by one (due kept, no
    reason): one statement run over them all, their audit rows in the order given."""
    db.executemany(
        "UPDATE tasks SET status = 'done', reason = NULL, closed_at = ? WHERE id = ?",
        [(closed_at, task_id) for task_id in task_ids],
    )


def open_tasks_with_key(db: Database, case_id: int, key: str) -> list[dict]:
    return list(db.query("SELECT * FROM tasks WHERE case_id = ? AND key = ? AND status = 'open'", [case_id, key]))


def open_tasks_of_case(db: Database, case_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM tasks WHERE case_id = ? AND status = 'open'", [case_id]))


def open_tasks_with_keys(db: Database, case_id: int, keys: Collection[str]) -> list[dict]:
    """A case's open tasks of the items ``keys``, in the order they were made (none asked: none read)."""
    if not keys:
        return []
    marks = ", ".join("?" for _ in keys)
    return list(db.query(
        f"SELECT * FROM tasks WHERE case_id = ? AND status = 'open' AND key IN ({marks}) ORDER BY id",
        [case_id, *keys],
    ))


def has_open_task(db: Database, case_id: int, keys: Collection[str]) -> bool:
    """Whether the case has an open task of any of the items ``keys``."""
    if not keys:
        return False
    marks = ", ".join("?" for _ in keys)
    sql = f"SELECT EXISTS (SELECT 1 FROM tasks WHERE case_id = ? AND status = 'open' AND key IN ({marks}))"
    return bool(db.read(sql, [case_id, *keys]).fetchone()[0])


class Which(TypedDict, total=False):
    """Which tasks a read of tasks by due date takes (``due_tasks_query``'s arguments)."""

    until: Required[date | None]
    case_id: int | None
    only_overdue_before: date | None
    include_closed: bool
    urgent: bool | None
    limit: int | None


def due_tasks_query(
    *,
    until: date | None,
    case_id: int | None = None,
    only_overdue_before: date | None = None,
    include_closed: bool = False,
    urgent: bool | None = None,
    limit: int | None = None,
) -> tuple[str, list[object]]:
    """The SQL and parameters that read tasks by due date, oldest first (``tasks_due``, ``task_rows``; the bench
    runs the same text on a bare connection as the floor). ``until``: due on or before; None for no limit.

    Open tasks come from the partial index; ``include_closed`` adds done and skipped ones (client view). Across
    every client (no ``case_id``) the tasks of archived cases are left out: an archived case is put away, and
    its tasks come back as they were if it is unarchived. One case's own list still shows them. ``urgent``: only
    the urgent ones, or only the others; ``limit``: only the first so many.
    """
    where: list[str] = []
    params: list[object] = []
    if case_id is None:
        where.append("cases.archived_at IS NULL")  # practitioner tasks have no case, so NULL: kept
    if not include_closed:
        where.append("tasks.status = 'open'")
    if until is not None:
        where.append("tasks.due <= ?")
        params.append(until.isoformat())
    if only_overdue_before is not None:
        where.append("tasks.due < ?")
        params.append(only_overdue_before.isoformat())
    if case_id is not None:
        where.append("tasks.case_id = ?")
        params.append(case_id)
    if urgent is not None:
        where.append("tasks.urgent" if urgent else "NOT tasks.urgent")
    sql = _TASK_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY tasks.due, tasks.urgent DESC, tasks.case_id, tasks.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def tasks_due(db: Database, **which: Unpack[Which]) -> list[dict]:
    """Tasks by due date, oldest first, as dicts (``due_tasks_query`` says which: the same arguments)."""
    return list(db.query(*due_tasks_query(**which)))


def task_rows(db: Database, **which: Unpack[Which]) -> list[Any]:
    """The tasks ``tasks_due`` reads, as named tuples (``db.rows``): for the lists, which read hundreds at a time and
    make each into what they show (``records.views``)."""
    return db.rows(*due_tasks_query(**which))


def task_counts_query(today: date, horizon: date) -> tuple[str, list[object]]:
    """The SQL and parameters of ``task_counts`` (the bench runs the same text on a bare connection)."""
    sql = """SELECT sum(tasks.due < ?), sum(tasks.due = ?), sum(tasks.due > ? AND tasks.due <= ?)
           FROM tasks LEFT JOIN cases ON cases.id = tasks.case_id
           WHERE tasks.status = 'open' AND tasks.due <= ? AND cases.archived_at IS NULL"""
    return sql, [today.isoformat(), today.isoformat(), today.isoformat(), horizon.isoformat(), horizon.isoformat()]


def task_counts(db: Database, today: date, horizon: date) -> dict[str, int]:
    """Open tasks overdue, due today and due up to ``horizon`` (Today's header); archived cases' left out."""
    row = db.read(*task_counts_query(today, horizon)).fetchone()
    return {"overdue": row[0] or 0, "today": row[1] or 0, "week": row[2] or 0}


def tasks_of_event(db: Database, event_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM tasks WHERE event_id = ? ORDER BY id", [event_id]))


def move_task_to_event(db: Database, task_id: int, event_id: int, due: str) -> None:
    """Re-point a task at the event that corrected its own, with the due date that follows from it."""
    db.execute("UPDATE tasks SET event_id = ?, due = ? WHERE id = ?", [event_id, due, task_id])
