"""Reading and writing the assessment record (seed 004 Appendix 1) that the court report and letters draw on.

One live record per case; its fields are a JSON object of free text keyed by field name. Changes are
updates of that one row, so the audit trail keeps every earlier version.
"""

from __future__ import annotations

import json

from db.database import Database, inserted_id
from db.records import now_iso


def assessment_of_case(db: Database, case_id: int) -> dict | None:
    """The case's live assessment record with ``fields`` decoded, or None if none has been started."""
    rows = list(
        db.query(
            "SELECT * FROM assessments WHERE case_id = ? AND archived_at IS NULL ORDER BY id DESC LIMIT 1", [case_id]
        )
    )
    if not rows:
        return None
    row = rows[0]
    row["fields"] = json.loads(row["fields"] or "{}")
    return row


def insert_assessment(db: Database, case_id: int, day: str, fields: dict) -> int:
    cur = db.execute(
        "INSERT INTO assessments (case_id, date, fields, updated_at) VALUES (?, ?, ?, ?)",
        [case_id, day, json.dumps(fields, sort_keys=True, ensure_ascii=False), now_iso()],
    )
    return inserted_id(cur)


def update_assessment(db: Database, assessment_id: int, day: str, fields: dict) -> None:
    db.execute(
        "UPDATE assessments SET date = ?, fields = ?, updated_at = ? WHERE id = ?",
        [day, json.dumps(fields, sort_keys=True, ensure_ascii=False), now_iso(), assessment_id],
    )
