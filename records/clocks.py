"""The guidance clocks on a case, read from the checklist: case meeting, first session, the RO's breach decision,
consent renewal and the outcome follow-ups.

A checklist item marked ``clock`` (``checklists/cambs_peterborough.toml``) is one: its due rule is the deadline,
its ``warn`` the days before it that the clock warns, its ``clock`` and ``clock_short`` its names. The Client
screen's clocks, Today's deadline line and the monthly return's "within 14 days / 6 weeks" all read those items,
so a service that edits ``+14 days`` in its copy of the checklist moves the task, the clock and the return alike.

What the checklist does not say is the case's side: when a clock starts (the sentence, consent, the second
unacceptable absence, completion: the event its item is started by), when it is met (the event that completes
its item: the case meeting, the first attended session, a breach, the follow-up; the RO's decision also when its
task is ticked) and while it is shown (while the order runs, or once met). ``case_clocks`` is pure.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from checklists.model import DEFAULT_FILE, Checklist, Item, load
from checklists.rules import DueRule
from db import appointments as appdb
from db import records as rec
from db import tasks as taskdb
from db.database import Database
from records.casework import case_state
from records.clients import require_case
from records.derived import derived
from records.views import case_states, case_states_ready
from vocabulary.dates import uk
from vocabulary.stages import CaseState, derive_state, event_from_row


@dataclass(frozen=True)
class Clock:
    """One guidance deadline on a case: ``status`` is ok, warning, missed or met."""

    key: str
    name: str
    due: date
    status: str
    met_on: date | None = None
    days_left: int = 0
    short: str = ""

    def as_dict(self) -> dict:
        d = asdict(self)
        d["due"] = self.due.isoformat()
        d["due_uk"] = uk(self.due)
        d["met_on"] = self.met_on.isoformat() if self.met_on else None
        return d


# --- the clocks a checklist has ------------------------------------------------------------------------------

SENTENCE, CONSENT, SECOND_ABSENCE, COMPLETION = "sentence", "consent", "second-absence", "completion"
STARTS = (SENTENCE, CONSENT, SECOND_ABSENCE, COMPLETION)  # the order of clocks due the same day
# The conditions (checklists.conditions) of a session item that starts the breach clock.
BREACH_CONDITIONS = frozenset({"breach-clock", "second-unacceptable-absence"})


def start_of(item: Item) -> str | None:
    """What the clock of ``item`` runs from, read off the event that starts the item."""
    kind = item.on[0] if item.on else None
    if kind == "court-outcome":
        return SENTENCE
    if kind == "consent":
        return CONSENT
    if kind == "completion":
        return COMPLETION
    if kind == "session" and BREACH_CONDITIONS & set(item.when):
        return SECOND_ABSENCE
    return None


def clock_items(checklist: Checklist) -> list[Item]:
    """The checklist's clocks, in checklist order."""
    return [i for i in checklist.items if i.clock and start_of(i) is not None]


def rule_words(rule: DueRule) -> str:
    """``+14 days`` -> ``14 days``; ``+6 working days`` -> ``6th working day``: the deadline as a clock names it."""
    n = rule.n
    if rule.unit == "working":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} working day"
    if rule.unit in ("days", "weeks", "months"):
        unit = rule.unit if n != 1 else rule.unit[:-1]
        return f"{n} {unit}"
    return rule.text


def clock_name(item: Item, short: bool = False) -> str:
    """The clock's name (``short``: for a one-line summary) with its deadline in words."""
    text = (item.clock_short if short else None) or item.clock or item.title
    if short and not item.clock_short:
        text = text.split(" (")[0]
    return text.replace("{due}", rule_words(item.due)).replace("{n}", str(item.due.n))


def item_done_by(item: Item, kind: str) -> str | None:
    """The condition of ``item``'s done_on trigger for event ``kind`` ('' for none), or None if it has none."""
    for t in item.done_on:
        if t.kind == kind:
            return t.condition or ""
    return None


def sentence_deadline(checklist: Checklist, done_by: str) -> DueRule | None:
    """The due rule of the clock that runs from the sentence and is met by event ``done_by`` (``case-meeting``;
    ``session``: the first attended one): the deadline the monthly return counts "within" by."""
    for item in clock_items(checklist):
        if start_of(item) == SENTENCE and item_done_by(item, done_by) is not None:
            return item.due
    return None


@dataclass(frozen=True)
class SentenceDeadlines:
    """The two clocks from the sentence that the monthly return counts "within" by."""

    case_meeting: DueRule
    first_session: DueRule

    def met(self, which: str, sentence: date, day: date) -> bool:
        """Whether ``day`` (the meeting's or the first session's) was on or before its deadline."""
        rule = self.case_meeting if which == "case-meeting" else self.first_session
        return day <= rule.due_after(sentence)


def sentence_deadlines(checklist: Checklist) -> SentenceDeadlines:
    """The case meeting's and the first session's deadlines in ``checklist``; where a service's checklist has no
    such clock, the national guidance's (the bundled checklist's), since the return reports them either way."""
    meeting = sentence_deadline(checklist, "case-meeting")
    first = sentence_deadline(checklist, "session")
    if meeting is None or first is None:
        bundled = load(DEFAULT_FILE)
        meeting = meeting or sentence_deadline(bundled, "case-meeting")
        first = first or sentence_deadline(bundled, "session")
    assert meeting is not None and first is not None  # the bundled checklist has both (tests/test_clocks.py)
    return SentenceDeadlines(meeting, first)


def breach_item(checklist: Checklist) -> Item | None:
    """The clock of the RO's breach decision (it runs from the second unacceptable absence), if there is one."""
    return next((i for i in clock_items(checklist) if start_of(i) == SECOND_ABSENCE), None)


def breach_deadline(state: CaseState, checklist: Checklist) -> date | None:
    """The Responsible Officer's breach-decision date after the second unacceptable absence in the order (the 6th
    working day in the C&P checklist), or None before a second one or without that clock."""
    item = breach_item(checklist)
    if state.second_absence_date is None or item is None:
        return None
    return item.due.due_after(state.second_absence_date)


# --- one case --------------------------------------------------------------------------------------------------


def _clock(item: Item, due: date, today: date, met_on: date | None = None, met: bool = False) -> Clock:
    left = (due - today).days
    if met_on is not None:
        status = "met" if met_on <= due else "missed"
    elif met:
        status = "met"
    elif left < 0:
        status = "missed"
    elif left <= item.warn:
        status = "warning"
    else:
        status = "ok"
    return Clock(item.key, clock_name(item), due, status, met_on, left, clock_name(item, short=True))


def _met(item: Item, state: CaseState, decided: frozenset[str]) -> tuple[date | None, bool]:
    """``(met_on, met)``: the date of the event that met the clock, or whether it is met without one."""
    if item_done_by(item, "case-meeting") is not None:
        return state.case_meeting, False
    if item_done_by(item, "session") == "attended":
        return state.first_session, False
    if item_done_by(item, "breach") is not None:
        # the RO's decision recorded (or the court's breach), or every clock's task ticked as decided
        return None, not state.awaiting_ro_decision or item.key in decided
    condition = item_done_by(item, "follow-up")
    if condition and condition.startswith("months-"):
        return None, int(condition.removeprefix("months-")) in state.follow_ups
    return None, item.key in decided


def case_clocks(
    state: CaseState, today: date, checklist: Checklist, *, decided: frozenset[str] = frozenset()
) -> list[Clock]:
    """The guidance clocks on a case, earliest due first.

    Clocks from the sentence are shown while the order runs or once met (met late shows as missed); consent
    renewal runs while the order is in treatment; the RO breach decision after a second unacceptable absence (met
    by a breach event or its task ticked: its key in ``decided``); the outcome follow-ups after completion until
    the case closes. A clock that no longer applies (case closed before it was met) is not shown.
    """
    out: list[Clock] = []
    active = state.in_order
    for item in sorted(clock_items(checklist), key=lambda i: STARTS.index(start_of(i))):
        start = start_of(item)
        met_on, met = _met(item, state, decided)
        if start == SENTENCE:
            if state.accepted and state.sentence_date and (met_on is not None or active):
                out.append(_clock(item, item.due.due_after(state.sentence_date), today, met_on))
        elif start == CONSENT:
            if active and state.consent is not None:
                out.append(_clock(item, item.due.due_after(state.consent), today))
        elif start == SECOND_ABSENCE:
            if state.second_absence_date is not None and (active or state.breaches):
                out.append(_clock(item, item.due.due_after(state.second_absence_date), today, met=met))
        elif start == COMPLETION and state.completed is not None and (met or state.stage != "closed"):
            out.append(_clock(item, item.due.due_after(state.completed), today, met=met))
    return sorted(out, key=lambda c: c.due)


def decided_clocks(db: Database, checklist: Checklist, case_ids: list[int] | None = None) -> dict:
    """case id -> the key of its breach-decision clock when its tasks are ticked (the RO's decision noted by hand):
    every absence from the second starts one, so one still open means a decision is still awaited."""
    item = breach_item(checklist)
    if item is None:
        return {}
    closed = appdb.closed_tasks_with_keys(db, (item.key,), case_ids)
    return {cid: keys for cid, keys in closed.items() if not taskdb.open_tasks_with_key(db, cid, item.key)}


def clocks_for_case(db: Database, ref: str, today: date, checklist: Checklist) -> list[dict]:
    """The Client screen's clocks for ``ref`` (JSON-ready)."""
    case = require_case(db, ref)
    decided = frozenset(decided_clocks(db, checklist, [case["case_id"]]).get(case["case_id"], set()))
    state = case_state(db, case["case_id"])
    return [c.as_dict() for c in case_clocks(state, today, checklist, decided=decided)]


# --- across the caseload ---------------------------------------------------------------------------------------


@dataclass
class ClockAlert:
    ref: str
    name: str
    clock: Clock = field(repr=False)

    def as_dict(self) -> dict:
        return {"ref": self.ref, "client_name": self.name, **self.clock.as_dict()}


def clock_alerts(db: Database, today: date, checklist: Checklist) -> list[dict]:
    """Clocks in warning or missed across the open caseload, soonest first (the Today screen's band)."""
    cases = rec.list_cases(db)
    events = rec.events_for_cases(db, [c["case_id"] for c in cases])
    decided = decided_clocks(db, checklist)
    alerts = []
    for c in cases:
        state = derive_state([event_from_row(e) for e in events.get(c["case_id"], [])])
        done = frozenset(decided.get(c["case_id"], set()))
        for clock in case_clocks(state, today, checklist, decided=done):
            if clock.status in ("warning", "missed") and clock.met_on is None:
                alerts.append(ClockAlert(c["ref"], c["name"], clock))
    alerts.sort(key=lambda a: (a.clock.due, a.ref))
    return [a.as_dict() for a in alerts]


def breach_alerts(db: Database, today: date, checklist: Checklist) -> list[dict]:
    """Open cases whose RO breach decision (after a second unacceptable absence) is still awaited, soonest first.

    Reads the cached case states when every case has been derived; before that (the first Today of a session,
    while the rest are derived in the background) only the cases with two unacceptable absences on record are
    derived, so a ten-year service does not wait for all its cases. Decided cases need no clocks.
    """
    item = breach_item(checklist)
    if item is None:
        return []
    only = None if case_states_ready(db) else _absence_candidates(db)
    states = {cid: st for cid, st in case_states(db, only).items() if st.second_absence_date is not None}
    if not states:
        return []
    decided = decided_clocks(db, checklist, list(states))
    waiting = {}
    for cid, st in states.items():
        if item.key in decided.get(cid, set()):
            continue  # the RO's decision is recorded: the clock is met
        for clock in case_clocks(st, today, checklist):
            if clock.key == item.key and clock.status in ("warning", "missed"):
                waiting[cid] = clock
    if not waiting:
        return []
    cases = {cid: c for cid, c in rec.case_labels(db, list(waiting)).items() if not c["archived"]}
    alerts = [ClockAlert(cases[cid]["ref"], cases[cid]["name"], c) for cid, c in waiting.items() if cid in cases]
    alerts.sort(key=lambda a: (a.clock.due, a.ref))
    return [a.as_dict() for a in alerts]


def _absence_candidates(db: Database) -> list[int]:
    """Cases with two unacceptable absences on record, read again only when an event has been added."""
    total = rec.events_fingerprint(db)
    memo = derived(db)
    if memo.absence_candidates is None or memo.absence_candidates[0] != total:
        memo.absence_candidates = (total, rec.cases_with_session_outcome(db, "unacceptable-absence", 2))
    return memo.absence_candidates[1]
