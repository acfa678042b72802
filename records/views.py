"""Read models shared by the command line and the app: the caseload, one case, task lists.

They return plain dicts (JSON-ready) so the CLI's ``--json`` and the screens show the same facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from checklists.model import Checklist
from db import records as rec
from db import tasks as taskdb
from db.database import Database
from records.clients import require_case
from records.derived import derived
from vocabulary.dates import uk
from vocabulary.event_kinds import EVENT_KINDS, describe_event
from vocabulary.identity import format_nhs_number
from vocabulary.stages import CaseState, Event, derive_state, event_from_row

SCOPES = ("today", "overdue", "week", "all")
# How a task's status is shown in a list, on screen and on the command line.
STATUS_MARK = {"open": "[ ]", "done": "[✓]", "skipped": "[-]"}


def _state_of(rows: list[dict]) -> CaseState:
    return derive_state([event_from_row(r) for r in rows])


# Above this many cases to re-derive, one query for all events beats a long IN list.
_ALL_EVENTS_FROM = 400


def case_states(db: Database, only: Iterable[int] | None = None) -> dict[int, CaseState]:
    """Every case's state (or only the cases in ``only``), derived from its events.

    Deriving thousands of cases reads every event (about 0.5 s for a ten-year service of 5,000 clients), so
    the states are kept with the database object (``records.derived``), each with its case's events
    fingerprint, and only cases whose events changed since (here or in another copy of the app) are derived
    again. Once every case has been derived, a one-row read of the whole events table tells that nothing
    changed since, so a repeated call costs about a millisecond. ``only`` derives just those cases, for a
    screen that needs a few of them before the rest have been derived (in the background, see
    ``adopt_case_states``).
    """
    kept = derived(db)
    cache = kept.states
    wanted = None if only is None else set(only)
    total = rec.events_fingerprint(db)  # read before the fingerprints: a later event is never counted as seen
    if kept.states_total == total:
        return {c: state for c, (_, state) in cache.items() if wanted is None or c in wanted}
    some_total, some = kept.states_some
    if wanted is not None and some_total == total and wanted <= some:  # these were current at this total
        return {c: cache[c][1] for c in wanted if c in cache}
    prints = rec.event_fingerprints(db)
    if wanted is not None:
        prints = {c: fp for c, fp in prints.items() if c in wanted}
    stale = [c for c, fp in prints.items() if c not in cache or cache[c][0] != fp]
    if stale:
        todo = set(stale)
        fromiso = date.fromisoformat
        everything = wanted is None and len(stale) > _ALL_EVENTS_FROM
        for c, rows in rec.event_tuples(db, None if everything else stale):
            if c in todo:
                state = derive_state([Event(kind, fromiso(day), data, eid, seq) for eid, kind, day, data, seq in rows])
                cache[c] = (prints[c], state)
    if wanted is None:
        for gone in set(cache) - set(prints):  # a case's events cannot vanish, but a restored file can differ
            del cache[gone]
        kept.states_total = total
    else:
        kept.states_some = (total, frozenset(wanted))
    return {c: state for c, (_, state) in cache.items() if c in prints}


def case_states_ready(db: Database) -> bool:
    """Whether every case's state is derived and current, so ``case_states(db)`` costs about a millisecond."""
    total = derived(db).states_total
    return total is not None and total == rec.events_fingerprint(db)


SMALL_SERVICE_EVENTS = 5_000  # below this many events, deriving what a screen needs takes a few ms


def case_states_quick(db: Database) -> bool:
    """Whether what needs case states (the diary glance's breach clocks) costs a few ms now: every case is
    derived, or the service is small. On a large service before that, the first look takes about 0.2 s, which
    would hold up the first paint of Today; the app shows such lines once its background derivation is done.
    """
    return rec.events_fingerprint(db) < SMALL_SERVICE_EVENTS or case_states_ready(db)


def adopt_case_states(db: Database, other: Database) -> None:
    """Take the states ``other`` (a background connection to the same file) derived, keeping any ``db`` has."""
    theirs = derived(other)
    if not theirs.states:
        return
    mine = derived(db)
    for c, entry in theirs.states.items():
        if c not in mine.states or entry[0] > mine.states[c][0]:  # events are only added: the larger is newer
            mine.states[c] = entry
    if theirs.states_total is not None:
        mine.states_total = theirs.states_total


def caseload(db: Database, today: date) -> list[dict]:
    """One row per open (not archived) case: stage, sessions attended of planned, next task and due.

    The rows are kept with the database object (``records.derived``) until anything in the database changes (a
    write through this connection, or a commit by another copy of the app), so going back to the Caseload costs
    nothing.
    """
    version = (rec.data_version(db), db.conn.total_changes, today)
    kept = derived(db)
    if kept.caseload is not None and kept.caseload[0] == version:
        return list(kept.caseload[1])
    rows = _caseload(db, today)
    kept.caseload = (version, rows)
    return list(rows)


def ended(state: CaseState, admin_open: bool) -> bool:
    """A case has ended when its course is closed (declined, not eligible, withdrawn, followed up) and its admin
    is done: a declined case stays in the Caseload until its GP letter and probation update are written."""
    return state.closed and not admin_open


def _caseload(db: Database, today: date) -> list[dict]:
    cases = rec.case_rows(db)
    states = case_states(db)
    no_events = CaseState()
    now = today.isoformat()
    out = []
    for c in cases:
        st = states.get(c.case_id, no_events)
        planned = st.planned_sessions
        end = st.order_end  # a calendar sum each time it is asked for: once a case (5,200 on a ten-year service)
        out.append(
            {
                "ref": c.ref,
                "name": c.name,
                "stage": st.stage,
                "stage_label": st.label,
                "closed": st.closed,
                "ended": ended(st, c.next_task is not None),
                "sessions_attended": st.sessions_attended,
                "sessions_planned": planned,
                "sessions": f"{st.sessions_attended}/{planned}" if planned else "",
                "order_end": end.isoformat() if end else None,
                "order_end_uk": uk(end),
                "next_task": c.next_task,
                "next_due": c.next_due,
                "next_due_uk": uk(c.next_due),
                "overdue": bool(c.next_due and c.next_due < now),
                "risk_level": c.risk_level,
            }
        )
    return out


def task_dicts(rows: Iterable[Any], today: date, checklist: Checklist | None = None) -> list[dict]:
    """Task rows as read (``db.tasks.task_rows``) made into what every list of tasks shows and ``tasks --json``
    prints: the one home for what a task row means. ``overdue``: open and due before ``today``; ``stage_title``:
    the checklist's title for the stage (its id without a checklist). Made straight from the named rows, once per
    task: Today's week is hundreds of them."""
    now = today.isoformat()
    titles: dict[str, str] = {}
    out = []
    for t in rows:
        stage = t.stage
        if checklist is None:
            stage_title = stage
        elif (stage_title := titles.get(stage)) is None:
            stage_title = titles[stage] = checklist.stage_title(stage)
        out.append({
            "id": t.id,
            "client": t.ref,
            "client_name": t.client_name,
            "stage": stage,
            "stage_title": stage_title,
            "key": t.key,
            "title": t.title,
            "due": t.due,
            "status": t.status,
            "overdue": t.status == "open" and t.due < now,
            "urgent": bool(t.urgent),
            "action": t.action,
            "reason": t.reason,
            "closed_at": t.closed_at,
            "origin": t.origin,
        })
    return out


def in_work_order(rows: list[Any], today: date) -> list[Any]:
    """Task rows (``db.tasks.task_rows``) in the order they are worked (Today, ``mhtr-tui tasks``): risk first.

    Urgent tasks (a risk identified, a breach decision due, consent withdrawn) come before every admin task
    whatever their dates. Of those due by today, the newest come first, by due date (an urgent task is due the
    day it is raised), then the ones recorded last, in the checklist's order among themselves: the risk item
    entered a minute ago, with the client in mind, above one that has already sat at the top for days. Urgent
    tasks due later follow by date; then the admin, oldest due first (by case, then as recorded). Each row's sort
    key is worked out once; the admin's, most of a week's list, is three of its fields.
    """
    now = today.isoformat()
    urgent = [t for t in rows if t.urgent]
    admin = [t for t in rows if not t.urgent]

    first_of: dict[tuple, int] = {}  # the tasks one recording raised together share their case, event and period
    for t in urgent:
        if t.due <= now:
            raised = (t.case_id, t.event_id, t.period)
            first_of[raised] = min(first_of.get(raised, t.id), t.id)

    def urgent_key(t: Any) -> tuple:
        if t.due <= now:
            return (False, -date.fromisoformat(t.due).toordinal(), -first_of[(t.case_id, t.event_id, t.period)],
                    t.due, t.case_id or 0, t.id)
        return (True, 0, 0, t.due, t.case_id or 0, t.id)

    urgent.sort(key=urgent_key)
    admin.sort(key=lambda t: (t.due, t.case_id or 0, t.id))
    return urgent + admin


def tasks(
    db: Database,
    today: date,
    scope: str = "today",
    ref: str | None = None,
    *,
    checklist: Checklist | None = None,
    first: int | None = None,
) -> list[dict]:
    """Open tasks for ``scope``: today (overdue and due today), overdue, week (to 7 days ahead), all; in the order
    they are worked (``in_work_order``: risk first).

    With ``ref``, one case's tasks; ``all`` for a case includes done and skipped ones. ``first``: only the first so
    many, without reading the rest (Today's first frame shows a screenful of a week that holds hundreds): every
    urgent task comes before every other in work order, and the others follow in the order the query reads them.
    """
    if scope not in SCOPES:
        from vocabulary.identity import ValidationError

        raise ValidationError(f"--due {scope!r} is one of: {', '.join(SCOPES)}")
    case_id = require_case(db, ref)["case_id"] if ref else None
    until = {"today": today, "overdue": None, "week": today + timedelta(days=7), "all": None}[scope]

    def read(urgent: bool | None = None, limit: int | None = None) -> list[Any]:
        return taskdb.task_rows(
            db,
            until=until,
            case_id=case_id,
            only_overdue_before=today if scope == "overdue" else None,
            include_closed=scope == "all" and case_id is not None,
            urgent=urgent,
            limit=limit,
        )

    rows = read() if first is None else read(urgent=True) + read(urgent=False, limit=first)
    return task_dicts(in_work_order(rows, today)[:first], today, checklist)


def _as_shown(event: dict, st: CaseState) -> dict:
    """An event's data as the case's summary describes it: an accepted court outcome says "sentenced on the day"
    as the dates show it (``vocabulary.stages.derive_state``; the stored flag only overrides), not the flag alone."""
    if event["kind"] != "court-outcome" or event["data"].get("outcome") != "accepted":
        return event["data"]
    return {**event["data"], "sentenced_on_day": st.sentenced_on_day}


def case_detail(db: Database, ref: str, today: date, *, checklist: Checklist | None = None) -> dict:
    """Everything shown on the Client screen and by ``client show``."""
    case = require_case(db, ref)
    events = rec.events_of_case(db, case["case_id"])
    st = _state_of(events)
    task_rows = taskdb.task_rows(db, until=None, case_id=case["case_id"], include_closed=True)
    other_cases = [c["ref"] for c in rec.cases_of_client(db, case["id"]) if c["ref"] != case["ref"]]
    detail = {k: v for k, v in case.items() if k not in ("id",)}
    detail.update(
        client_id=case["id"],
        nhs_number_display=format_nhs_number(case["nhs_number"]) if case["nhs_number"] else None,
        stage=st.stage,
        stage_label=st.label,
        closed=st.closed,
        ended=ended(st, any(t.status == "open" for t in task_rows)),
        sessions_attended=st.sessions_attended,
        sessions_planned=st.planned_sessions,
        unacceptable_absences=st.unacceptable_absences,
        sentence_date=st.sentence_date.isoformat() if st.sentence_date else None,
        order_months=st.order_months,
        order_end=st.order_end.isoformat() if st.order_end else None,
        sentenced_on_day=st.sentenced_on_day if st.accepted else None,
        other_cases=other_cases,
        events=[
            {
                "id": e["id"],
                "kind": e["kind"],
                "label": EVENT_KINDS.get(e["kind"], e["kind"]),
                "date": e["date"],
                "data": e["data"],
                "summary": describe_event(e["kind"], _as_shown(e, st))
                + (f" (corrects entry {e['corrects']})" if e.get("corrects") else ""),
                "corrects": e.get("corrects"),
            }
            for e in events
        ],
        tasks=task_dicts(task_rows, today, checklist),
    )
    return detail
