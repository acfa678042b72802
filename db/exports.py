"""Reading what the monthly return and the caseload data need, and nothing else.

The client columns are chosen one by one: name, address, postcode, phone, NHS number and GP details are never
selected, so they are not even in memory while an export is made. Archived cases are included, with when they
were archived (never why: the reason is free text): a return for a past month counts what happened then, but
an archived case is not active caseload from its archive date on, nor on the list of what is incomplete.
"""

from __future__ import annotations

import json

import sqlite_utils

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


def export_cases(db: sqlite_utils.Database) -> list[dict]:
    """Every case with the client fields the return counts by (``case_id`` is the case's row id)."""
    cols = ", ".join([f"cases.{c}" for c in EXPORT_CASE_COLUMNS] + [f"clients.{c}" for c in EXPORT_CLIENT_COLUMNS])
    return list(
        db.query(
            f"SELECT cases.id AS case_id, {cols} FROM cases JOIN clients ON clients.id = cases.client_id "
            "ORDER BY cases.id"
        )
    )


def export_questionnaires(db: sqlite_utils.Database) -> dict[int, list[dict]]:
    """Stored (not archived) administrations grouped by case, in date order: raw items, never notes."""
    out: dict[int, list[dict]] = {}
    for r in db.query(
        "SELECT id, case_id, instrument, date, timepoint, items FROM questionnaires WHERE archived_at IS NULL "
        "ORDER BY case_id, date, id"
    ):
        r["items"] = json.loads(r["items"])
        out.setdefault(r["case_id"], []).append(r)
    return out
