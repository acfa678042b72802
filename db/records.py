"""Reading and writing clients, cases, events and questionnaires. The only SQL for them lives here."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from operator import itemgetter
from typing import Any

from db.connection import current_user
from db.database import Database, inserted_id
from db.transaction import forget, keep, kept, kept_read

CLIENT_FIELDS = (
    "name",
    "dob",
    "nhs_number",
    "gender",
    "ethnicity",
    "address",
    "postcode",
    "phone",
    "gp_practice",
    "gp_address",
    "gp_registered",
    "gp_registered_date",
    "gp_registered_via_mhtr",
    "looked_after",
    "ehc_plan",
    "pregnancy",
    "caring",
    "disability",
    "armed_forces",
    "accommodation",
)
CASE_FIELDS = ("requirement", "referral_source", "offence_type", "court", "ro_name", "ro_contact", "risk_level")


def now_iso() -> str:
    """When a row is written (UTC, to the second), as every table records it. Read from ``time.gmtime``: the same
    text as ``datetime.now(UTC).strftime`` in about a fifth of the time, and it is taken for most rows written. The
    time is ``time.time()``'s, the clock ``datetime.now`` reads: ``time.gmtime()`` alone reads the system's coarse
    clock, which can still show the second before for a few milliseconds after it has turned."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time()))


def insert_client(db: Database, fields: dict) -> int:
    row = {k: fields.get(k) for k in CLIENT_FIELDS}
    row["created_at"] = now_iso()
    forget(db, "cases")
    cur = db.execute(
        f"INSERT INTO clients ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
    )
    return inserted_id(cur)


def next_case_ref(db: Database) -> str:
    """``MHTR-0007``: a running number, never derived from who the client is."""
    n = db.read("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0]
    return f"MHTR-{n:04d}"


def insert_case(db: Database, client_id: int, fields: dict) -> tuple[int, str]:
    ref = next_case_ref(db)
    row = {k: fields.get(k) for k in CASE_FIELDS}
    row["requirement"] = row["requirement"] or "MHTR"
    row.update(ref=ref, client_id=client_id, opened_at=now_iso())
    forget(db, "cases")
    cur = db.execute(f"INSERT INTO cases ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
    return inserted_id(cur), ref


def update_client(db: Database, client_id: int, fields: dict) -> None:
    cols = [k for k in fields if k in CLIENT_FIELDS]
    if cols:
        forget(db, "cases")
        db.execute(
            f"UPDATE clients SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            [fields[c] for c in cols] + [client_id],
        )


def update_case(db: Database, case_id: int, fields: dict) -> None:
    cols = [k for k in fields if k in CASE_FIELDS]
    if cols:
        forget(db, "cases")
        db.execute(
            f"UPDATE cases SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            [fields[c] for c in cols] + [case_id],
        )


def find_client_by_nhs(db: Database, nhs: str) -> dict | None:
    rows = list(db.query("SELECT * FROM clients WHERE nhs_number = ?", [nhs]))
    return rows[0] if rows else None


def nhs_numbers_held(db: Database) -> set[str]:
    """Every NHS number the clients hold (stored normalised: ten digits)."""
    return {r[0] for r in db.read("SELECT nhs_number FROM clients WHERE nhs_number IS NOT NULL")}


def find_clients_by_name_dob(db: Database, name: str, dob: str) -> list[dict]:
    return list(db.query("SELECT * FROM clients WHERE lower(name) = lower(?) AND dob = ?", [name, dob]))


_CASE_SELECT = """SELECT cases.id AS case_id, cases.ref, cases.requirement, cases.referral_source, cases.offence_type,
                      cases.court, cases.ro_name, cases.ro_contact, cases.risk_level, cases.opened_at,
                      cases.archived_at AS case_archived_at, cases.archive_reason AS case_archive_reason,
                      clients.*
               FROM cases JOIN clients ON clients.id = cases.client_id"""
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def get_case(db: Database, ref: str) -> dict | None:
    """The case and its client's fields (client columns prefixed by nothing, case id as ``case_id``); ``ref`` in
    any case of letters (``mhtr-0007``).

    References are made upper case (``next_case_ref``), so the reference with its ASCII letters raised is looked
    up through the unique index first; ``COLLATE NOCASE`` on the column cannot use that index and read every case
    (about 1 ms a lookup on a service of 5,000 cases, and every action looks its case up). Only a reference
    stored otherwise is looked for case-blind, as before.

    Within a transaction a case found is read once (``db.transaction.kept_read``; each write to cases or clients
    drops it): one action looks its case up several times, each step checking it on its own. Each caller gets a
    copy of the row.
    """
    ref = ref.strip()
    upper = ref.translate(_ASCII_UPPER)
    rows = kept_read(db, "cases", upper, lambda: list(db.query(f"{_CASE_SELECT} WHERE cases.ref = ?", [upper])))
    if not rows:
        rows = list(db.query(f"{_CASE_SELECT} WHERE cases.ref = ? COLLATE NOCASE", [ref]))
    return dict(rows[0]) if rows else None


def set_case_archived(db: Database, case_id: int, archived_at: str | None, reason: str | None) -> None:
    """Archive a case (a time and a reason) or bring it back (both None); the audit trigger keeps the old values."""
    forget(db, "cases")
    db.execute("UPDATE cases SET archived_at = ?, archive_reason = ? WHERE id = ?", [archived_at, reason, case_id])


def archived_cases(db: Database) -> list[dict]:
    """Every archived case with its client's name, when and why it was archived, in case order."""
    return list(
        db.query(
            """SELECT cases.ref, clients.name, cases.archived_at, cases.archive_reason
               FROM cases JOIN clients ON clients.id = cases.client_id
               WHERE cases.archived_at IS NOT NULL ORDER BY cases.id"""
        )
    )


def cases_of_client(db: Database, client_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM cases WHERE client_id = ? ORDER BY id", [client_id]))


def insert_event(
    db: Database, case_id: int, kind: str, when: date, data: dict, corrects: int | None = None
) -> int:
    """Store an event (``corrects``: the id of the event it corrects). The case's effective events held for the
    transaction (``events_of_case``) get the new one in its place instead of being read again: a new event replaces
    none and its ``seq`` is its own id, the newest, so it goes after every event up to its date. It is placed as
    the row just stored reads back (its columns as written, its data decoded from the text stored), without
    reading it. A correction drops what was held (it replaces an event, and keeps that one's place)."""
    held, earlier = kept(db, "events", (case_id, False))
    forget(db, "events")
    text = json.dumps(data, sort_keys=True)
    row = {"case_id": case_id, "kind": kind, "date": when.isoformat(), "data": text, "corrects": corrects,
           "recorded_at": now_iso(), "recorded_by": current_user()}
    cur = db.execute(
        "INSERT INTO events (case_id, kind, date, data, corrects, recorded_at, recorded_by) VALUES (?,?,?,?,?,?,?)",
        list(row.values()),
    )
    event_id = inserted_id(cur)
    if held and corrects is None and isinstance(earlier, list):
        stored = {"id": event_id, **row, "data": json.loads(text), "seq": event_id}
        keep(db, "events", (case_id, False), sorted([*earlier, stored], key=_EVENTS_ORDER))
    return event_id


def held_event(db: Database, case_id: int, event_id: int) -> dict | None:
    """The row of event ``event_id`` among the case's events held for the transaction (as ``insert_event`` placed
    it: what a read gives), itself and not a copy, for a reader that changes nothing in it; None when the case's
    events are not held."""
    held, rows = kept(db, "events", (case_id, False))
    if not held or not isinstance(rows, list):
        return None
    return next((r for r in reversed(rows) if r["id"] == event_id), None)


# The place of an event among those of the same day: the id of its first recording, which every correction in its
# chain keeps (a correction is a newer row, and ordering it by its own id would move it after events recorded
# later the same day: a corrected Clinical Lead decision would then land after the court outcome). Written for
# rows selected ``FROM events AS e``.
SEQ = (
    "CASE WHEN e.corrects IS NULL THEN e.id ELSE (WITH RECURSIVE up(id, corrects) AS ("
    "SELECT id, corrects FROM events WHERE id = e.corrects "
    "UNION ALL SELECT p.id, p.corrects FROM events AS p JOIN up ON p.id = up.corrects"
    ") SELECT id FROM up WHERE corrects IS NULL) END"
)
# ``ORDER BY e.date, seq`` of an event row, for the rows ``events_of_case`` holds (ISO dates sort as text; among a
# case's effective events no two share a date and a ``seq``).
_EVENTS_ORDER = itemgetter("date", "seq")
# An event not replaced by a correction (the table alias must be ``e``).
EFFECTIVE = "e.id NOT IN (SELECT corrects FROM events WHERE corrects IS NOT NULL)"


def events_of_case(db: Database, case_id: int, *, include_corrected: bool = False) -> list[dict]:
    """A case's events in date order (``seq`` orders a day); by default those replaced by a correction are left
    out.

    Within a transaction they are read once (``db.transaction.kept_read``; recording an event drops them): one
    action reads its case's events for each step that checks it (a booking, then the session, then its event).
    Each caller gets its own copies of the rows and their data."""
    key = (case_id, include_corrected)
    rows = kept_read(db, "events", key, lambda: _events_of_case(db, case_id, include_corrected))
    return [{**r, "data": dict(r["data"])} for r in rows]


def _events_of_case(db: Database, case_id: int, include_corrected: bool) -> list[dict]:
    where = "" if include_corrected else f"AND {EFFECTIVE}"
    rows = list(
        db.query(f"SELECT e.*, {SEQ} AS seq FROM events AS e WHERE e.case_id = ? {where} ORDER BY e.date, seq",
                 [case_id])
    )
    for r in rows:
        r["data"] = json.loads(r["data"])
    return rows


def events_by_id(db: Database, ids: list[int]) -> list[dict]:
    """The events with these ids (with ``seq``, data decoded), in id order."""
    if not ids:
        return []
    rows = list(db.query(f"SELECT e.*, {SEQ} AS seq FROM events AS e WHERE e.id IN ({', '.join('?' for _ in ids)}) "
                         "ORDER BY e.id", [int(i) for i in ids]))
    for r in rows:
        r["data"] = json.loads(r["data"])
    return rows


def events_for_cases(db: Database, case_ids: list[int] | None = None) -> dict[int, list[dict]]:
    """Effective events grouped by case (one query, for lists and exports)."""
    sql = f"SELECT e.*, {SEQ} AS seq FROM events AS e WHERE {EFFECTIVE}"
    params: list = []
    if case_ids is not None:
        sql += f" AND e.case_id IN ({', '.join('?' for _ in case_ids)})"
        params = list(case_ids)
    out: dict[int, list[dict]] = {}
    for r in db.query(sql + " ORDER BY e.case_id, e.date, seq", params):
        r["data"] = json.loads(r["data"])
        out.setdefault(r["case_id"], []).append(r)
    return out


def data_version(db: Database) -> int:
    """Changes whenever another connection commits a change to the database (SQLite's ``data_version``)."""
    return db.read("PRAGMA data_version").fetchone()[0]


def event_fingerprints(db: Database) -> dict[int, tuple[int, int]]:
    """``{case_id: (number of events, last event id)}``: changes whenever a case's events change.

    Events are only ever added (a correction is a new event on the same case), so this is enough to tell
    which cases need their state derived again.
    """
    return {r[0]: (r[1], r[2]) for r in db.read("SELECT case_id, count(*), max(id) FROM events GROUP BY case_id")}


def last_change(db: Database) -> int:
    """The newest audit row's id: it moves with every change to anything a screen shows, by this copy of the
    app or another (every write is audited in its own transaction, and the trail is append-only), so a screen
    coming back from under a form that was cancelled can tell in microseconds that it need not reload."""
    return db.read("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]


def events_fingerprint(db: Database) -> int:
    """The last event id in the whole database: unchanged means no case's events changed.

    Events are only ever added (a trigger refuses deleting one, so an id is never reused), so this read of
    the end of the table (microseconds; a count would read 100,000 rows) stands in for
    ``event_fingerprints`` when nothing was recorded since the last look.
    """
    return db.read("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]


def cases_with_session_outcome(db: Database, outcome: str, at_least: int) -> list[int]:
    """Cases with at least ``at_least`` session events recorded with ``outcome`` (corrected ones included,
    so this is a superset of the cases whose effective events have them)."""
    return [
        r[0]
        for r in db.read(
            "SELECT case_id FROM events WHERE kind = 'session' AND json_extract(data, '$.outcome') = ? "
            "GROUP BY case_id HAVING count(*) >= ?",
            [outcome, at_least],
        )
    ]


def case_labels(db: Database, case_ids: list[int]) -> dict[int, dict]:
    """``{case_id: {"ref", "name", "archived"}}`` for the given cases only."""
    ids = sorted({int(c) for c in case_ids})
    out = {}
    for start in range(0, len(ids), 900):  # well inside SQLite's limit on bound values
        chunk = ids[start : start + 900]
        rows = db.read(
            "SELECT cases.id, cases.ref, clients.name, cases.archived_at IS NOT NULL FROM cases "
            f"JOIN clients ON clients.id = cases.client_id WHERE cases.id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        )
        out.update({r[0]: {"ref": r[1], "name": r[2], "archived": bool(r[3])} for r in rows})
    return out


def event_tuples(db: Database, case_ids: list[int] | None = None) -> Iterator[tuple[int, list[tuple]]]:
    """Effective events, one case at a time: ``(case_id, [(id, kind, date, data, seq), ...])`` in date order.

    The same events as ``events_for_cases`` without a dict per row and without holding them all at once:
    for deriving the state of thousands of cases in a few MB.
    """
    sql = f"SELECT e.case_id, e.id, e.kind, e.date, e.data, {SEQ} AS seq FROM events AS e WHERE {EFFECTIVE}"
    params: list = []
    if case_ids is not None:
        sql += f" AND e.case_id IN ({', '.join('?' for _ in case_ids)})"
        params = list(case_ids)
    loads = json.loads
    current = -1  # no case yet (ids start at 1)
    events: list[tuple] = []
    for case_id, event_id, kind, day, data, seq in db.read(sql + " ORDER BY e.case_id, e.date, seq", params):
        if case_id != current:
            if events:
                yield current, events
            current, events = case_id, []
        events.append((event_id, kind, day, {} if data == "{}" else loads(data), seq))
    if events:
        yield current, events


def cases_query(*, include_archived: bool = False) -> str:
    """The SQL of ``list_cases`` and ``case_rows``: every case with its client's name and the next open task (key,
    title, due)."""
    where = "" if include_archived else "WHERE cases.archived_at IS NULL"
    return f"""SELECT cases.id AS case_id, cases.ref, clients.id AS client_id, clients.name, clients.dob,
                       clients.nhs_number, cases.referral_source, cases.offence_type, cases.risk_level,
                       (SELECT title FROM tasks t WHERE t.case_id = cases.id AND t.status = 'open'
                          ORDER BY t.due, t.urgent DESC, t.id LIMIT 1) AS next_task,
                       (SELECT min(due) FROM tasks t WHERE t.case_id = cases.id AND t.status = 'open') AS next_due
                FROM cases JOIN clients ON clients.id = cases.client_id
                {where}
                ORDER BY cases.id"""


def list_cases(db: Database, *, include_archived: bool = False) -> list[dict]:
    """Every case with its client's name and the next open task (key, title, due), as dicts."""
    return list(db.query(cases_query(include_archived=include_archived)))


def case_rows(db: Database, *, include_archived: bool = False) -> list[Any]:
    """The cases ``list_cases`` reads, as named tuples (``db.rows``): for the Caseload, which reads every case of
    the service (5,200 on a ten-year one) and makes each into its row (``records.views.caseload``)."""
    return db.rows(cases_query(include_archived=include_archived))


def insert_questionnaire(
    db: Database, case_id: int, instrument: str, when: date, timepoint: str, items: list
) -> int:
    cur = db.execute(
        "INSERT INTO questionnaires (case_id, instrument, date, timepoint, items, recorded_at) VALUES (?,?,?,?,?,?)",
        [case_id, instrument, when.isoformat(), timepoint, json.dumps(items), now_iso()],
    )
    return inserted_id(cur)


def questionnaires_of_case(db: Database, case_id: int) -> list[dict]:
    rows = list(
        db.query("SELECT * FROM questionnaires WHERE case_id = ? AND archived_at IS NULL ORDER BY date, id", [case_id])
    )
    for r in rows:
        r["items"] = json.loads(r["items"])
    return rows


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.read("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str | None) -> None:
    forget(db, "settings")
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def all_settings(db: Database) -> dict[str, str]:
    """Every setting, by key. Within a transaction they are read once (``db.transaction.kept_read``; ``set_setting``
    drops them): each questionnaire saved reads the service's scoring settings, and a caller gets its own copy."""
    return dict(kept_read(db, "settings", None, lambda: dict(db.read("SELECT key, value FROM settings").fetchall())))


def count_clients(db: Database) -> int:
    return db.read("SELECT count(*) FROM clients").fetchone()[0]
