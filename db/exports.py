"""Reading what the monthly return and the caseload data need, and nothing else.

The client columns are chosen one by one: name, address, postcode, phone, NHS number and GP details are never
selected, so they are not even in memory while an export is made. Archived cases are included, with when they
were archived (never why: the reason is free text): a return for a past month counts what happened then, but
an archived case is not active caseload from its archive date on, nor on the list of what is incomplete.

A return reads only the cases that can count in it (``relevant_cases``), each table in one query read as plain
rows: a ten-year service's return reads a few thousand cases' rows, not a hundred thousand.
"""

from __future__ import annotations

import json

from db.database import Database
from db.records import EFFECTIVE, SEQ

EXPORT_CLIENT_COLUMNS = (
    "dob",
    "gender",
    "ethnicity",
    "looked_after",
    "ehc_plan",
    "pregnancy",
    "caring",
    "disability",
    "armed_forces",
    "accommodation",
    "gp_registered",
    "gp_registered_date",
    "gp_registered_via_mhtr",
)
EXPORT_CASE_COLUMNS = (
    "ref",
    "requirement",
    "referral_source",
    "offence_type",
    "risk_level",
    "opened_at",
    "archived_at",
)


# The cases a return whose rolling year starts on ``start`` can count: those with an event or a questionnaire on or
# after ``start``; those completed on or after ``since`` (a year earlier: a completion still has its follow-ups due
# in the year); those still under an order made earlier (an accepted court outcome and neither a completion nor a
# withdrawal: active however long ago their last event); and those registered with a GP on or after ``start`` or
# through the MHTR on a day not recorded (which the list of what is incomplete asks for). A superset: the return
# works out for itself what each counts in (``exports.measures``).
_RELEVANT = f"""
SELECT e.case_id FROM events AS e WHERE e.date >= :start AND {EFFECTIVE}
UNION SELECT e.case_id FROM events AS e WHERE e.kind = 'completion' AND e.date >= :since AND {EFFECTIVE}
UNION SELECT e.case_id FROM events AS e
    WHERE e.kind = 'court-outcome' AND json_extract(e.data, '$.outcome') = 'accepted' AND {EFFECTIVE}
    AND NOT EXISTS (
        SELECT 1 FROM events AS f WHERE f.case_id = e.case_id AND f.kind IN ('completion', 'withdrawal')
        AND f.id NOT IN (SELECT corrects FROM events WHERE corrects IS NOT NULL)
    )
UNION SELECT q.case_id FROM questionnaires AS q WHERE q.date >= :start AND q.archived_at IS NULL
UNION SELECT cases.id FROM cases JOIN clients ON clients.id = cases.client_id
    WHERE clients.gp_registered_date >= :start
    OR (clients.gp_registered_via_mhtr AND (clients.gp_registered_date IS NULL OR clients.gp_registered_date = ''))
"""


def relevant_cases(db: Database, start: str, since: str) -> list[int]:
    """The ids of the cases a return can count: its rolling year starts on ``start``, and completions from
    ``since`` on have follow-ups due in it (ISO dates)."""
    return [row[0] for row in db.execute(_RELEVANT, {"start": start, "since": since})]


def _cases_where(cases: list[int] | None, column: str) -> tuple[str, tuple]:
    """The condition limiting ``column`` (a case id) to ``cases`` (None: every case)."""
    if cases is None:
        return "1", ()
    return f"{column} IN (SELECT value FROM json_each(?))", (json.dumps(cases),)


def first_record_day(db: Database) -> str | None:
    """The day of the service's first record (ISO): its earliest event, or the day its first case was opened if
    that is earlier; None for a database with no case yet."""
    row = db.execute(
        "SELECT min(day) FROM (SELECT min(date) AS day FROM events UNION ALL "
        "SELECT min(substr(opened_at, 1, 10)) FROM cases)"
    ).fetchone()
    return row[0] if row else None


def case_count(db: Database) -> int:
    """How many cases the database holds."""
    return db.execute("SELECT count(*) FROM cases").fetchone()[0]


def export_cases(db: Database, cases: list[int] | None = None) -> list[dict]:
    """Every case with the client fields the return counts by (``case_id`` is the case's row id); with ``cases``
    (``relevant_cases``), those only."""
    cols = [*(f"cases.{c}" for c in EXPORT_CASE_COLUMNS), *(f"clients.{c}" for c in EXPORT_CLIENT_COLUMNS)]
    where, params = _cases_where(cases, "cases.id")
    cur = db.execute(
        f"SELECT cases.id AS case_id, {', '.join(cols)} FROM cases JOIN clients ON clients.id = cases.client_id "
        f"WHERE {where} ORDER BY cases.id",
        params,
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def export_events(db: Database, cases: list[int] | None = None) -> dict[int, list[dict]]:
    """The effective events (``kind``, ``date``, decoded ``data``, ``id``, ``seq``) grouped by case in order, as
    ``db.records.events_for_cases`` gives them; with ``cases``, of those only."""
    where, params = _cases_where(cases, "e.case_id")
    out: dict[int, list[dict]] = {}
    loads = json.loads
    rows = db.execute(
        f"SELECT e.case_id, e.kind, e.date, e.data, e.id, {SEQ} AS seq FROM events AS e "
        f"WHERE {EFFECTIVE} AND {where} ORDER BY e.case_id, e.date, seq",
        params,
    )
    for case_id, kind, day, data, event_id, seq in rows:
        event = {"kind": kind, "date": day, "data": loads(data) if data != "{}" else {}, "id": event_id, "seq": seq}
        out.setdefault(case_id, []).append(event)
    return out


def export_questionnaires(db: Database, cases: list[int] | None = None) -> dict[int, list[dict]]:
    """Stored (not archived) administrations grouped by case, in date order: raw items, never notes; with
    ``cases``, of those only."""
    where, params = _cases_where(cases, "case_id")
    out: dict[int, list[dict]] = {}
    loads = json.loads
    rows = db.execute(
        "SELECT id, case_id, instrument, date, timepoint, items FROM questionnaires "
        f"WHERE archived_at IS NULL AND {where} ORDER BY case_id, date, id",
        params,
    )
    for q_id, case_id, instrument, day, timepoint, items in rows:
        row = {"id": q_id, "instrument": instrument, "date": day, "timepoint": timepoint, "items": loads(items)}
        out.setdefault(case_id, []).append(row)
    return out
