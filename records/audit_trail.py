"""A client's audit trail in words: what changed, from what to what, who did it and when.

The database triggers record every insert and update as JSON snapshots of the row; this turns them into rows a
practitioner (or the client, in a subject access request) can read: "task 14 (MHTR-0003): status open -> done,
by ap.smith, 20/11/2026 09:15". Times are stored in UTC and shown in UK time.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from db.audit import audit_rows_for_client
from db.database import Database
from db.subject import case_rows
from records.clients import require_case

UK = ZoneInfo("Europe/London")
TABLE_LABELS = {
    "clients": "client details",
    "cases": "case",
    "events": "event",
    "tasks": "task",
    "questionnaires": "questionnaire",
    "assessments": "assessment",
    "appointments": "appointment",
    "documents": "document",
    "settings": "setting",
}
ACTION_LABELS = {"insert": "added", "update": "changed", "delete": "deleted"}


def uk_time(stamp: str | None) -> str:
    """``2026-11-20T09:15:02.123Z`` -> ``20/11/2026 09:15`` in UK time (the stamp itself if unreadable)."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return when.astimezone(UK).strftime("%d/%m/%Y %H:%M")


def changes(old: dict | None, new: dict | None) -> list[dict]:
    """Field by field: every filled field of an added row, only the differing fields of a changed one."""
    old, new = old or {}, new or {}
    out = []
    for field in list(dict.fromkeys([*new, *old])):
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        out.append({"field": field, "old": before, "new": after})
    return out


def _text(value: object) -> str:
    return "(empty)" if value is None or value == "" else str(value)


def readable(row: dict, refs: dict[int, str]) -> dict:
    """One audit row as the app and the subject access document show it."""
    snapshot = row["new"] or row["old"] or {}
    case_id = row["row_id"] if row["tbl"] == "cases" else snapshot.get("case_id")
    ref = refs.get(case_id) if case_id is not None else None
    label = TABLE_LABELS.get(row["tbl"], row["tbl"])
    record = f"{label} {row['row_id']}" + (f" ({ref})" if ref else "")
    diff = changes(row["old"], row["new"])
    verb = ACTION_LABELS.get(row["action"], row["action"])
    if row["action"] == "update":
        summary = "; ".join(f"{c['field']}: {_text(c['old'])} -> {_text(c['new'])}" for c in diff) or "no change"
    else:
        # Row ids and links are already in ``record``; the summary says what the row holds.
        shown = [c for c in diff if c["field"] != "id" and not c["field"].endswith("_id")]
        summary = f"{verb} " + "; ".join(
            f"{c['field']}: {_text(c['new'] if c['new'] is not None else c['old'])}" for c in shown
        )
    return {
        "id": row["id"],
        "at": row["at"],
        "when": uk_time(row["at"]),
        "who": row["who"],
        "table": row["tbl"],
        "row_id": row["row_id"],
        "ref": ref,
        "record": record,
        "action": row["action"],
        "action_label": verb,
        "changes": diff,
        "summary": summary,
    }


def audit_for_client(db: Database, client_id: int) -> list[dict]:
    refs = {c["id"]: c["ref"] for c in case_rows(db, client_id)}
    return [readable(r, refs) for r in audit_rows_for_client(db, client_id)]


def audit_for_case(db: Database, ref: str) -> list[dict]:
    """Every audit row about the client of case ``ref`` (all their cases), oldest first, in readable form."""
    case = require_case(db, ref)
    return audit_for_client(db, case["id"])
