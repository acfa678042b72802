"""The events of a case and the stage a case is at, derived from them.

A case's stage is never stored: it is read off the events, so a correction to an event corrects the stage.
All functions here are pure. What each kind of event holds and when it may be recorded is the registry in
``vocabulary.event_kinds`` (its ``check_event`` refuses an event out of order before anything is written).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from vocabulary.dates import add_months

STAGE_LABELS = {
    "referred": "Referred",
    "screened": "Screened",
    "not-eligible": "Not eligible",
    "assessed": "Awaiting CL decision",
    "approved": "CL approved",
    "cl-declined": "Declined by CL",
    "awaiting-court": "Awaiting court",
    "court-declined": "Declined by court",
    "sentenced": "Sentenced",
    "in-treatment": "In treatment",
    "completed": "Completed",
    "withdrawn": "Consent withdrawn",
    "closed": "Closed",
}
CLOSED_STAGES = frozenset({"not-eligible", "cl-declined", "court-declined", "withdrawn", "closed"})
DEFAULT_PLANNED_SESSIONS = 12
MAX_EXTRA_SESSIONS = 3  # seed 004, "MHTR Completion": 1-3 additional sessions after completion

# A session whose own date is not known (an imported sheet gave how many were attended, not when): it is stored on
# a stand-in date (``importer.rows``) with ``"undated": true`` in its data, so that what measures time (days from
# sentence to the first session, sessions per month in the return) can leave it out, while it still counts as a
# session attended. Imports made before the key existed are known by the note they were given.
UNDATED = "undated"
UNDATED_NOTE = "attended before the import; the spreadsheet gave the number of sessions, not this one's date"


def undated_session(data: Mapping[str, Any] | None) -> bool:
    """Whether a session's date is a stand-in rather than the day it happened (see ``UNDATED``)."""
    d = data or {}
    return d.get(UNDATED) is True or d.get("notes") == UNDATED_NOTE


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: lower case, but an abbreviation kept ("Declined by CL" -> "declined by
    CL", "CL approved" -> "CL approved"); lowering the whole label made "cl"."""
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in label.split(" "))


@dataclass(frozen=True)
class Event:
    """One thing that happened on a case, on a date. ``data`` holds the kind's details."""

    kind: str
    date: date
    data: dict = field(default_factory=dict)
    id: int | None = None
    seq: int | None = None  # its place among the day's events: the id of its first recording (db.records.SEQ)


def order_end(sentence: date, months: int) -> date:
    """The last day of an order of ``months`` made on ``sentence``: the day before the same date ``months`` later
    (made 7 December 2026 for 12 months: runs to 6 December 2027); where that month has no such date (made
    31 January for one month) the order runs to the end of that month."""
    later = add_months(sentence, months)
    return later if later.day != sentence.day else later - timedelta(days=1)


def event_order(e: Event) -> tuple[date, int]:
    """Date order; a day's events in the order they were first recorded, a correction taking its original's place."""
    return (e.date, e.seq if e.seq is not None else (e.id or 0))


def event_from_row(row: dict) -> Event:
    """An ``Event`` from a stored event row (``kind``, ISO ``date``, decoded ``data``, ``id``, ``seq``)."""
    return Event(row["kind"], date.fromisoformat(row["date"]), row["data"], row["id"], row.get("seq"))


@dataclass
class CaseState:
    """Everything about a case that follows from its events."""

    stage: str = "referred"
    screened: date | None = None
    assessed: date | None = None
    consent: date | None = None
    cl_decision: str | None = None
    sentence_date: date | None = None
    accepted: bool | None = None
    order: str | None = None
    order_months: int | None = None
    sentenced_on_day: bool = False
    planned_sessions: int | None = None
    sessions_attended: int = 0
    unacceptable_absences: int = 0
    # The breach clock (NPS instruction, seed 004; derive_state below): each unacceptable absence from
    # the second within 12 months of the first (the warning) starts "RO breach decision by the 6th working day"
    # until the RO's decision is recorded; a no-breach decision re-arms it for the next absence.
    absence_window_start: date | None = None
    absences_in_window: int = 0
    breach_clock_starts: tuple[date, ...] = ()  # the absences that started the clock, in date order
    awaiting_ro_decision: bool = False
    ro_decision: str | None = None  # the latest: "breach" or "no-breach"
    second_absence_date: date | None = None  # the first absence still awaiting the RO's decision
    case_meeting: date | None = None
    first_session: date | None = None
    last_session: date | None = None
    completed: date | None = None
    breaches: int = 0
    follow_ups: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def breach_clocks(self) -> int:
        """How many absences started the breach clock."""
        return len(self.breach_clock_starts)

    @property
    def label_in_sentence(self) -> str:
        """The stage's label inside a sentence ("stage now declined by CL")."""
        return in_sentence(self.label)

    @property
    def closed(self) -> bool:
        return self.stage in CLOSED_STAGES

    @property
    def in_order(self) -> bool:
        """Sentenced with an MHTR and not yet finished."""
        return self.stage in ("sentenced", "in-treatment")

    @property
    def order_end(self) -> date | None:
        """The order's last day, from the sentence date and its length; None before sentence or without a length."""
        if self.sentence_date is None or not self.order_months:
            return None
        return order_end(self.sentence_date, self.order_months)


def derive_state(events: Sequence[Event]) -> CaseState:
    """Fold the events (in date order, ties in recording order) into the case's state."""
    st = CaseState()
    seen_at_court: date | None = None  # the last screening or assessment so far
    for ev in sorted(events, key=event_order):
        k, d = ev.kind, ev.data
        if k in ("screening", "assessment"):
            seen_at_court = ev.date
        if k == "screening":
            st.screened = ev.date
            if st.stage == "referred":
                st.stage = "screened"
        elif k == "not-eligible":
            st.stage = "not-eligible"
        elif k == "assessment":
            st.assessed = ev.date
            if st.stage in ("referred", "screened"):
                st.stage = "assessed"
        elif k == "consent":
            st.consent = ev.date
        elif k == "cl-decision":
            st.cl_decision = d.get("decision")
            st.stage = "approved" if st.cl_decision == "approved" else "cl-declined"
        elif k in ("court-report-sent", "adjournment"):
            if st.stage in ("approved", "assessed", "screened", "awaiting-court"):
                st.stage = "awaiting-court"
        elif k == "court-outcome":
            st.accepted = d.get("outcome") == "accepted"
            if st.accepted:
                st.stage = "sentenced"
                st.sentence_date = ev.date
                st.order = d.get("order")
                st.order_months = int(d["length_months"]) if d.get("length_months") else None
                st.planned_sessions = int(d.get("sessions") or DEFAULT_PLANNED_SESSIONS)
                st.sentenced_on_day = bool(d.get("sentenced_on_day")) or (
                    seen_at_court is not None and (ev.date - seen_at_court).days <= 1
                )
            else:
                st.stage = "court-declined"
        elif k == "case-meeting":
            st.case_meeting = ev.date
        elif k == "session":
            outcome = d.get("outcome")
            if outcome == "attended":
                st.sessions_attended += 1
                st.first_session = st.first_session or ev.date
                st.last_session = ev.date
                if st.stage == "sentenced":
                    st.stage = "in-treatment"
            elif outcome == "unacceptable-absence":
                st.unacceptable_absences += 1
                if st.absence_window_start is None or ev.date > add_months(st.absence_window_start, 12):
                    st.absence_window_start, st.absences_in_window = ev.date, 1  # a first absence: the warning
                else:
                    st.absences_in_window += 1
                if st.absences_in_window >= 2 and st.ro_decision != "breach":
                    st.breach_clock_starts = (*st.breach_clock_starts, ev.date)
                    if not st.awaiting_ro_decision:
                        st.second_absence_date = ev.date
                    st.awaiting_ro_decision = True
        elif k == "completion":
            st.completed = ev.date
            st.stage = "completed"
        elif k == "ro-decision":
            st.ro_decision = d.get("decision")
            st.awaiting_ro_decision = False
        elif k == "breach":
            # the court has dealt with the breach: a later absence starts a new warning
            st.breaches += 1
            st.awaiting_ro_decision = False
            st.ro_decision = None
            st.absence_window_start, st.absences_in_window = None, 0
        elif k == "withdrawal":
            st.stage = "withdrawn"
        elif k == "follow-up":
            st.follow_ups = (*st.follow_ups, int(d.get("months", 0)))
            if int(d.get("months", 0)) == 12:
                st.stage = "closed"
    return st


def new_breach_clock(before: CaseState, after: CaseState) -> date | None:
    """The absence whose breach clock an event started, read off the case before and after it: the event's own
    date when absences are recorded in order, but an absence recorded late, dated before ones already recorded,
    makes one of those the second in the order, and the RO's 6th working day runs from that one. None if no
    clock was started."""
    started = Counter(after.breach_clock_starts) - Counter(before.breach_clock_starts)
    return min(started.elements(), default=None)


def sentenced_on_day(events: Sequence[Event]) -> bool:
    """Whether the MHTR was made on the day of the screening or assessment at court (seed 004's "sentenced on the
    day (within 24 hours)"), read from the dates: the accepted court outcome is dated within one day of the last
    screening or assessment before it. A stored ``sentenced_on_day: true`` overrides (the dates cannot show every
    hearing); the return counts this value."""
    return derive_state(events).sentenced_on_day
