"""After a session: the attendance record (a session event linked to its appointment), what the Today and Client
screens show from the diary, and the end of treatment by withdrawal (the health-system entry of a session is
``records.health_entry``).

``log_session`` is the way the app and the command line record what happened at an appointment; it writes the
event through ``casework.record_event`` (so the checklist starts its "following a treatment session" items,
the same-working-day RO task on an unacceptable absence and the breach-decision deadline on the second)
and marks the appointment in the same transaction. The guidance clocks are
``records.clocks``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from checklists.model import Checklist
from db import appointments as appdb
from db import records as rec
from db.database import Database
from db.transaction import transaction
from records.appointments import cancel_booked_after, check_duration, from_iso, require_appointment
from records.casework import EventResult, case_state, record_event
from records.clients import require_case
from records.clocks import breach_alerts, clocks_for_case
from vocabulary.dates import EVENT_DATE, parse_date, uk
from vocabulary.event_kinds import SESSION_OUTCOMES
from vocabulary.identity import ValidationError
from vocabulary.stages import MAX_EXTRA_SESSIONS, CaseState

# What an outcome does to its appointment in the diary.
APPOINTMENT_STATUS_FOR = {
    "attended": "held",
    "acceptable-absence": "held",
    "unacceptable-absence": "held",
    "cancelled-by-service": "cancelled",
    "rescheduled": "moved",
}


# --- recording a session ----------------------------------------------------------------------------------


@dataclass
class SessionLog:
    """What ``log_session`` wrote: the session event, the appointment it closed, and any completion."""

    event_id: int
    appointment_id: int | None
    result: EventResult
    final: bool = False
    completion: EventResult | None = None


def log_session(
    db: Database,
    ref: str | None = None,
    when: date | str | None = None,
    outcome: str = "attended",
    *,
    appointment_id: int | str | None = None,
    duration_min: int | str | None = None,
    risk: str | None = None,
    summary: str | None = None,
    plan: str | None = None,
    notes: str | None = None,
    final: bool = False,
    extra: bool | None = None,
    complete: bool = False,
    completion: Mapping[str, Any] | None = None,
    concerns: bool = False,
    today: date,
    now: datetime | None = None,
    checklist: Checklist,
) -> SessionLog:
    """Record what happened at a session, in probation's terms, and close its appointment.

    With ``appointment_id`` the session takes the appointment's case and date; without it, the case's one
    booked appointment on that date (if there is exactly one) is linked. After completion a session is an
    extra one (at most three). ``complete`` records completion the same day when this is the final session, with
    ``completion`` its details (the completion kind's fields in ``vocabulary.event_kinds``: accommodation at the end,
    referrals and signposting), checked as the event form's are; a refused detail writes nothing, session included.
    ``concerns`` is the form's box: at an attended session a risk marked (the checklist's risk items, urgent), at
    an absence concerns about the person (the care coordinator is told within 24 hours).

    ``now`` is the time of the recording: an appointment that starts after it has not happened yet, so its
    outcome is refused (an "unacceptable absence" at 04:18 for 23:00 would start the breach clock). Every
    front end passes its clock (``today`` and ``now``); a caller that gives only ``today`` means the end of that
    day (dates alone, as before appointments had times).
    """
    if now is None:
        now = datetime.combine(today, time.max)
    outcome = (outcome or "attended").strip().lower()
    if outcome not in SESSION_OUTCOMES:
        raise ValidationError(f"session outcome {outcome!r} is one of {', '.join(SESSION_OUTCOMES)}")
    # The notes are cleaned and checked with the session's other fields (vocabulary.event_kinds).
    fields = {"risk": risk, "summary": summary, "plan": plan, "notes": notes}
    with transaction(db):
        appt = None
        if appointment_id is not None:
            appt = require_appointment(db, appointment_id)
            if ref and require_case(db, ref)["case_id"] != appt["case_id"]:
                raise ValidationError(f"appointment {appt['id']} belongs to {appt['ref']}, not {ref}")
            ref = appt["ref"]
            day = from_iso(appt["starts_at"]).date()
            if when is not None:
                given = when if isinstance(when, date) else parse_date(when, today, EVENT_DATE)
                if given != day:
                    raise ValidationError(f"appointment {appt['id']} is on {uk(day)}, not {uk(given)}")
            when = day
        else:
            if not ref:
                raise ValidationError("a session needs a case reference or an appointment")
            when = today if when is None else when if isinstance(when, date) else parse_date(when, today, EVENT_DATE)
            case = require_case(db, ref)
            same_day = [
                a
                for a in appdb.booked_after(db, case["case_id"], f"{when}T00:00")
                if from_iso(a["starts_at"]).date() == when
            ]
            # Only an appointment that has started can be the one that happened. When every booking of the day
            # is still ahead, the session is the first of them, refused below as too early to record.
            started = [a for a in same_day if not too_early(from_iso(a["starts_at"]), now)]
            if len(started) == 1:
                appt = started[0]
            elif not started and same_day:
                appt = same_day[0]
            else:  # none booked that day, or several held: a session of its own
                appt = None
        if appt is not None and appt["status"] != "booked":
            done = "already has its session recorded" if appt["status"] == "held" else f"is {appt['status']}"
            raise ValidationError(f"appointment {appt['id']} {done}")
        problem = too_early(from_iso(appt["starts_at"]), now) if appt is not None else None
        if problem:
            raise ValidationError(problem)
        case = require_case(db, ref)
        state = case_state(db, case["case_id"])
        if extra is None:
            extra = state.completed is not None
        if extra and state.completed is None:
            raise ValidationError("an extra session comes after completion; this case is not complete")
        if extra:
            used = sum(1 for e in rec.events_of_case(db, case["case_id"]) if e["data"].get("extra"))
            if used >= MAX_EXTRA_SESSIONS:
                raise ValidationError(f"the {MAX_EXTRA_SESSIONS} extra sessions after completion are all recorded")
        data: dict = {"outcome": outcome, "final": bool(final), "extra": bool(extra), "concerns": bool(concerns)}
        if outcome == "attended":
            minutes = duration_min if duration_min not in (None, "") else (appt["duration_min"] if appt else None)
            if minutes not in (None, ""):
                data["duration"] = check_duration(minutes)
        data.update({k: v for k, v in fields.items() if v})
        result = record_event(db, ref, "session", when, data, today, checklist=checklist)
        if appt is not None:
            update: dict = {"status": APPOINTMENT_STATUS_FOR[outcome], "event_id": result.event_id}
            if outcome == "cancelled-by-service":
                update["cancelled_by"] = "service"
            appdb.update_appointment(db, appt["id"], update)
        completed = None
        stored = recorded_session(db, result.event_id)
        if complete:
            if not stored["data"].get("final"):
                raise ValidationError("completion is recorded after the final session; this one is not final")
            completed = record_event(db, ref, "completion", when, dict(completion or {}), today, checklist=checklist)
    return SessionLog(
        result.event_id, appt["id"] if appt else None, result, bool(stored["data"].get("final")), completed
    )


def too_early(start: datetime, now: datetime) -> str | None:
    """Why no outcome can be recorded yet for an appointment starting at ``start``, or None once it has started.

    Pure, so the Diary can say it before asking what happened, and ``log_session`` refuses with the same words.
    """
    if start <= now:
        return None
    days = (start.date() - now.date()).days
    when = {0: f"at {start:%H:%M} today", 1: f"at {start:%H:%M} tomorrow"}.get(
        days, f"on {uk(start.date())} at {start:%H:%M}"
    )
    return f"that appointment is {when}; record what happened once it has started"


def record_attendance(db: Database, appointment_id: int | str, outcome: str, **kwargs: Any) -> SessionLog:
    """``log_session`` for one appointment (the Diary screen's "record attendance")."""
    return log_session(db, None, None, outcome, appointment_id=appointment_id, **kwargs)


def withdraw_consent(
    db: Database,
    ref: str,
    when: date | str | None = None,
    *,
    today: date,
    now: datetime | None = None,
    checklist: Checklist,
    reason: str | None = None,
) -> tuple[EventResult, list[int]]:
    """Consent withdrawn: record it with the person's reason (the checklist closes treatment items and starts the
    return to court) and cancel the case's booked appointments from that day on. Returns the event result and the
    cancelled ids.
    """
    day = today if when is None else when if isinstance(when, date) else parse_date(when, today, EVENT_DATE)
    with transaction(db):
        result = record_event(db, ref, "withdrawal", day, {"reason": reason} if reason else {}, today,
                              checklist=checklist)
        case = require_case(db, ref)
        after = max(datetime.combine(day, time(0)), now or datetime.combine(day, time(0)))
        cancelled = cancel_booked_after(db, case["case_id"], after, "consent withdrawn")
    return result, cancelled


def session_progress(state: CaseState) -> str:
    """``7 of 12`` sessions attended, for the Client and Caseload screens."""
    planned = state.planned_sessions
    return f"{state.sessions_attended} of {planned}" if planned else str(state.sessions_attended)


# --- what the Today, Caseload and Client screens show from the diary ------------------------------------------


def short_clock_name(clock: dict) -> str:
    """'First session (6 weeks from sentence)' -> '1st session', for a one-line summary (the checklist's
    ``clock_short``)."""
    return clock.get("short") or clock["name"].split(" (")[0]


def diary_glance(db: Database, now: datetime, checklist: Checklist) -> dict:
    """For the Today screen: the practitioner's next booked appointment (any client), how many appointments
    today holds, and the RO breach-decision deadlines still awaited.
    """
    from records.diary_views import first_booked

    day = now.date()
    end = day + timedelta(days=1)
    todays = appdb.appointments_between(db, f"{day}T00:00", f"{end}T00:00", statuses=appdb.OCCUPYING)
    return {
        "next": first_booked(db, now),
        "booked_today": len(todays),
        "breach": breach_alerts(db, day, checklist),
    }


def case_glance(db: Database, ref: str, now: datetime, checklist: Checklist) -> dict:
    """For the Client summary: the case's next appointment and the guidance clocks still running (not yet met)."""
    from records.diary_views import next_appointment

    clocks = [
        c for c in clocks_for_case(db, ref, now.date(), checklist) if c["status"] != "met" and c["met_on"] is None
    ]
    return {"next": next_appointment(db, ref, now), "clocks": clocks}


def recorded_session(db: Database, eid: int) -> dict:
    """The recorded session ``eid`` with its case reference, RO and client name, refused if it is not one."""
    ev = appdb.event_with_case(db, eid)
    if ev is None or ev["kind"] != "session":
        raise ValidationError(f"event {eid} is not a recorded session")
    return ev
