"""Writing a plan: every new client, case, event and task in one transaction, or nothing at all.

Each row goes through the same functions as the app (``records.clients.add_client`` and ``record_event``),
which join the import's transaction, so an imported case gets exactly the checklist a hand-recorded one would.
Then the case's tasks that fell due before the import date, and those started by sessions whose dates the
sheet did not give, are closed as skipped with the reason "before import": the practitioner did that work
before the app existed, and Today should not open on hundreds of overdue items. Tasks due on or after the
import date stay open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db import records as rec
from db import tasks as taskdb
from db.database import Database
from db.transaction import transaction
from importer import mapping as maps
from importer.plan import BEFORE_IMPORT, Duplicate, Plan, existing_duplicate
from records.casework import record_event
from records.clients import add_client, require_case
from vocabulary.identity import ValidationError


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)  # case references, in sheet order
    left_out: list[int] = field(default_factory=list)  # row numbers not imported because they cannot be read
    duplicates: list[Duplicate] = field(default_factory=list)
    open_tasks: int = 0
    closed_before_import: int = 0


def apply_plan(db: Database, plan: Plan, *, leave_out_bad: bool = False) -> ImportResult:
    """Import the plan's ready rows; refuses (changing nothing) while rows cannot be read unless ``leave_out_bad``.

    The duplicate check runs again inside the transaction, so a second copy of the app importing the same
    file at the same moment still cannot create anyone twice.
    """
    if plan.blocked and not leave_out_bad:
        n = len(plan.problems)
        raise ValidationError(
            f"{n} row{'s' if n != 1 else ''} cannot be read (first: row {plan.problems[0].row}, "
            f"{plan.problems[0].reason}); nothing imported. Correct the sheet, or accept leaving "
            f"{'them' if n != 1 else 'it'} out"
        )
    result = ImportResult(left_out=[p.row for p in plan.problems], duplicates=list(plan.duplicates))
    today = plan.today
    with transaction(db):
        # Saved when it changed (even to nothing, so that undoing last time's correction is remembered too).
        key, layer = maps.sheet_key(plan.sheet.headings), maps.encode(plan.saved_layer, plan.sheet.headings)
        stored = rec.get_setting(db, key)
        if stored != layer and (plan.saved_layer or stored is not None):
            rec.set_setting(db, key, layer)
        for row in plan.ready:
            dup = existing_duplicate(db, row)
            if dup:
                result.duplicates.append(dup)
                continue
            ref = add_client(db, row.fields, today)
            undated_events: set[int] = set()
            for i, event in enumerate(row.events):
                recorded = record_event(db, ref, event.kind, event.date, event.data, today, checklist=plan.checklist)
                if i in row.undated:
                    undated_events.add(recorded.event_id)
            case_id = require_case(db, ref)["case_id"]
            for task in taskdb.open_tasks_of_case(db, case_id):
                if task["due"] < today.isoformat() or task["event_id"] in undated_events:
                    taskdb.set_task_state(
                        db, task["id"], status="skipped", due=task["due"], reason=BEFORE_IMPORT,
                        closed_at=rec.now_iso(),
                    )
                    result.closed_before_import += 1
                else:
                    result.open_tasks += 1
            result.created.append(ref)
    return result

