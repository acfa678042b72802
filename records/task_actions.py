"""The actions on tasks: storing one, the practitioner's weekly and monthly tasks, and ticking, skipping,
moving and undoing, each a ``TaskChange`` that can be undone.

Input that is refused raises ``ValidationError`` with a one-line message and leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from checklists.engine import (
    TaskSpec,
    recurring_periods,
    recurring_tasks,
)
from checklists.model import Checklist
from db import records as rec
from db import tasks as taskdb
from db.database import Database
from db.transaction import transaction
from vocabulary.dates import (
    DUE_DATE,
    check_date,
    parse_date,
)
from vocabulary.identity import (
    ValidationError,
    record_id,
)
from vocabulary.text import one_line


def task_row(spec: TaskSpec, case_id: int | None, event_id: int | None) -> dict:
    return {
        "case_id": case_id,
        "event_id": event_id,
        "stage": spec.stage,
        "key": spec.key,
        "title": spec.title,
        "due": spec.due.isoformat(),
        "action": spec.action,
        "urgent": int(spec.urgent),
        "period": spec.period,
        "origin": spec.origin,
    }


def add_task(db: Database, case_id: int | None, spec: TaskSpec) -> int | None:
    """Store one task made outside the checklist (e.g. the urgent risk task after a questionnaire)."""
    with transaction(db):
        return taskdb.insert_task(db, task_row(spec, case_id, None))


RECURRING_SINCE = "recurring_since"


def ensure_recurring(
    db: Database,
    today: date,
    horizon_days: int = 7,
    *,
    checklist: Checklist,
) -> int:
    """Create the practitioner's weekly and monthly tasks up to ``horizon_days`` ahead; returns how many.

    Periods start from the day the database was first used, so a new service is not greeted by a year of
    overdue monthly returns; a period already created is never created again. A database open read-only (its
    audit trail failed the start-up check) gets none: nothing can be saved, and what is held is still shown.
    """
    from db.transaction import read_only_reason

    if read_only_reason(db) is not None:
        return 0
    end = today + timedelta(days=horizon_days)
    since_text = rec.get_setting(db, RECURRING_SINCE)
    have: set[tuple[str, str]] = set()
    if since_text is not None:
        # Most starts have nothing new to make: tell so without the bank holiday calendar (about 0.1 s to load)
        # and without taking the write lock.
        wanted = recurring_periods(checklist, _recurring_start(since_text, today), end)
        have = taskdb.practitioner_periods(db, wanted)
        if have >= set(wanted):
            return 0
    with transaction(db):
        if since_text is None:
            since_text = today.isoformat()
            rec.set_setting(db, RECURRING_SINCE, since_text)
        made = 0
        for spec in recurring_tasks(checklist, _recurring_start(since_text, today), end, have):
            if taskdb.insert_task(db, task_row(spec, None, None)):
                made += 1
    return made


def _recurring_start(since_text: str, today: date) -> date:
    return max(date.fromisoformat(since_text), today - timedelta(days=120))


@dataclass(frozen=True)
class TaskChange:
    """One change to one task, kept so that it can be undone."""

    task_id: int
    title: str
    before: dict
    after: dict
    verb: str


def _state(t: dict) -> dict:
    return {"status": t["status"], "due": t["due"], "reason": t["reason"], "closed_at": t["closed_at"]}


def require_task(db: Database, task_id: int | str) -> dict:
    tid = record_id(task_id, "task")
    task = taskdb.get_task(db, tid)
    if task is None:
        raise ValidationError(f"no task {tid}")
    return task


def _change(db: Database, task_id: int | str, verb: str, new: dict) -> TaskChange:
    with transaction(db):
        task = require_task(db, task_id)
        before = _state(task)
        after = {**before, **new}
        taskdb.set_task_state(db, task["id"], **after)
    return TaskChange(task["id"], task["title"], before, after, verb)


def tick(db: Database, task_id: int | str) -> TaskChange:
    """Mark a task done (ticking a done task opens it again, so space toggles)."""
    task = require_task(db, task_id)
    if task["status"] == "done":
        return _change(db, task_id, "reopened", {"status": "open", "reason": None, "closed_at": None})
    return _change(db, task_id, "done", {"status": "done", "reason": None, "closed_at": rec.now_iso()})


def skip(db: Database, task_id: int | str, reason: str) -> TaskChange:
    reason = one_line(reason, "reason")
    if not reason:
        raise ValidationError("skipping a task needs a reason")
    require_task(db, task_id)
    return _change(db, task_id, "skipped", {"status": "skipped", "reason": reason, "closed_at": rec.now_iso()})


def reschedule(db: Database, task_id: int | str, when: str | date, today: date) -> TaskChange:
    new = check_date(when, today, DUE_DATE) if isinstance(when, date) else parse_date(when, today, DUE_DATE)
    task = require_task(db, task_id)
    if task["status"] != "open":
        raise ValidationError(f"task {task['id']} is {task['status']}; open it again before moving it")
    return _change(db, task_id, f"moved to {new:%d/%m/%Y}", {"due": new.isoformat()})


def undo(db: Database, change: TaskChange) -> TaskChange:
    """Put a task back as it was before ``change``, if nothing else has changed it since."""
    task = require_task(db, change.task_id)
    if _state(task) != change.after:
        raise ValidationError(f"task {change.task_id} has changed since; nothing undone")
    return _change(db, change.task_id, "undone", change.before)


def parse_when(text: str | None, today: date) -> date:
    return today if not text else parse_date(text, today)
