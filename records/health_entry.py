"""The health-system entry of a recorded session: the text a practitioner pastes into the trust's health record
(heading, attendance, risk, summary, plan, questionnaires that day, the next booking), and ticking its task once
it has been copied. ``health_entry_text`` is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from checklists.model import HEALTH_ENTRY, Checklist
from db import appointments as appdb
from db import records as rec
from db.database import Database
from records.app_done import complete_by_app
from records.appointments import from_iso, require_appointment, to_iso, when_text
from records.casework import case_state
from records.diary_views import where_text
from records.questionnaire_records import timepoint_for_case
from records.sessions import recorded_session
from vocabulary.event_kinds import SESSION_OUTCOME_LABELS
from vocabulary.identity import ValidationError, record_id


@dataclass(frozen=True)
class HealthEntry:
    """The facts of one session as the trust's record needs them (all plain values)."""

    day: date
    outcome: str
    start: str | None = None  # "10:00"
    duration_min: int | None = None
    mode: str | None = None
    place: str | None = None
    number: int | None = None
    planned: int | None = None
    final: bool = False
    extra: bool = False
    risk: str | None = None
    summary: str | None = None
    plan: str | None = None
    notes: str | None = None
    questionnaires: tuple[str, ...] = ()
    next_appointment: str | None = None


MISSING = "[not entered]"


def health_entry_text(e: HealthEntry) -> str:
    """The entry to paste into the trust's health record: heading, attendance, risk, summary, plan.

    Plain ASCII lines, since clinical systems mangle other characters; an attended session always shows the
    three headings, marking an empty one ``[not entered]`` rather than leaving a gap that reads as "none".
    """
    if e.extra:
        what = "MHTR extra session (after completion)"
    elif e.number:
        what = f"MHTR treatment session {e.number}" + (f" of {e.planned}" if e.planned else "")
    else:
        what = "MHTR treatment session"
    when = f"{e.day:%d/%m/%Y}" + (f" {e.start}" if e.start else "")
    details = []
    if e.duration_min and e.outcome == "attended":
        details.append(f"{e.duration_min} min")
    if e.mode == "in person":
        details.append("in person" + (f" at {e.place}" if e.place else ""))
    elif e.mode:
        details.append(where_text(e.mode, e.place).lower())
    lines = [f"{what} - {when}" + (f" ({', '.join(details)})" if details else "")]
    lines.append(f"Attendance: {SESSION_OUTCOME_LABELS.get(e.outcome, e.outcome)}")
    if e.final and not e.extra:
        lines.append("Final session of the Mental Health Treatment Requirement.")
    attended = e.outcome == "attended"
    for label, value in (("Risk", e.risk), ("Summary", e.summary), ("Plan", e.plan)):
        if value or attended:
            lines.append(f"{label}: {_ascii(value) if value else MISSING}")
    if e.notes:
        lines.append(f"Notes: {_ascii(e.notes)}")
    if e.questionnaires:
        lines.append("Questionnaires: " + "; ".join(e.questionnaires))
    if e.next_appointment:
        lines.append(f"Next appointment: {e.next_appointment}")
    return "\n".join(lines)


_ASCII = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "})


def _ascii(text: str) -> str:
    return text.translate(_ASCII)


def questionnaire_line(instrument: str, items: list) -> str:
    """``PHQ-9 12 (moderate)``: the instrument with its total or mean and band, from ``questionnaires.score``."""
    import questionnaires

    score = getattr(questionnaires, "score", None)
    if score is None:  # the scoring package is not installed in this build: name the instrument only
        return instrument
    try:
        result = score(instrument, items)
    except (ValueError, KeyError):
        return instrument
    if not result.get("valid"):
        return f"{instrument} (incomplete)"
    value = result.get("total")
    if value is None:
        value = result.get("mean") if result.get("mean") is not None else result.get("clinical")
    band = result.get("band") or result.get("band_abs")
    text = instrument if value is None else f"{instrument} {value}"
    return f"{text} ({band})" if band else text


def health_entry_for_event(db: Database, event_id: int | str) -> str:
    """The health-system entry for a recorded session (its appointment, questionnaires that day, next booking)."""
    eid = record_id(event_id, "event")
    eid = appdb.latest_versions(db, [eid]).get(eid, eid)
    ev = recorded_session(db, eid)
    appt = appdb.appointment_for_event(db, eid)
    state = case_state(db, ev["case_id"])
    day = date.fromisoformat(ev["date"])
    after = from_iso(appt["starts_at"]) + timedelta(minutes=1) if appt else datetime.combine(day, time(23, 59))
    following = appdb.next_booked(db, to_iso(after), ev["case_id"])
    nxt = None
    if following:
        f = following[0]
        place = where_text(f["mode"], f["place"])
        nxt = when_text(from_iso(f["starts_at"])) + (f", {place}" if place else "")
    d = ev["data"]
    done = [
        questionnaire_line(q["instrument"], q["items"])
        for q in rec.questionnaires_of_case(db, ev["case_id"])
        if q["date"] == ev["date"]
    ]
    entry = HealthEntry(
        day=day,
        outcome=d.get("outcome", "attended"),
        start=f"{from_iso(appt['starts_at']):%H:%M}" if appt else None,
        duration_min=d.get("duration"),
        mode=appt["mode"] if appt else None,
        place=appt["place"] if appt else None,
        number=d.get("number"),
        planned=state.planned_sessions,
        final=bool(d.get("final")),
        extra=bool(d.get("extra")),
        risk=d.get("risk"),
        summary=d.get("summary"),
        plan=d.get("plan"),
        notes=d.get("notes"),
        questionnaires=tuple(done),
        next_appointment=nxt,
    )
    return health_entry_text(entry)


def tick_health_entry(db: Database, event_id: int | str, checklist: Checklist) -> list[str]:
    """Close, done by mhtr-tui, the open tasks of the session ``event_id`` (its latest version) whose item names
    ``health-entry`` in ``done_by``: the entry has been copied for pasting into the trust's record. Returns the
    titles closed (none if they were done already)."""
    eid = record_id(event_id, "event")
    eid = appdb.latest_versions(db, [eid]).get(eid, eid)
    ev = appdb.event_with_case(db, eid)
    if ev is None:
        raise ValidationError(f"event {eid} is not a recorded session")
    return complete_by_app(db, checklist, ev["case_id"], HEALTH_ENTRY, "health-system entry copied", [eid])


def session_slot(db: Database, event_id: int | str) -> tuple[str, date, str]:
    """Where a questionnaire done in a recorded session belongs: the case reference, the session's day and its
    timepoint, ``session-N`` for the Nth session attended (a form given at a session the client missed has no
    number of its own: the case's timepoint on that day)."""
    eid = record_id(event_id, "event")
    eid = appdb.latest_versions(db, [eid]).get(eid, eid)
    ev = recorded_session(db, eid)
    day = date.fromisoformat(ev["date"])
    number = ev["data"].get("number")
    return ev["ref"], day, f"session-{number}" if number else timepoint_for_case(db, ev["ref"], day)


def health_entry_for_appointment(db: Database, appointment_id: int | str) -> str:
    appt = require_appointment(db, appointment_id)
    if not appt["event_id"]:
        raise ValidationError(f"appointment {appt['id']} has no session recorded yet")
    return health_entry_for_event(db, appt["event_id"])
