"""Recording what happened on a case: an event (or its correction) and the checklist tasks it starts or closes,
and the occurrences (a risk identified, an appointment cancelled) that start tasks of their own.

Each function validates everything first, then writes inside one ``BEGIN IMMEDIATE`` transaction: input
that is refused raises ``ValidationError`` (or a subclass) with a one-line message and leaves the database
exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from checklists.conditions import RISK_OPEN
from checklists.engine import (
    ANCHORS,
    Closure,
    TaskSpec,
    closures_for_event,
    outlives,
    tasks_for_event,
)
from checklists.model import Checklist
from db import records as rec
from db import tasks as taskdb
from db.database import Database
from db.transaction import keep, kept_read, transaction
from records.app_done import app_reason
from records.clients import require_case, require_not_archived
from records.task_actions import task_row
from vocabulary.dates import (
    EVENT_DATE,
    parse_date,
    uk,
)
from vocabulary.event_kinds import EVENT_KINDS, check_event
from vocabulary.identity import (
    ValidationError,
    record_id,
)
from vocabulary.stages import (
    UNDATED,
    UNDATED_NOTE,
    CaseState,
    Event,
    derive_state,
    event_from_row,
    event_order,
    undated_session,
)


def _events(rows: list[dict]) -> list[Event]:
    return [event_from_row(r) for r in rows]


def case_history(db: Database, case_id: int) -> tuple[tuple[Event, ...], CaseState]:
    """A case's effective events as ``Event``s (date order) and the state derived from them.

    Within a transaction they are made once per change (``db.transaction.kept_read``, under the events they are
    made from, so recording or correcting an event drops them too): one action asks for its case's state at each
    step that checks it (the booking, the session, its event, a risk it raises), and each ask converted every
    stored event and folded the whole history again. They are handed out as they are: an ``Event`` is frozen and
    its data is this read's own copy, and nothing assigns to a ``CaseState`` outside ``derive_state``."""
    return kept_read(db, "events", ("history", case_id), lambda: _history(db, case_id))


def _history(db: Database, case_id: int) -> tuple[tuple[Event, ...], CaseState]:
    events = tuple(_events(rec.events_of_case(db, case_id)))
    return events, derive_state(events)


def _keep_history(
    db: Database, case_id: int, history: tuple[Event, ...], event_id: int, after: CaseState
) -> None:
    """Hold the case's history with the event just recorded as a new read would make it: the stored row (which
    ``insert_event`` placed among the events held) made an ``Event`` and put in date order, and the state
    ``record_event`` derived for its checks, which is the state of those events (the same events: the state reads
    only the scalar details, which the stored text gives back as they were). Otherwise the next step to ask made
    every event again and folded the history once more."""
    row = rec.held_event(db, case_id, event_id)
    if row is not None:
        new = event_from_row(row)
        if not history or event_order(new) > event_order(history[-1]):  # most are recorded in date order
            events = (*history, new)
        else:
            events = tuple(sorted((*history, new), key=event_order))
        keep(db, "events", ("history", case_id), (events, after))


def case_state(db: Database, case_id: int) -> CaseState:
    """The case's state as its events make it (``case_history``)."""
    return case_history(db, case_id)[1]


@dataclass
class EventResult:
    event_id: int
    created: list[TaskSpec] = field(default_factory=list)
    closed: list[Closure] = field(default_factory=list)
    state: CaseState | None = None


def record_event(
    db: Database,
    ref: str,
    kind: str,
    when: date | str | None,
    data: dict | None,
    today: date,
    *,
    checklist: Checklist,
) -> EventResult:
    """Record what happened on a case (on ``when``, None for ``today``) and start the checklist items it triggers,
    all in one transaction."""
    if when is None:
        when = today
    elif isinstance(when, str):
        when = parse_date(when, today, EVENT_DATE)
    with transaction(db):
        case = require_case(db, ref)
        require_not_archived(case)
        history, before = case_history(db, case["case_id"])
        clean = check_event(kind, when, data or {}, history, today, state=before)
        # The open tasks the checklist's conditions, this kind's closures and the order's end are about, read once.
        limited = {i.key for i in checklist.limited_items}
        asked = risk_keys(checklist) | {i.key for i in checklist.items_closed_by(kind)} | limited
        held = taskdb.open_tasks_with_keys(db, case["case_id"], sorted(asked))
        facts = case_facts(db, checklist, case["case_id"], held)
        event_id = rec.insert_event(db, case["case_id"], kind, when, clean)
        event = Event(kind, when, clean, event_id)
        after = derive_state([*history, event])
        _keep_history(db, case["case_id"], history, event_id, after)
        closures = closures_for_event(checklist, event, before, after, facts)
        closed = set()
        for c in closures:
            for t in held:
                if t["key"] == c.key:
                    taskdb.set_task_state(
                        db, t["id"], status=c.status, due=t["due"], reason=c.reason, closed_at=rec.now_iso()
                    )
                    closed.add(t["id"])
        specs = tasks_for_event(checklist, event, before, after, facts)
        store_tasks(db, specs, case["case_id"], event)
        # What is open now of the items the order's end limits: what was, less what the event closed, unless it
        # started a task of one of them (then read again).
        opened = any(s.key in limited and not s.born_done for s in specs)
        skip_outlived(db, checklist, case["case_id"], after,
                      None if opened else [t for t in held if t["key"] in limited and t["id"] not in closed])
        if marks_risk(event):
            what = "marked at the assessment" if kind == "assessment" else "marked in the session record"
            made = raise_occurrence(db, case["case_id"], "risk", today, {"about": what},
                                    period=f"event-{event_id}", checklist=checklist)
            specs += [spec for _, spec in made]
    return EventResult(event_id, specs, closures, after)


def marks_risk(event: Event) -> bool:
    """A risk marked in the record of an attended session or of the assessment (its ``concerns`` box): a risk
    identified, as an endorsed questionnaire item is. At an absence the box means concerns about the person, for
    the care coordinator (the checklist's ``concerns`` condition), not a risk seen."""
    if not event.data.get("concerns"):
        return False
    return event.kind == "assessment" or (event.kind == "session" and event.data.get("outcome") == "attended")


def risk_keys(checklist: Checklist) -> frozenset[str]:
    """The items a risk identified starts (the crisis plan, telling the RO and care team)."""
    return frozenset(i.key for i in checklist.items_started_by("risk"))


def case_facts(db: Database, checklist: Checklist, case_id: int, held: list[dict] | None = None) -> frozenset[str]:
    """What the checklist's conditions need to know about a case beyond its events (``checklists.conditions``):
    whether a risk task of it is still open. ``held``: the case's open tasks of (at least) the risk items, when the
    caller has read them already."""
    keys = risk_keys(checklist)
    if held is not None:
        risk_open = any(t["key"] in keys for t in held)
    else:
        risk_open = taskdb.has_open_task(db, case_id, sorted(keys))
    return frozenset({RISK_OPEN}) if risk_open else frozenset()


def raise_occurrence(
    db: Database,
    case_id: int,
    kind: str,
    day: date,
    data: dict | None = None,
    *,
    period: str,
    checklist: Checklist,
) -> list[tuple[int, TaskSpec]]:
    """Start the checklist items of an occurrence (``checklists.model.OCCURRENCES``: a risk identified, an
    appointment cancelled) on ``day`` for the case, in the caller's transaction; returns the tasks made (id, spec).

    ``period`` names what raised it (``questionnaire-12``, ``event-40``, ``appointment-7``) so that the same
    occurrence never makes its tasks twice; ``data`` is what the checklist's conditions read (``by``) and
    ``about``, added to the titles (``PHQ-9 item 9``). An item the case already has open is not raised again.
    """
    with transaction(db):
        state = case_state(db, case_id)
        occurrence = Event(kind, day, data or {})
        specs = [
            replace(s, period=period)
            for s in tasks_for_event(checklist, occurrence, state, state, case_facts(db, checklist, case_id))
        ]
        # One open task of an item at a time: a second endorsed form the same day (PHQ-9 item 9 and CORE-OM item 9)
        # or a second cancellation while the first is still to rearrange asks for the same work, already listed.
        already = {t["key"] for t in taskdb.open_tasks_with_keys(db, case_id, sorted({s.key for s in specs}))}
        made = [
            (task_id, s)
            for s in specs
            if s.key not in already and (task_id := taskdb.insert_task(db, task_row(s, case_id, None)))
        ]
    return made


def skip_outlived(
    db: Database, checklist: Checklist, case_id: int, state: CaseState, held: list[dict] | None = None
) -> None:
    """Skip the open tasks needed only while the order runs (``until`` in the checklist) that fall due after
    it ends: a consent renewal a year after consent, for a six-month order. Only the tasks of items with an
    ``until`` the case has a date for are read (before sentence there is no order end: nothing is read).
    ``held``: the case's open tasks of (at least) those items, in the order they were made, when the caller knows
    them already."""
    keys = [i.key for i in checklist.limited_items if i.until is not None and ANCHORS[i.until](state) is not None]
    wanted = set(keys)
    tasks = taskdb.open_tasks_with_keys(db, case_id, keys) if held is None else [t for t in held if t["key"] in wanted]
    for t in tasks:
        item = checklist.item(t["key"])
        last = outlives(item, date.fromisoformat(t["due"]), state) if item is not None else None
        if last is not None:
            taskdb.set_task_state(db, t["id"], status="skipped", due=t["due"],
                                  reason=f"not needed: due after the order ends on {uk(last)}", closed_at=rec.now_iso())


def store_tasks(db: Database, specs: list[TaskSpec], case_id: int | None, event: Event) -> None:
    """Store the tasks ``event`` starts; an item whose work is recording the event (``done_by = record-event``:
    data capture, since the app holds the caseload data) is stored done by mhtr-tui."""
    what = f"{EVENT_KINDS.get(event.kind, event.kind).lower()} recorded"
    rows = []
    for s in specs:
        row = task_row(s, case_id, event.id)
        if s.born_done:  # stored done in the one write (an open row closed at once was two rows of audit trail)
            row.update(status="done", reason=app_reason(what), closed_at=rec.now_iso())
        rows.append(row)
    taskdb.insert_tasks(db, rows)


def correct_event(
    db: Database,
    ref: str,
    event_id: int | str,
    when: date | str | None,
    data: dict | None,
    today: date,
    *,
    checklist: Checklist,
) -> EventResult:
    """Correct a recorded event: a new entry that replaces it and keeps the old one (never an overwrite).

    The whole history is replayed with the correction in place, so a correction that would put the case
    out of order (an assessment moved after its CL decision) is refused. Open tasks the old event started
    are moved to the corrected date, or skipped if the correction means they no longer apply; done and
    skipped tasks are left as they were.
    """
    with transaction(db):
        case = require_case(db, ref)
        require_not_archived(case)
        rows = rec.events_of_case(db, case["case_id"])
        try:
            old = next(r for r in rows if r["id"] == record_id(event_id, "event"))
        except (StopIteration, ValidationError):
            raise ValidationError(f"{case['ref']} has no event {event_id!r} to correct") from None
        if when is None:
            new_date = date.fromisoformat(old["date"])
        else:
            new_date = when if isinstance(when, date) else parse_date(when, today, EVENT_DATE)
        new_data = {**old["data"], **{k: v for k, v in (data or {}).items() if v is not None}}
        if when is not None and undated_session(new_data):
            # A stand-in date (an imported session) corrected to the day it happened is dated from now on.
            new_data.pop(UNDATED, None)
            if new_data.get("notes") == UNDATED_NOTE:
                new_data.pop("notes")
        history = [e for e in _events(rows) if e.id != old["id"]]
        place = event_order(Event(old["kind"], new_date, new_data, old["id"], old["seq"]))  # the corrected one's
        replay = sorted([*history, Event(old["kind"], new_date, new_data, old["id"], old["seq"])], key=event_order)
        prior: list[Event] = []
        clean: dict = {}
        for e in replay:
            try:
                checked = check_event(e.kind, e.date, e.data, prior, today)
            except ValidationError as exc:
                if e.id == old["id"]:
                    raise
                raise ValidationError(f"that correction would leave the case out of order: {exc}") from None
            if e.id == old["id"]:
                clean = checked
                e = Event(e.kind, e.date, checked, e.id, e.seq)
            prior.append(e)
        earlier = [e for e in history if event_order(e) < place]
        before = derive_state(earlier)
        new_id = rec.insert_event(db, case["case_id"], old["kind"], new_date, clean, corrects=old["id"])
        event = Event(old["kind"], new_date, clean, new_id, old["seq"])
        after = derive_state([*earlier, event])
        specs = {s.key: s for s in tasks_for_event(checklist, event, before, after)}
        for t in taskdb.tasks_of_event(db, old["id"]):
            spec = specs.pop(t["key"], None)
            if t["status"] != "open":
                continue
            if spec is None:
                taskdb.set_task_state(
                    db,
                    t["id"],
                    status="skipped",
                    due=t["due"],
                    reason=f"not needed after the correction of event {old['id']}",
                    closed_at=rec.now_iso(),
                )
            else:
                taskdb.move_task_to_event(db, t["id"], new_id, spec.due.isoformat())
        created = list(specs.values())
        store_tasks(db, created, case["case_id"], event)
        skip_outlived(db, checklist, case["case_id"], derive_state(prior))
    return EventResult(new_id, created, [], derive_state(prior))
