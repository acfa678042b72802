"""Reading the audit trail. The triggers in ``db.schema`` write it; nothing in the app ever changes it.

A client's trail is every audit row about their own records: the client row, their cases, and the events,
tasks, questionnaires, assessments, appointments and documents of those cases. Rows are found through the
current tables (nothing clinical is ever deleted, so every row id that was audited still exists there).
"""

from __future__ import annotations

import json

from db.database import Database
from db.schema import AUDITED, column_names


def _case_tables(db: Database) -> list[str]:
    return [t for t in AUDITED if t not in ("clients", "cases") and "case_id" in column_names(db, t)]


def audit_rows_for_client(db: Database, client_id: int) -> list[dict]:
    """The client's audit rows, oldest first, with ``old`` and ``new`` decoded from JSON."""
    parts = ["(tbl = 'clients' AND row_id = :client)", "(tbl = 'cases' AND row_id IN (SELECT id FROM mine))"]
    parts += [
        f"(tbl = '{t}' AND row_id IN (SELECT id FROM \"{t}\" WHERE case_id IN (SELECT id FROM mine)))"
        for t in _case_tables(db)
    ]
    sql = (
        "WITH mine AS (SELECT id FROM cases WHERE client_id = :client) "
        f"SELECT * FROM audit WHERE {' OR '.join(parts)} ORDER BY id"
    )
    rows = list(db.query(sql, {"client": client_id}))
    for r in rows:
        r["old"] = json.loads(r["old"]) if r["old"] else None
        r["new"] = json.loads(r["new"]) if r["new"] else None
    return rows


def raw_audit_rows(db: Database, table: str, row_id: int) -> list[dict]:
    """Every audit row about one row of one table, oldest first (for tests and the per-record history)."""
    return list(db.query("SELECT * FROM audit WHERE tbl = ? AND row_id = ? ORDER BY id", [table, row_id]))
