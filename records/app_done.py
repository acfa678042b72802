"""Tasks the app completes itself, closed as done "by mhtr-tui" when it does the work.

A checklist item may name, in ``done_by``, the app actions that complete it (``checklists.model.APP_ACTIONS``):
recording its event (data capture), saving a questionnaire of a timepoint (scoring), copying a session's
health-system entry, sharing a week with probation, writing a final document. When one happens, the front end's
action calls ``complete_by_app`` and the case's matching open tasks close as done, with the reason "by
mhtr-tui: <what>" and the time in ``closed_at``, so Today holds only what needs a person. Items whose work
is outside the app (liaise, discuss with the Clinical Lead) name no action and stay for the person; a service's
checklist keeps control, since only the item says which action closes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from checklists.model import Checklist
from db import records as rec
from db import tasks as taskdb
from db.database import Database
from db.transaction import transaction

BY_APP = "by mhtr-tui"


def app_reason(what: str) -> str:
    """The reason stored on a task the app completed: ``by mhtr-tui: GP letter written``."""
    return f"{BY_APP}: {what}"


def done_by_app(reason: str | None) -> bool:
    """Whether a closed task's reason says the app completed it (rather than the person or an event)."""
    return bool(reason) and str(reason).startswith(BY_APP)


def keys_done_by(checklist: Checklist, action: str) -> frozenset[str]:
    """The keys of the items that ``action`` completes."""
    return frozenset(i.key for i in checklist.items_done_by(action))


def close_as_done_by_app(db: Database, task: dict, what: str) -> None:
    """Close one open task as done by the app, now."""
    taskdb.set_task_state(db, task["id"], status="done", due=task["due"], reason=app_reason(what),
                          closed_at=rec.now_iso())


def complete_by_app(
    db: Database,
    checklist: Checklist,
    case_id: int,
    action: str,
    what: str,
    event_ids: Iterable[int] | None = None,
) -> list[str]:
    """Close as done "by mhtr-tui: ``what``" the case's open tasks whose item names ``action`` in ``done_by``.

    ``event_ids`` limits it to tasks started by those events (the session whose health-system entry was copied,
    the sessions of a shared week); pass the ids as stored now (a corrected event's tasks point at the
    correction). Joins the caller's transaction, so the action and its ticks are one change. Returns the titles
    of the tasks closed.
    """
    keys = keys_done_by(checklist, action)
    if not keys:
        return []
    only = None if event_ids is None else set(event_ids)
    closed = []
    with transaction(db):
        for t in taskdb.open_tasks_with_keys(db, case_id, sorted(keys)):
            if only is None or t["event_id"] in only:
                close_as_done_by_app(db, t, what)
                closed.append(t["title"])
    return closed
