"""Reading and writing the appointments diary. The only SQL for appointments lives here.

Appointments are never deleted (the table refuses DELETE): a cancelled or moved appointment keeps its row
with its status, so the diary and the weekly share with probation can say what happened to it.
``starts_at`` is local wall-clock time written ``YYYY-MM-DDTHH:MM`` so that text order is time order.
"""

from __future__ import annotations

import json

from db.database import Database, inserted_id
from db.records import now_iso

APPOINTMENT_COLUMNS = ("case_id", "starts_at", "duration_min", "place", "mode", "status", "series", "note")
# Statuses that hold a slot in the practitioner's day (a moved or cancelled appointment frees it).
OCCUPYING = ("booked", "held")

_SELECT = """SELECT appointments.*, cases.ref AS ref, cases.ro_name AS ro_name, cases.ro_contact AS ro_contact,
                    clients.name AS client_name
             FROM appointments JOIN cases ON cases.id = appointments.case_id
                               JOIN clients ON clients.id = cases.client_id"""


def insert_appointment(db: Database, row: dict) -> int:
    values = [row.get(c) for c in APPOINTMENT_COLUMNS]
    values[APPOINTMENT_COLUMNS.index("status")] = row.get("status") or "booked"
    cur = db.execute(
        f"INSERT INTO appointments ({', '.join(APPOINTMENT_COLUMNS)}, created_at) "
        f"VALUES ({', '.join('?' for _ in APPOINTMENT_COLUMNS)}, ?)",
        [*values, now_iso()],
    )
    return inserted_id(cur)


def get_appointment(db: Database, appointment_id: int) -> dict | None:
    rows = list(db.query(f"{_SELECT} WHERE appointments.id = ?", [appointment_id]))
    return rows[0] if rows else None


def update_appointment(db: Database, appointment_id: int, fields: dict) -> None:
    """Change status, note or the linked session event (the audit trigger keeps the old values)."""
    allowed = ("status", "note", "event_id", "cancelled_by", "reason", "moved_to")
    cols = [k for k in fields if k in allowed]
    if cols:
        db.execute(
            f"UPDATE appointments SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            [fields[c] for c in cols] + [appointment_id],
        )


def appointments_between(
    db: Database, start: str, end: str, *, statuses: tuple[str, ...] | None = None
) -> list[dict]:
    """Appointments starting in [start, end) (ISO date-times), across all open and closed cases, in time order."""
    return appointments_within(db, [(start, end)], statuses=statuses)


def appointments_within(
    db: Database, windows: list[tuple[str, str]], *, statuses: tuple[str, ...] | None = None
) -> list[dict]:
    """Appointments starting in any of the ``windows`` ([start, end) ISO date-times), each once, in time order.

    A series' clash check asks for the hours around each of its starts, not for every appointment of the weeks
    between its first and last (which, in a full diary, were thousands of rows read for a handful of slots).
    """
    return list(db.query(*_within(_SELECT, windows, statuses)))


def slots_within(
    db: Database, windows: list[tuple[str, str]], *, statuses: tuple[str, ...] | None = None
) -> list[dict]:
    """The appointments ``appointments_within`` reads, with only their ``id``, ``starts_at``, ``duration_min`` and
    ``status``: what a booking's clash check compares. It reads the rest (the case, the client) only for what
    clashes (``appointments_with_ids``); most bookings clash with nothing."""
    return list(db.query(*_within(_SLOT_SELECT, windows, statuses)))


def appointments_with_ids(db: Database, ids: list[int]) -> list[dict]:
    """The appointments with these ids, as ``appointments_within`` reads them, in time order."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return list(db.query(f"{_SELECT} WHERE appointments.id IN ({marks}) ORDER BY appointments.starts_at, "
                         "appointments.id", [int(i) for i in ids]))


_SLOT_SELECT = ("SELECT appointments.id, appointments.starts_at, appointments.duration_min, appointments.status "
                "FROM appointments")


def _within(select: str, windows: list[tuple[str, str]], statuses: tuple[str, ...] | None) -> tuple[str, list]:
    """``select`` (of ``appointments``) limited to what starts in the ``windows``, in time order, and its parameters.

    Several windows are joined to the index on start times as a table of their own: written as one range per
    window joined by OR, SQLite searched the index once per window for up to four of them, but from five (a series
    of five sessions or more) it walked the whole index in time order instead, reading every appointment in the
    diary for each series booked."""
    params: list = [bound for window in windows for bound in window]
    if len(windows) == 1:
        sql = f"{select} WHERE appointments.starts_at >= ? AND appointments.starts_at < ?"
    else:
        sql = (
            f"WITH windows(first, last) AS (VALUES {', '.join('(?, ?)' for _ in windows)}) "
            f"{select} WHERE appointments.id IN (SELECT a.id FROM windows JOIN appointments AS a "
            "ON a.starts_at >= windows.first AND a.starts_at < windows.last)"
        )
    if statuses:
        sql += f" AND appointments.status IN ({', '.join('?' for _ in statuses)})"
        params += list(statuses)
    return sql + " ORDER BY appointments.starts_at, appointments.id", params


def appointments_of_case(db: Database, case_id: int) -> list[dict]:
    return list(
        db.query(
            f"{_SELECT} WHERE appointments.case_id = ? ORDER BY appointments.starts_at, appointments.id", [case_id]
        )
    )


def next_booked(db: Database, after: str, case_id: int | None = None) -> list[dict]:
    """For each case (or just ``case_id``), its first booked appointment starting at or after ``after``."""
    where = "AND appointments.case_id = ?" if case_id is not None else ""
    params: list = [after] + ([case_id] if case_id is not None else [])
    return list(
        db.query(
            f"""{_SELECT}
                WHERE appointments.id IN (
                    SELECT (SELECT a.id FROM appointments a
                            WHERE a.case_id = firsts.case_id AND a.status = 'booked' AND a.starts_at = firsts.first
                            ORDER BY a.id LIMIT 1)
                    FROM (SELECT case_id, min(starts_at) AS first FROM appointments
                          WHERE status = 'booked' AND starts_at >= ? GROUP BY case_id) AS firsts)
                {where}
                ORDER BY appointments.starts_at""",
            params,
        )
    )


def booked_after(db: Database, case_id: int, after: str) -> list[dict]:
    """A case's booked appointments starting at or after ``after`` (what withdrawal or completion leaves open)."""
    return list(
        db.query(
            f"{_SELECT} WHERE appointments.case_id = ? AND appointments.status = 'booked' "
            "AND appointments.starts_at >= ? ORDER BY appointments.starts_at",
            [case_id, after],
        )
    )


def appointment_for_event(db: Database, event_id: int) -> dict | None:
    """The appointment a session event (or any earlier version of it, before corrections) was recorded for."""
    rows = list(
        db.query(
            f"""WITH RECURSIVE back(id, corrects) AS (
                    SELECT id, corrects FROM events WHERE id = ?
                    UNION ALL
                    SELECT e.id, e.corrects FROM back JOIN events e ON e.id = back.corrects)
                {_SELECT} WHERE appointments.event_id IN (SELECT id FROM back)
                ORDER BY appointments.id LIMIT 1""",
            [event_id],
        )
    )
    return rows[0] if rows else None


def session_events_between(db: Database, start: str, end: str) -> list[dict]:
    """Effective session events dated in [start, end] (ISO dates) with their case, RO and client name."""
    rows = list(
        db.query(
            """SELECT events.*, cases.ref AS ref, cases.ro_name AS ro_name, cases.ro_contact AS ro_contact,
                      clients.name AS client_name
               FROM events JOIN cases ON cases.id = events.case_id JOIN clients ON clients.id = cases.client_id
               WHERE events.kind = 'session' AND events.date >= ? AND events.date <= ?
                 AND events.id NOT IN (SELECT corrects FROM events WHERE corrects IS NOT NULL)
               ORDER BY events.date, events.id""",
            [start, end],
        )
    )
    for r in rows:
        r["data"] = json.loads(r["data"])
    return rows


def practitioner_task(db: Database, key: str, period: str) -> dict | None:
    """The practitioner's (not a client's) recurring task ``key`` for ``period``, e.g. the weekly diary item."""
    rows = list(
        db.query("SELECT * FROM tasks WHERE case_id IS NULL AND key = ? AND period = ? ORDER BY id", [key, period])
    )
    return rows[0] if rows else None


def event_with_case(db: Database, event_id: int) -> dict | None:
    """One event with its case reference, RO and client name (for the health-system entry)."""
    rows = list(
        db.query(
            """SELECT events.*, cases.ref AS ref, cases.ro_name AS ro_name, clients.name AS client_name
               FROM events JOIN cases ON cases.id = events.case_id JOIN clients ON clients.id = cases.client_id
               WHERE events.id = ?""",
            [event_id],
        )
    )
    for r in rows:
        r["data"] = json.loads(r["data"])
    return rows[0] if rows else None


def closed_tasks_with_keys(
    db: Database, keys: tuple[str, ...], case_ids: list[int] | None = None
) -> dict[int, set[str]]:
    """Case id -> the keys among ``keys`` of its tasks ticked done (the clocks read them as met).

    ``case_ids`` limits the look to those cases (through the tasks' case index, instead of every task ever made).
    """
    out: dict[int, set[str]] = {}
    if not keys or case_ids == []:
        return out
    wanted = None if case_ids is None else {int(c) for c in case_ids}
    params: list = []
    sql = "SELECT case_id, key FROM tasks WHERE status = 'done' AND case_id IS NOT NULL "
    if wanted is not None and len(wanted) <= _IN_LIST_MAX:
        # Written as tasks_once indexes it (case, then key): a seek per case instead of reading its done tasks.
        sql += f"AND coalesce(case_id, 0) IN ({', '.join('?' for _ in wanted)}) "
        params += sorted(wanted)
    sql += f"AND key IN ({', '.join('?' for _ in keys)})"
    params += list(keys)
    for r in db.read(sql, params):
        if wanted is None or r[0] in wanted:
            out.setdefault(r[0], set()).add(r[1])
    return out


_IN_LIST_MAX = 900  # beyond this, reading every such task and filtering here is as quick (and within any limit)


def latest_versions(db: Database, event_ids: list[int]) -> dict[int, int]:
    """Event id -> the id of its latest correction (itself if never corrected), following chains of corrections.

    An appointment keeps the id of the session event first recorded for it; this finds the one in force.
    """
    ids = sorted({int(i) for i in event_ids if i})
    if not ids:
        return {}
    rows = db.read(
        f"""WITH RECURSIVE chain(start, id) AS (
                SELECT id, id FROM events WHERE id IN ({", ".join("?" for _ in ids)})
                UNION ALL
                SELECT chain.start, e.id FROM chain JOIN events e ON e.corrects = chain.id)
            SELECT start, max(id) FROM chain GROUP BY start""",
        ids,
    ).fetchall()
    return {start: latest for start, latest in rows}
