"""The user's actions, done one way for the command line and the app alike.

Each function validates everything first, then writes inside one ``BEGIN IMMEDIATE`` transaction: input
that is refused raises ``ValidationError`` (or a subclass) with a one-line message and leaves the database
exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from checklists.conditions import RISK_OPEN
from checklists.engine import (
    ANCHORS,
    Closure,
    TaskSpec,
    closures_for_event,
    outlives,
    recurring_periods,
    recurring_tasks,
    tasks_for_event,
)
from checklists.model import Checklist
from db import records as rec
from db import tasks as taskdb
from db.database import Database
from db.transaction import transaction
from records.app_done import app_reason
from vocabulary.dates import (
    BIRTH_DATE,
    DUE_DATE,
    EVENT_DATE,
    GP_REGISTRATION_DATE,
    check_date,
    check_dob,
    parse_date,
    uk,
)
from vocabulary.event_kinds import EVENT_KINDS, check_event
from vocabulary.identity import (
    ACCOMMODATION,
    ETHNICITIES,
    GENDERS,
    OFFENCE_TYPES,
    REFERRAL_SOURCES,
    RISK_LEVELS,
    ValidationError,
    check_name,
    format_nhs_number,
    nhs_number_problem,
    normalise_nhs_number,
    pick,
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
from vocabulary.text import check_text, one_line

PICKLISTS = {
    "gender": (GENDERS, "gender"),
    "ethnicity": (ETHNICITIES, "ethnicity"),
    "referral_source": (REFERRAL_SOURCES, "referral source"),
    "offence_type": (OFFENCE_TYPES, "offence type"),
    "accommodation": (ACCOMMODATION, "accommodation"),
    "risk_level": (RISK_LEVELS, "risk level"),
}
YES_NO_FIELDS = ("gp_registered", "looked_after", "ehc_plan", "pregnancy", "caring", "disability", "armed_forces")


def _yes_no(value, field_name: str) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    v = str(value).strip().lower()
    if v in ("y", "yes", "true", "1"):
        return "yes"
    if v in ("n", "no", "false", "0"):
        return "no"
    if v in ("not known", "unknown", "?"):
        return None
    raise ValidationError(f"{field_name.replace('_', ' ')} {value!r} must be yes or no")


# What each client and case field is called when a refusal names it.
FIELD_LABELS = {
    "nhs_number": "NHS number", "gp_practice": "GP practice", "gp_address": "GP address",
    "gp_registered": "GP registered", "gp_registered_date": "GP registration date", "ro_name": "RO name",
    "ro_contact": "RO contact", "ehc_plan": "EHC plan", "dob": "date of birth",
}
MULTILINE_FIELDS = ("address", "gp_address")


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key.replace("_", " "))


SYNTHETIC = "synthetic"  # the setting that marks a database of synthetic people only


def test_numbers_allowed(db: Database) -> bool:
    """Whether this database holds synthetic people only (the demo, the tests' databases), the one kind of
    database that accepts NHS test numbers (999...): a real caseload never holds one."""
    return rec.get_setting(db, SYNTHETIC) == "1"


def mark_synthetic(db: Database) -> None:
    """Record (in the audit trail too) that this database holds synthetic people only: the demo's first step,
    and the tests'."""
    with transaction(db):
        rec.set_setting(db, SYNTHETIC, "1")


def clean_client_fields(fields: dict, today: date, *, partial: bool = False, test_numbers: bool = False) -> dict:
    """Check and normalise a client's and case's fields as typed; raise ValidationError on the first problem.

    Text is refused, naming the field, if it holds anything but text (``vocabulary.text``); ``test_numbers`` lets
    NHS test numbers through (``test_numbers_allowed``).
    """
    out: dict = {}
    for key, value in fields.items():
        if isinstance(value, str):
            value = check_text(value, field_label(key), multiline=key in MULTILINE_FIELDS)
            value = " ".join(value.split()) if key not in MULTILINE_FIELDS else value.strip()
        if value == "" or value is None:
            out[key] = None
            continue
        if key == "name":
            out[key] = check_name(value)
        elif key == "dob":
            d = value if isinstance(value, date) else parse_date(value, today, BIRTH_DATE)
            out[key] = check_dob(d, today).isoformat()
        elif key == "nhs_number":
            problem = nhs_number_problem(str(value), test_numbers=test_numbers)
            if problem:
                raise ValidationError(problem)
            out[key] = normalise_nhs_number(str(value))
        elif key in PICKLISTS:
            options, label = PICKLISTS[key]
            out[key] = pick(value, options, label)
        elif key in YES_NO_FIELDS:
            out[key] = _yes_no(value, key)
        elif key == "gp_registered_date":
            d = value if isinstance(value, date) else parse_date(value, today, GP_REGISTRATION_DATE)
            out[key] = check_date(d, today, GP_REGISTRATION_DATE).isoformat()
        elif key == "gp_registered_via_mhtr":
            out[key] = 1 if _yes_no(value, key) == "yes" else 0
        elif key == "postcode":
            out[key] = str(value).upper()
        elif key in rec.CLIENT_FIELDS or key in rec.CASE_FIELDS:
            out[key] = str(value)[:2000]
        else:
            raise ValidationError(f"unknown field {key!r}")
    if not partial:
        if not out.get("name"):
            raise ValidationError("a name is required")
        if not out.get("dob"):
            raise ValidationError("a date of birth is required")
    return out


def add_client(db: Database, fields: dict, today: date) -> str:
    """Create a client and their first case; returns the case reference (e.g. ``MHTR-0007``)."""
    clean = clean_client_fields(fields, today, test_numbers=test_numbers_allowed(db))
    with transaction(db):
        if clean.get("nhs_number"):
            existing = rec.find_client_by_nhs(db, clean["nhs_number"])
            if existing:
                refs = ", ".join(c["ref"] for c in rec.cases_of_client(db, existing["id"]))
                raise ValidationError(
                    f"NHS number {format_nhs_number(clean['nhs_number'])} is already held for {refs}; "
                    "open a new case for that client instead"
                )
        client_id = rec.insert_client(db, {k: v for k, v in clean.items() if k in rec.CLIENT_FIELDS})
        _, ref = rec.insert_case(db, client_id, {k: v for k, v in clean.items() if k in rec.CASE_FIELDS})
    return ref


def new_case_for_client(db: Database, ref: str, fields: dict | None, today: date) -> str:
    """A further case for the client of ``ref`` (a new referral years later); returns its reference."""
    case = require_case(db, ref)
    allowed = test_numbers_allowed(db)
    clean = clean_client_fields(fields or {}, today, partial=True, test_numbers=allowed)
    with transaction(db):
        _, new_ref = rec.insert_case(db, case["id"], {k: v for k, v in clean.items() if k in rec.CASE_FIELDS})
    return new_ref


def update_client(db: Database, ref: str, fields: dict, today: date) -> None:
    """Correct or complete a client's and case's details (the audit trail keeps the old values)."""
    case = require_case(db, ref)
    clean = clean_client_fields(fields, today, partial=True, test_numbers=test_numbers_allowed(db))
    if "name" in fields and not clean.get("name"):
        raise ValidationError("a name is required")
    if "dob" in fields and not clean.get("dob"):
        raise ValidationError("a date of birth is required")
    with transaction(db):
        if clean.get("nhs_number"):
            other = rec.find_client_by_nhs(db, clean["nhs_number"])
            if other and other["id"] != case["id"]:
                raise ValidationError(f"NHS number {format_nhs_number(clean['nhs_number'])} belongs to another client")
        rec.update_client(db, case["id"], clean)
        rec.update_case(db, case["case_id"], clean)


def require_case(db: Database, ref: str) -> dict:
    case = rec.get_case(db, ref or "")
    if case is None:
        raise ValidationError(f"no case {ref!r}")
    return case


def require_not_archived(case: dict) -> None:
    """Refuse recording on an archived case (``case`` as ``require_case`` returns it): its tasks would be made
    out of sight, since Today leaves archived cases out (see ``records.archive``). Unarchive it first."""
    if case.get("case_archived_at"):
        raise ValidationError(
            f"{case['ref']} is archived; nothing can be recorded on it (mhtr-tui client unarchive {case['ref']})"
        )


def _events(rows: list[dict]) -> list[Event]:
    return [event_from_row(r) for r in rows]


def case_state(db: Database, case_id: int) -> CaseState:
    return derive_state(_events(rec.events_of_case(db, case_id)))


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
        history = _events(rec.events_of_case(db, case["case_id"]))
        clean = check_event(kind, when, data or {}, history, today)
        before = derive_state(history)
        facts = case_facts(db, checklist, case["case_id"])
        event_id = rec.insert_event(db, case["case_id"], kind, when, clean)
        event = Event(kind, when, clean, event_id)
        after = derive_state([*history, event])
        closures = closures_for_event(checklist, event, before, after, facts)
        for c in closures:
            for t in taskdb.open_tasks_with_key(db, case["case_id"], c.key):
                taskdb.set_task_state(
                    db, t["id"], status=c.status, due=t["due"], reason=c.reason, closed_at=rec.now_iso()
                )
        specs = tasks_for_event(checklist, event, before, after, facts)
        store_tasks(db, specs, case["case_id"], event)
        skip_outlived(db, checklist, case["case_id"], after)
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
    return frozenset(i.key for i in checklist.items if "risk" in i.on)


def case_facts(db: Database, checklist: Checklist, case_id: int) -> frozenset[str]:
    """What the checklist's conditions need to know about a case beyond its events (``checklists.conditions``):
    whether a risk task of it is still open."""
    if taskdb.has_open_task(db, case_id, sorted(risk_keys(checklist))):
        return frozenset({RISK_OPEN})
    return frozenset()


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
        already = {t["key"] for t in taskdb.open_tasks_of_case(db, case_id)}
        made = [
            (task_id, s)
            for s in specs
            if s.key not in already and (task_id := taskdb.insert_task(db, task_row(s, case_id, None)))
        ]
    return made


def skip_outlived(db: Database, checklist: Checklist, case_id: int, state: CaseState) -> None:
    """Skip the open tasks needed only while the order runs (``until`` in the checklist) that fall due after
    it ends: a consent renewal a year after consent, for a six-month order. Only the tasks of items with an
    ``until`` the case has a date for are read (before sentence there is no order end: nothing is read)."""
    keys = [i.key for i in checklist.items if i.until is not None and ANCHORS[i.until](state) is not None]
    for t in taskdb.open_tasks_with_keys(db, case_id, keys):
        item = checklist.item(t["key"])
        last = outlives(item, date.fromisoformat(t["due"]), state) if item is not None else None
        if last is not None:
            taskdb.set_task_state(db, t["id"], status="skipped", due=t["due"],
                                  reason=f"not needed: due after the order ends on {uk(last)}", closed_at=rec.now_iso())


def store_tasks(db: Database, specs: list[TaskSpec], case_id: int | None, event: Event) -> None:
    """Store the tasks ``event`` starts; an item whose work is recording the event (``done_by = record-event``:
    data capture, since the app holds the caseload data) is stored done by mhtr-tui."""
    what = f"{EVENT_KINDS.get(event.kind, event.kind).lower()} recorded"
    for s in specs:
        row = task_row(s, case_id, event.id)
        if s.born_done:  # stored done in the one write (an open row closed at once was two rows of audit trail)
            row.update(status="done", reason=app_reason(what), closed_at=rec.now_iso())
        taskdb.insert_task(db, row)


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
