"""What the Diary, Today, Caseload and Client screens show of the appointments diary: the week view, a case's
appointments with what happened at each, the next appointment per case. Read models only: booking, moving and
cancelling are ``records.appointments``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from checklists.workdays import bank_holiday_name
from db import appointments as appdb
from db import records as rec
from db.database import Database
from records.appointments import STATUS_LABELS, clashing, from_iso, to_iso, week_start
from records.clients import require_case
from vocabulary.dates import uk
from vocabulary.event_kinds import SESSION_OUTCOME_LABELS
from vocabulary.stages import CaseState


def where_text(mode: str, place: str | None) -> str:
    """``Brook House`` for an in-person session, ``Phone`` or ``Video (link sent)`` otherwise."""
    if mode == "in person":
        return place or ""
    return mode.capitalize() + (f" ({place})" if place else "")


def attendance_text(row: dict, event: dict | None, now: datetime) -> str:
    """What happened at an appointment, in probation's terms, for the diary and the weekly share."""
    if event is not None:
        return SESSION_OUTCOME_LABELS.get(event["data"].get("outcome"), event["data"].get("outcome") or "")
    status = row.get("status")
    if status == "moved":
        return "Rescheduled"
    if status == "cancelled":
        return f"Cancelled by {row.get('cancelled_by') or 'service'}"
    if status == "booked" and from_iso(row["starts_at"]) < now:
        return "Outcome not yet recorded"
    return "Booked"


def session_text(event: dict | None, planned: int | None) -> str:
    """``3 of 12`` for an attended session, ``extra`` after completion, '' otherwise."""
    if event is None:
        return ""
    d = event["data"]
    if d.get("extra"):
        return "extra"
    if d.get("number"):
        return f"{d['number']} of {planned}" if planned else str(d["number"])
    return ""


def appointment_dict(row: dict, event: dict | None, state: CaseState | None, now: datetime) -> dict:
    """One appointment as the screens and ``--json`` show it (plain JSON-ready values)."""
    start = from_iso(row["starts_at"])
    end = start + timedelta(minutes=int(row["duration_min"]))
    planned = state.planned_sessions if state else None
    return {
        "id": row["id"],
        "case_id": row["case_id"],
        "ref": row["ref"],
        "name": row["client_name"],
        "ro_name": row.get("ro_name"),
        "ro_contact": row.get("ro_contact"),
        "starts_at": row["starts_at"],
        "date": start.date().isoformat(),
        "date_uk": uk(start.date()),
        "time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "duration_min": int(row["duration_min"]),
        "mode": row["mode"],
        "place": row["place"],
        "where": where_text(row["mode"], row["place"]),
        "status": row["status"],
        "status_label": STATUS_LABELS.get(row["status"], row["status"]),
        "series": row["series"],
        "note": row["note"],
        "cancelled_by": row.get("cancelled_by"),
        "reason": row.get("reason"),
        "moved_to": row.get("moved_to"),
        "event_id": row["event_id"],
        "outcome": event["data"].get("outcome") if event else None,
        "attendance": attendance_text(row, event, now),
        "session": session_text(event, planned),
        "final": bool(event and event["data"].get("final")),
        "extra": bool(event and event["data"].get("extra")),
        "past": start < now,
        "awaiting_outcome": row["status"] == "booked" and start < now,
        "bank_holiday": bank_holiday_name(start.date()),
    }


def _events_and_states(
    db: Database, case_ids: list[int], linked: list[int] | None = None
) -> tuple[dict[int, dict], dict[int, CaseState]]:
    """The events the appointments ``linked`` to, as they stand (a corrected one is found under the id its
    appointment keeps), and each case's state.

    The states come from the cases' kept states (``records.views.case_states``, derived again only for a case
    whose events changed) and only the linked events are read: a diary week read every event of every case in
    it to derive states it already had (about 0.1 s of each week key on a ten-year service).
    """
    from records.views import case_states

    ids = sorted(set(case_ids))
    states = case_states(db, ids) if ids else {}
    latest = appdb.latest_versions(db, linked or [])
    events = {e["id"]: e for e in rec.events_by_id(db, sorted(set(latest.values())))}
    for old, new in latest.items():
        if new in events:
            events[old] = events[new]
    return events, states


def diary_rows(db: Database, start: date, end: date, now: datetime) -> list[dict]:
    """Every appointment dated ``start`` to ``end`` (inclusive) across all clients, plus sessions recorded in
    that time without an appointment, in time order. Rows carry ``kind`` 'appointment' or 'session'.
    """
    appts = appdb.appointments_between(db, f"{start}T00:00", f"{end + timedelta(days=1)}T00:00")
    sessions = appdb.session_events_between(db, start.isoformat(), end.isoformat())
    case_ids = [a["case_id"] for a in appts] + [s["case_id"] for s in sessions]
    events, states = _events_and_states(db, case_ids, [a["event_id"] for a in appts])
    # A recorded session is dated on its appointment's day, so its appointment is in the same range.
    linked = {events[a["event_id"]]["id"] for a in appts if a["event_id"] in events}
    rows = []
    clashes = clashing(appts)
    for a in appts:
        d = appointment_dict(a, events.get(a["event_id"]), states.get(a["case_id"]), now)
        d["kind"] = "appointment"
        d["clash"] = a["id"] in clashes
        rows.append(d)
    for s in sessions:
        if s["id"] in linked:
            continue
        st = states.get(s["case_id"])
        rows.append(
            {
                "kind": "session",
                "id": None,
                "case_id": s["case_id"],
                "ref": s["ref"],
                "name": s["client_name"],
                "ro_name": s["ro_name"],
                "ro_contact": s["ro_contact"],
                "starts_at": f"{s['date']}T",
                "date": s["date"],
                "date_uk": uk(s["date"]),
                "time": "",
                "end_time": "",
                "duration_min": s["data"].get("duration"),
                "mode": None,
                "place": None,
                "where": "",
                "status": "recorded",
                "status_label": "Recorded (no appointment)",
                "series": None,
                "note": None,
                "cancelled_by": None,
                "reason": None,
                "moved_to": None,
                "event_id": s["id"],
                "outcome": s["data"].get("outcome"),
                "attendance": attendance_text({}, s, now),
                "session": session_text(s, st.planned_sessions if st else None),
                "final": bool(s["data"].get("final")),
                "extra": bool(s["data"].get("extra")),
                "past": True,
                "awaiting_outcome": False,
                "bank_holiday": bank_holiday_name(date.fromisoformat(s["date"])),
                "clash": False,
            }
        )
    rows.sort(key=lambda r: (r["starts_at"], r["ref"]))
    return rows


def week_view(db: Database, day: date, now: datetime) -> dict:
    """The Diary screen's week (Monday to Sunday) containing ``day``: seven days, each with its rows."""
    monday = week_start(day)
    sunday = monday + timedelta(days=6)
    rows = diary_rows(db, monday, sunday, now)
    days = []
    for i in range(7):
        d = monday + timedelta(days=i)
        days.append(
            {
                "date": d.isoformat(),
                "label": f"{d:%a} {d.day} {d:%b}",
                "bank_holiday": bank_holiday_name(d),
                "rows": [r for r in rows if r["date"] == d.isoformat()],
            }
        )
    return {
        "week_start": monday.isoformat(),
        "week_end": sunday.isoformat(),
        "label": f"Week of {monday:%A} {monday.day} {monday:%B %Y}",
        "days": days,
        "booked": sum(1 for r in rows if r["status"] == "booked"),
        "awaiting_outcome": sum(1 for r in rows if r["awaiting_outcome"]),
        "clashes": sum(1 for r in rows if r["clash"]),
    }


def case_appointments(db: Database, ref: str, now: datetime) -> list[dict]:
    """All of one case's appointments, oldest first, with what happened at each."""
    case = require_case(db, ref)
    rows = appdb.appointments_of_case(db, case["case_id"])
    events, states = _events_and_states(db, [case["case_id"]], [r["event_id"] for r in rows])
    return [appointment_dict(r, events.get(r["event_id"]), states.get(case["case_id"]), now) for r in rows]


def next_appointments(db: Database, now: datetime) -> dict[str, dict]:
    """Case reference -> its next booked appointment (from ``now``), for the Today and Caseload screens."""
    return {r["ref"]: appointment_dict(r, None, None, now) for r in appdb.next_booked(db, to_iso(now))}


def first_booked(db: Database, now: datetime) -> dict | None:
    """The practitioner's next booked appointment with any client (from ``now``), or None: the Today line."""
    rows = appdb.next_booked(db, to_iso(now))  # soonest first
    return appointment_dict(rows[0], None, None, now) if rows else None


def next_appointment(db: Database, ref: str, now: datetime) -> dict | None:
    """One case's next booked appointment, or None (Client screen, health-system entry)."""
    case = require_case(db, ref)
    rows = appdb.next_booked(db, to_iso(now), case["case_id"])
    return appointment_dict(rows[0], None, None, now) if rows else None
