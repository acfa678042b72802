"""The reads a subject access request needs: one client's every row, archived ones included.

Kept apart from the everyday queries (which hide archived and corrected rows) because a subject access request
must show everything held, and must never pick up a row that belongs to someone else.
"""

from __future__ import annotations

import contextlib
import json

from db.database import Database

CASE_TABLES = ("events", "tasks", "questionnaires", "assessments", "appointments", "documents")
_JSON_COLUMNS = {"events": ("data",), "questionnaires": ("items",), "assessments": ("fields",)}


def client_row(db: Database, client_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM clients WHERE id = ?", [client_id]))
    return rows[0] if rows else None


def case_rows(db: Database, client_id: int) -> list[dict]:
    """All the client's cases, archived ones included, oldest first."""
    return list(db.query("SELECT * FROM cases WHERE client_id = ? ORDER BY id", [client_id]))


def rows_of_case(db: Database, table: str, case_id: int) -> list[dict]:
    """Every row of ``table`` for one case (archived and corrected ones included), JSON columns decoded."""
    if table not in CASE_TABLES:
        raise ValueError(f"not a case table: {table}")
    rows = list(db.query(f'SELECT * FROM "{table}" WHERE case_id = ? ORDER BY id', [case_id]))
    for r in rows:
        for col in _JSON_COLUMNS.get(table, ()):
            if r.get(col):
                with contextlib.suppress(ValueError):
                    r[col] = json.loads(r[col])
    return rows


def other_clients(db: Database, client_id: int) -> list[dict]:
    """Name and NHS number of every other client: only to flag mentions of them for redaction, never shown."""
    return list(db.query("SELECT id, name, nhs_number FROM clients WHERE id != ?", [client_id]))
