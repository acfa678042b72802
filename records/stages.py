"""Event kinds, the order a case may move in, and the stage a case is at, derived from its events.

A case's stage is never stored: it is read off the events, so a correction to an event corrects the stage.
All functions here are pure; ``check_event`` is what refuses an event out of order before anything is
written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from records.dates import add_months
from records.identity import ValidationError

SESSION_OUTCOMES = (
    "attended",
    "acceptable-absence",
    "unacceptable-absence",
    "cancelled-by-service",
    "rescheduled",
)
SESSION_OUTCOME_LABELS = {
    "attended": "Attended and complied",
    "acceptable-absence": "Acceptable absence",
    "unacceptable-absence": "Unacceptable absence / failed to attend",
    "cancelled-by-service": "Cancelled by service",
    "rescheduled": "Rescheduled",
}

# kind -> (label, one-line description)
EVENT_KINDS: dict[str, str] = {
    "screening": "Screening at court",
    "not-eligible": "Not eligible",
    "assessment": "Assessment",
    "consent": "Consent given",
    "cl-decision": "Clinical Lead decision",
    "court-report-sent": "Court report sent",
    "adjournment": "Court adjournment",
    "court-outcome": "Court outcome",
    "case-meeting": "Case management meeting",
    "session": "Treatment session",
    "completion": "Completion",
    "breach": "Breach",
    "withdrawal": "Consent withdrawn",
    "follow-up": "Outcome follow-up",
}

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
ORDERS = ("CO", "SSO")
ORDER_LABELS = {"CO": "Community Order", "SSO": "Suspended Sentence Order"}
COMBINED = ("DRR", "ATR")
DEFAULT_PLANNED_SESSIONS = 12

# A session whose own date is not known (an imported sheet gave how many were attended, not when): it is stored on
# a stand-in date (``importer.rows``) with ``"undated": true`` in its data, so that what measures time (days from
# sentence to the first session, sessions per month in the return) can leave it out, while it still counts as a
# session attended. Imports made before the key existed are known by the note they were given.
UNDATED = "undated"
UNDATED_NOTE = "attended before the import; the spreadsheet gave the number of sessions, not this one's date"


def undated_session(data: dict | None) -> bool:
    """Whether a session's date is a stand-in rather than the day it happened (see ``UNDATED``)."""
    d = data or {}
    return d.get(UNDATED) is True or d.get("notes") == UNDATED_NOTE


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
    # The breach clock (NPS instruction, seed 004; records/stages.py derive_state): each unacceptable absence from
    # the second within 12 months of the first (the warning) starts "RO breach decision by the 6th working day"
    # until the RO's decision is recorded; a no-breach decision re-arms it for the next absence.
    absence_window_start: date | None = None
    absences_in_window: int = 0
    breach_clocks: int = 0  # how many absences started the clock
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
                    st.breach_clocks += 1
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


def sentenced_on_day(events: Sequence[Event]) -> bool:
    """Whether the MHTR was made on the day of the screening or assessment at court (seed 004's "sentenced on the
    day (within 24 hours)"), read from the dates: the accepted court outcome is dated within one day of the last
    screening or assessment before it. A stored ``sentenced_on_day: true`` overrides (the dates cannot show every
    hearing); the return counts this value."""
    return derive_state(events).sentenced_on_day


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise ValidationError(message)


def check_event(kind: str, when: date, data: dict, history: list[Event], today: date) -> dict:
    """Refuse an event that is unknown, incomplete, in the future or out of order; return clean data.

    ``history`` is the case's events so far. The returned dict is what gets stored.
    """
    if kind not in EVENT_KINDS:
        raise ValidationError(f"unknown event kind {kind!r} (known: {', '.join(EVENT_KINDS)})")
    _need(
        when <= today,
        f"{EVENT_KINDS[kind]} on {when:%d/%m/%Y} is in the future; record it when it has happened",
    )
    st = derive_state(history)
    kinds = {e.kind for e in history}
    first = min((e.date for e in history), default=None)
    label = EVENT_KINDS[kind]
    if st.closed and kind != "follow-up":
        raise ValidationError(f"this case is closed ({st.label.lower()}); open a new case for a new referral")
    clean: dict = {}
    reason = " ".join(str(data.get("reason") or "").split())

    def prior(*needed: str, what: str) -> None:
        _need(any(k in kinds for k in needed), f"{label} needs {what} first")
        last = max(e.date for e in history if e.kind in needed)
        noun = what.removeprefix("an ").removeprefix("a ").removeprefix("the ")
        _need(when >= last, f"{label} on {when:%d/%m/%Y} is before the {noun} on {last:%d/%m/%Y}")

    if kind == "screening":
        _need(st.sentence_date is None, "screening is recorded before sentence, not after")
    elif kind == "not-eligible":
        _need(bool(reason), "not-eligible needs a reason")
        _need(st.cl_decision is None, "the Clinical Lead has already decided; record a CL decision instead")
        prior("screening", "assessment", what="a screening or assessment")
        clean["reason"] = reason
    elif kind == "assessment":
        _need(st.sentence_date is None, "the MHTR assessment comes before sentence")
        if first:
            _need(when >= first, f"assessment on {when:%d/%m/%Y} is before the case's first event")
        if data.get("concerns"):  # a risk marked at the assessment: raises the risk items (records.casework)
            clean["concerns"] = True
    elif kind == "consent":
        _need(st.completed is None, "consent is not recorded after completion")
    elif kind == "cl-decision":
        prior("assessment", what="an assessment")
        decision = data.get("decision")
        _need(decision in ("approved", "declined"), "a Clinical Lead decision is --approved or --declined")
        _need(st.cl_decision is None, f"the Clinical Lead already decided ({st.cl_decision})")
        if decision == "declined":
            _need(bool(reason), "a declined decision needs a reason")
            clean["reason"] = reason
        clean["decision"] = decision
    elif kind == "court-report-sent":
        _need(st.cl_decision == "approved", "the court report is sent after the Clinical Lead approves")
        prior("cl-decision", what="the Clinical Lead decision")
    elif kind == "adjournment":
        _need(bool(reason), "an adjournment needs a reason")
        _need(st.sentence_date is None, "the case has already been sentenced")
        prior("screening", "assessment", what="a screening or assessment")
        clean["reason"] = reason
    elif kind == "court-outcome":
        prior("assessment", what="an assessment")
        _need(st.accepted is None, "the court outcome is already recorded; record a correction instead")
        outcome = data.get("outcome")
        _need(outcome in ("accepted", "declined"), "a court outcome is --accepted or --declined")
        clean["outcome"] = outcome
        if outcome == "accepted":
            _need(st.cl_decision == "approved", "an MHTR can only be made after the Clinical Lead approves it")
            order = (data.get("order") or "CO").upper()
            _need(order in ORDERS, f"order {order!r} is CO (Community Order) or SSO (Suspended Sentence Order)")
            sessions = _int(data.get("sessions"), DEFAULT_PLANNED_SESSIONS, "planned sessions", 1, 40)
            length = _int(data.get("length_months"), None, "order length in months", 1, 36)
            combined = data.get("combined")
            if combined:
                combined = str(combined).upper()
                _need(combined in COMBINED, f"combined requirement {combined!r} is DRR or ATR")
            clean.update(
                order=order,
                sessions=sessions,
                length_months=length,
                sentenced_on_day=bool(data.get("sentenced_on_day")),
                combined=combined or None,
            )
        else:
            _need(bool(reason), "a declined court outcome needs a reason")
            clean["reason"] = reason
    elif kind in ("case-meeting", "session", "completion", "breach"):
        _need(
            st.accepted is True,
            f"{label.lower()} needs an accepted court outcome (a sentence with an MHTR) first",
        )
        _need(
            when >= st.sentence_date,
            f"{label} on {when:%d/%m/%Y} is before the sentence on {st.sentence_date:%d/%m/%Y}",
        )
        if kind == "session":
            outcome = data.get("outcome") or "attended"
            _need(
                outcome in SESSION_OUTCOMES,
                f"session outcome {outcome!r} is one of {', '.join(SESSION_OUTCOMES)}",
            )
            _need(
                st.completed is None or bool(data.get("extra")),
                "treatment is complete; mark a session after completion as an extra session",
            )
            clean["outcome"] = outcome
            clean["final"] = bool(data.get("final"))
            if data.get("extra"):
                clean["extra"] = True
            if data.get(UNDATED) is True:  # kept through corrections too, which replay the stored data
                clean[UNDATED] = True
            if outcome == "attended":
                clean["number"] = st.sessions_attended + 1
                if st.planned_sessions and clean["number"] >= st.planned_sessions and not data.get("extra"):
                    clean["final"] = True
            for key in ("notes", "risk", "summary", "plan", "duration"):
                if data.get(key):
                    clean[key] = data[key]
            if data.get("concerns"):  # risk marked (attended) or concerns about the person (absence)
                clean["concerns"] = True
        elif kind == "completion":
            _need(st.completed is None, "completion is already recorded")
        elif kind == "breach":
            if reason:
                clean["reason"] = reason
            if data.get("mhtr_related") is not None:
                clean["mhtr_related"] = bool(data["mhtr_related"])
            if data.get("outcome"):
                clean["outcome"] = data["outcome"]
    elif kind == "withdrawal":
        _need("consent" in kinds or st.accepted, "consent withdrawn needs consent or a sentence first")
    elif kind == "follow-up":
        months = _int(data.get("months"), None, "follow-up months", 3, 12)
        _need(months in (3, 6, 12), "a follow-up is at 3, 6 or 12 months")
        _need(st.completed is not None, "outcome follow-ups come after completion")
        _need(months not in st.follow_ups, f"the {months}-month follow-up is already recorded")
        _need(when >= st.completed, f"the follow-up on {when:%d/%m/%Y} is before completion")
        clean["months"] = months
    return clean


def _int(value, default, what: str, lo: int, hi: int) -> int | None:
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{what} must be a whole number, not {value!r}") from None
    if not lo <= n <= hi:
        raise ValidationError(f"{what} must be between {lo} and {hi}, not {n}")
    return n


def describe_event(kind: str, data: dict) -> str:
    """A few words on an event's details, for timelines and letters."""
    d = data or {}
    if kind == "cl-decision":
        return "approved" if d.get("decision") == "approved" else f"declined: {d.get('reason', '')}"
    if kind == "court-outcome":
        if d.get("outcome") != "accepted":
            return f"MHTR declined by the court: {d.get('reason', '')}"
        parts = [ORDER_LABELS.get(d.get("order"), d.get("order") or "")]
        if d.get("length_months"):
            parts.append(f"{d['length_months']} months")
        parts.append(f"{d.get('sessions', DEFAULT_PLANNED_SESSIONS)} sessions")
        if d.get("combined"):
            parts.append(f"with {d['combined']}")
        if d.get("sentenced_on_day"):
            parts.append("sentenced on the day")
        return "MHTR made: " + ", ".join(p for p in parts if p)
    if kind == "session":
        text = SESSION_OUTCOME_LABELS.get(d.get("outcome"), d.get("outcome") or "")
        if d.get("number"):
            text = f"session {d['number']}: {text}"
        if d.get("final"):
            text += " (final)"
        if d.get("extra"):
            text += " (extra)"
        return text
    if kind == "follow-up":
        return f"{d.get('months')} months after completion"
    if kind == "breach":
        bits = [d.get("reason") or ""]
        if d.get("mhtr_related") is not None:
            bits.append("MHTR-related" if d["mhtr_related"] else "not MHTR-related")
        if d.get("outcome"):
            bits.append(f"outcome: {d['outcome']}")
        return "; ".join(b for b in bits if b)
    return d.get("reason", "")
