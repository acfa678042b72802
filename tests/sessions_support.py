"""Shared set-up for the tests/test_sessions_*.py files: a synthetic client sentenced with an MHTR."""

from __future__ import annotations

from datetime import date, datetime

from records import casework, clients
from service.core import checklist_of


def sentenced_case(
    db,
    sentence: str = "2026-10-01",
    *,
    sessions: int = 12,
    name: str = "Robin Synthetic",
    ro: str | None = "Sam Officer",
    ro_contact: str | None = "sam.officer@probation.example",
) -> str:
    """A client assessed, approved and sentenced (Community Order with an MHTR) on ``sentence``; returns REF."""
    s = date.fromisoformat(sentence)
    today = s
    fields = {"name": name, "dob": "1987-03-14", "ro_name": ro, "ro_contact": ro_contact}
    ref = clients.add_client(db, fields, today)
    casework.record_event(db, ref, "screening", s, {}, today, checklist=checklist_of(db))
    casework.record_event(db, ref, "assessment", s, {}, today, checklist=checklist_of(db))
    casework.record_event(db, ref, "cl-decision", s, {"decision": "approved"}, today, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "court-outcome", s, {"outcome": "accepted", "sessions": sessions}, today, checklist=checklist_of(db)
    )
    return ref


def at(text: str) -> datetime:
    """``"2026-10-13 10:00"`` -> a datetime."""
    return datetime.fromisoformat(text)


def open_tasks(db, ref: str) -> dict[str, list[str]]:
    """key -> due dates of the case's open tasks."""
    from db import tasks as taskdb

    case = clients.require_case(db, ref)
    out: dict[str, list[str]] = {}
    for t in taskdb.tasks_due(db, until=None, case_id=case["case_id"]):
        out.setdefault(t["key"], []).append(t["due"])
    return out


def all_tasks(db, ref: str) -> list[dict]:
    from db import tasks as taskdb

    case = clients.require_case(db, ref)
    return taskdb.tasks_due(db, until=None, case_id=case["case_id"], include_closed=True)
