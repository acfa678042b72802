"""The appointments diary: booking one session or a weekly/fortnightly series, moving, cancelling (what the
screens show of it is ``records.diary_views``).

Booking rules are checked before anything is written, and a series is all-or-nothing: a refused booking
raises ``ValidationError`` with one line for the practitioner. An overlap with another appointment in the
practitioner's own diary raises ``OverlapError`` (a ``ValidationError``) so that the app can ask and try again
with ``allow_overlap=True``. What happened at an appointment is recorded by ``records.sessions`` as a session
event; this module only manages the diary.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from checklists.model import BOOK_APPOINTMENT, Checklist
from checklists.workdays import bank_holiday_name
from db import appointments as appdb
from db import records as rec
from db.database import Database
from db.transaction import transaction
from records.app_done import complete_by_app
from records.casework import case_state, raise_occurrence
from records.clients import require_case
from vocabulary.dates import uk
from vocabulary.event_kinds import MAX_MINUTES, MIN_MINUTES
from vocabulary.identity import ValidationError, record_id
from vocabulary.stages import MAX_EXTRA_SESSIONS, CaseState
from vocabulary.text import one_line

MODES = ("in person", "phone", "video")
DEFAULT_DURATION = 60
MIN_DURATION, MAX_DURATION = MIN_MINUTES, MAX_MINUTES  # a session of the diary is as long as a session recorded
MAX_SERIES = 40
EVERY = {"week": 7, "weekly": 7, "fortnight": 14, "fortnightly": 14}
ON_HOLIDAY = ("skip", "warn")
CANCELLED_BY = ("service", "client")
STATUS_LABELS = {"booked": "Booked", "held": "Recorded", "cancelled": "Cancelled", "moved": "Moved"}


class OverlapError(ValidationError):
    """The booking overlaps other appointments in the practitioner's diary; ``clashes`` lists every one of them
    (for a series, over all its dates), and the message names the first and says how many there are."""

    def __init__(self, message: str, clashes: list[dict]):
        super().__init__(message)
        self.clashes = clashes


# --- reading what was typed -------------------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str | time) -> time:
    """``10:00``, ``9.30``, ``1430``, ``10am``, ``2:30pm``, ``noon`` -> a time; anything else is refused."""
    if isinstance(text, time):
        return text
    s = " ".join(str(text or "").strip().lower().split())
    if not s:
        raise ValidationError("no time given (e.g. 10:00 or 2:30pm)")
    if s in ("noon", "midday"):
        return time(12, 0)
    if re.fullmatch(r"\d{4}", s):
        s = f"{s[:2]}:{s[2:]}"
    m = _TIME.match(s)
    if not m:
        raise ValidationError(f"{text!r} is not a time; write it as 10:00, 14:30 or 2:30pm")
    hour, minute, half = int(m[1]), int(m[2] or 0), m[3]
    if half:
        if not 1 <= hour <= 12:
            raise ValidationError(f"{text!r} is not a time: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError(f"{text!r} is not a time of day")
    return time(hour, minute)


def parse_start(day: date | str, at: time | str, today: date) -> datetime:
    """The start of an appointment from a typed day (``20/11/2026``, ``next tue``) and time (``10:00``), the day
    within five years either side of today (``vocabulary.dates.APPOINTMENT_DATE``)."""
    from vocabulary.dates import APPOINTMENT_DATE, check_date, parse_date

    field = APPOINTMENT_DATE
    when = check_date(day, today, field) if isinstance(day, date) else parse_date(day, today, field)
    return datetime.combine(when, parse_time(at))


def series_count(text: str | int | None) -> int:
    """How many appointments were asked for: blank means one; otherwise a whole number 1 to ``MAX_SERIES``."""
    if text is None or str(text).strip() == "":
        return 1
    try:
        n = int(str(text).strip())
    except ValueError:
        raise ValidationError(f"number of sessions {text!r} must be a whole number (1 to {MAX_SERIES})") from None
    if not 1 <= n <= MAX_SERIES:
        raise ValidationError(f"a series has 1 to {MAX_SERIES} appointments, not {n}")
    return n


def _normal_mode(mode: str | None) -> str:
    m = " ".join((mode or "in person").strip().lower().replace("-", " ").split())
    return {"inperson": "in person", "person": "in person", "telephone": "phone", "call": "phone"}.get(m, m)


def check_mode(mode: str | None, place: str | None) -> tuple[str, str | None]:
    """The mode (in person, phone, video) and place; an in-person session needs a place."""
    m = _normal_mode(mode)
    if m not in MODES:
        raise ValidationError(f"mode {mode!r} is one of: {', '.join(MODES)}")
    where = one_line(place, "place") or None
    if m == "in person" and not where:
        raise ValidationError("an in-person appointment needs a place (or book it by phone or video)")
    return m, where


def check_duration(minutes: int | str | None) -> int:
    if minutes is None or minutes == "":
        return DEFAULT_DURATION
    try:
        n = int(minutes)
    except (TypeError, ValueError):
        raise ValidationError(f"duration {minutes!r} must be a whole number of minutes") from None
    if not MIN_DURATION <= n <= MAX_DURATION:
        raise ValidationError(f"duration must be {MIN_DURATION} to {MAX_DURATION} minutes, not {n}")
    return n


def when_text(dt: datetime) -> str:
    """``20/11/2026 10:00`` for messages and documents."""
    return f"{dt:%d/%m/%Y %H:%M}"


def to_iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def week_start(d: date) -> date:
    """The Monday of ``d``'s week (diary weeks run Monday to Sunday)."""
    return d - timedelta(days=d.weekday())


# --- pure booking rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPlan:
    """The start times of a series, the bank holidays it stepped over, and the warnings to show."""

    starts: tuple[datetime, ...]
    skipped: tuple[date, ...] = ()
    warnings: tuple[str, ...] = ()


def plan_series(first: datetime, count: int, every: str = "week", on_holiday: str = "skip") -> SeriesPlan:
    """``count`` appointments every week or fortnight from ``first``.

    ``on_holiday="skip"`` leaves out an occurrence on an England & Wales bank holiday and adds one at the end,
    so the series still has ``count`` appointments; ``"warn"`` keeps it and says which day is a holiday.
    """
    step = EVERY.get(str(every).strip().lower())
    if step is None:
        raise ValidationError(f"a series is every week or every fortnight, not {every!r}")
    if on_holiday not in ON_HOLIDAY:
        raise ValidationError(f"bank holidays are either skipped or warned about ({' or '.join(ON_HOLIDAY)})")
    if not isinstance(count, int) or not 1 <= count <= MAX_SERIES:
        raise ValidationError(f"a series has 1 to {MAX_SERIES} appointments, not {count!r}")
    starts: list[datetime] = []
    skipped: list[date] = []
    warnings: list[str] = []
    dt = first
    while len(starts) < count:
        holiday = bank_holiday_name(dt.date())
        if holiday and on_holiday == "skip":
            skipped.append(dt.date())
        else:
            if holiday:
                warnings.append(f"{uk(dt.date())} is a bank holiday ({holiday})")
            starts.append(dt)
        dt += timedelta(days=step)
    return SeriesPlan(tuple(starts), tuple(skipped), tuple(warnings))


def booking_problem(state: CaseState, start: datetime, now: datetime) -> str | None:
    """Why a session cannot be booked for a case in ``state`` at ``start``, or None if it can."""
    if start < now:
        return f"{when_text(start)} is in the past; record what happened instead of booking it"
    if state.closed:
        return f"this case is closed ({state.label_in_sentence}); no sessions can be booked"
    if state.accepted is not True or state.sentence_date is None:
        return f"sessions are booked after a sentence with an MHTR; this case is at '{state.label_in_sentence}'"
    if start.date() < state.sentence_date:
        return f"{when_text(start)} is before the sentence on {uk(state.sentence_date)}"
    end = state.order_end
    if end is not None and start.date() > end and state.completed is None:
        return (f"{when_text(start)} is after the order ended on {uk(end)}; sessions are booked within the order "
                "(an extra session after completion excepted)")
    return None


def overlaps(start: datetime, minutes: int, others: list[dict], exclude: int | None = None) -> list[dict]:
    """The appointments in ``others`` (rows with starts_at, duration_min, status) that overlap the slot."""
    end = start + timedelta(minutes=minutes)
    out = []
    for o in others:
        if o.get("id") == exclude or o.get("status") not in appdb.OCCUPYING:
            continue
        o_start = from_iso(o["starts_at"])
        o_end = o_start + timedelta(minutes=int(o["duration_min"]))
        if o_start < end and start < o_end:
            out.append(o)
    return out


def clashing(appts: list[dict]) -> set[int]:
    """Ids of the appointments in ``appts`` that overlap another one holding the time (as ``overlaps`` tells,
    for a whole week at once: each start read once, then one pass in time order instead of every pair)."""
    slots = []
    for a in appts:
        if a.get("status") in appdb.OCCUPYING:
            start = from_iso(a["starts_at"])
            slots.append((start, start + timedelta(minutes=int(a["duration_min"])), a["id"]))
    slots.sort()
    out: set[int] = set()
    latest_end: datetime | None = None
    latest_id = 0
    for start, end, ident in slots:
        if latest_end is not None and start < latest_end:
            out.update((ident, latest_id))
        if latest_end is None or end > latest_end:
            latest_end, latest_id = end, ident
    return out


def _clash_message(start: datetime, minutes: int, clash: dict, more: int = 0) -> str:
    """The first clash in words, and how many more there are (a yes to "book it anyway" books over them all)."""
    c_start = from_iso(clash["starts_at"])
    c_end = c_start + timedelta(minutes=int(clash["duration_min"]))
    end = start + timedelta(minutes=minutes)
    text = f"{when_text(start)}-{end:%H:%M} overlaps {clash['ref']}'s appointment {when_text(c_start)}-{c_end:%H:%M}"
    return text + (f"; {more + 1} clashes in all" if more else "")


# --- writing ----------------------------------------------------------------------------------------------


def require_appointment(db: Database, appointment_id: int | str) -> dict:
    aid = record_id(str(appointment_id).strip().lstrip("Aa#"), "appointment")
    row = appdb.get_appointment(db, aid)
    if row is None:
        raise ValidationError(f"no appointment {aid}")
    return row


def _extras_used(db: Database, case_id: int, completed: date, now: datetime, exclude: int | None = None) -> int:
    """Extra sessions after completion already recorded plus those booked ahead (less one being moved)."""
    recorded = sum(1 for e in rec.events_of_case(db, case_id) if e["kind"] == "session" and e["data"].get("extra"))
    booked = appdb.booked_after(db, case_id, to_iso(max(now, datetime.combine(completed, time(0)))))
    return recorded + sum(1 for b in booked if b["id"] != exclude)


def _check_slots(
    db: Database,
    case: dict,
    starts: list[datetime],
    minutes: int,
    now: datetime,
    allow_overlap: bool,
    exclude: int | None = None,
) -> CaseState:
    state = case_state(db, case["case_id"])
    if case.get("case_archived_at"):
        raise ValidationError(f"{case['ref']} is archived; no sessions can be booked")
    for start in starts:
        problem = booking_problem(state, start, now)
        if problem:
            raise ValidationError(problem)
    if state.completed is not None:
        used = _extras_used(db, case["case_id"], state.completed, now, exclude)
        if used + len(starts) > MAX_EXTRA_SESSIONS:
            raise ValidationError(
                f"treatment is complete: up to {MAX_EXTRA_SESSIONS} extra sessions, and {used} already "
                "recorded or booked"
            )
    if not allow_overlap:
        found = _clashes(starts, minutes, _nearby(db, starts, minutes), exclude)
        if found:  # the clashes in full (whose appointment each is), for the message and the form that asks
            full = {a["id"]: a for a in appdb.appointments_with_ids(db, sorted({c["id"] for _, c in found}))}
            found = [(start, full[clash["id"]]) for start, clash in found]
            start, clash = found[0]
            raise OverlapError(_clash_message(start, minutes, clash, len(found) - 1), [c for _, c in found])
    return state


def _windows(starts: Sequence[datetime], minutes: int) -> list[tuple[str, str]]:
    """For each slot, when something must start to overlap it: no session is longer than MAX_DURATION."""
    reach, length = timedelta(minutes=MAX_DURATION), timedelta(minutes=minutes)
    return [(to_iso(s - reach), to_iso(s + length)) for s in starts]


def _nearby(db: Database, starts: Sequence[datetime], minutes: int) -> list[dict]:
    """What holds the time close enough to any of the slots to overlap it (id, start, length, status)."""
    return appdb.slots_within(db, _windows(starts, minutes), statuses=appdb.OCCUPYING)


def _clashes(
    starts: Sequence[datetime],
    minutes: int,
    nearby: list[dict],
    exclude: int | None = None,
    windows: Sequence[tuple[str, str]] | None = None,
) -> list[tuple[datetime, dict]]:
    """Each slot with each appointment of ``nearby`` (in time order, as ``slots_within`` reads them) it overlaps,
    slot by slot. Each slot is compared only with what starts in its own window (``windows``: the slots' own, when
    the caller has them), found by halving (ISO text sorts as time): nothing outside it can overlap the slot, and a
    long series, or several, do not look at every nearby start once per slot."""
    begins = [o["starts_at"] for o in nearby]
    return [
        (start, clash)
        for start, (first, last) in zip(starts, windows or _windows(starts, minutes), strict=True)
        for clash in overlaps(start, minutes, nearby[bisect_left(begins, first) : bisect_left(begins, last)], exclude)
    ]


def first_free_series(db: Database, candidates: Sequence[Sequence[datetime]], minutes: int) -> int | None:
    """The place in ``candidates`` (each the starts of a series, as ``plan_series`` makes them) of the first series
    that overlaps nothing in the diary, or None if each one does: the clash check ``book_series`` makes, for several
    series at once with one read of the diary. Looking for a free hour by booking at each in turn read the diary
    and refused once per hour taken (the demo, filling a diary of thousands, tried about seven hours a case)."""
    windows = [_windows(starts, minutes) for starts in candidates]
    nearby = appdb.slots_within(db, [w for each in windows for w in each], statuses=appdb.OCCUPYING)
    return next((i for i, starts in enumerate(candidates) if not _clashes(starts, minutes, nearby, None, windows[i])),
                None)


def book_appointment(
    db: Database,
    ref: str,
    start: datetime,
    *,
    duration_min: int | str | None = None,
    mode: str | None = None,
    place: str | None = None,
    note: str | None = None,
    allow_overlap: bool = False,
    now: datetime,
    checklist: Checklist,
) -> int:
    """Book one session for the case ``ref``; returns the appointment id."""
    ids = _book(db, ref, [start], None, duration_min, mode, place, note, allow_overlap, now, checklist)
    return ids[0]


@dataclass
class SeriesResult:
    series: str
    ids: list[int] = field(default_factory=list)
    starts: list[datetime] = field(default_factory=list)
    skipped: list[date] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def book_series(
    db: Database,
    ref: str,
    first: datetime,
    count: int,
    *,
    every: str = "week",
    on_holiday: str = "skip",
    duration_min: int | str | None = None,
    mode: str | None = None,
    place: str | None = None,
    note: str | None = None,
    allow_overlap: bool = False,
    now: datetime,
    checklist: Checklist,
) -> SeriesResult:
    """Book ``count`` sessions every week or fortnight from ``first``, all or none (see ``plan_series``)."""
    plan = plan_series(first, count, every, on_holiday)
    case = require_case(db, ref)
    series = f"{case['ref']}-{first:%Y%m%d%H%M}"
    ids = _book(db, ref, list(plan.starts), series, duration_min, mode, place, note, allow_overlap, now, checklist)
    return SeriesResult(series, ids, list(plan.starts), list(plan.skipped), list(plan.warnings))


def _book(
    db: Database,
    ref: str,
    starts: list[datetime],
    series: str | None,
    duration_min: int | str | None,
    mode: str | None,
    place: str | None,
    note: str | None,
    allow_overlap: bool,
    now: datetime,
    checklist: Checklist,
) -> list[int]:
    minutes = check_duration(duration_min)
    mode, place = check_mode(mode, place)
    note = one_line(note, "note") or None
    with transaction(db):
        case = require_case(db, ref)
        _check_slots(db, case, starts, minutes, now, allow_overlap)
        # Booking is the rearranging a missed appointment asked for (``done_by = book-appointment``).
        complete_by_app(db, checklist, case["case_id"], BOOK_APPOINTMENT,
                        f"appointment booked for {when_text(starts[0])}")
        return [
            appdb.insert_appointment(
                db,
                {
                    "case_id": case["case_id"],
                    "starts_at": to_iso(s),
                    "duration_min": minutes,
                    "place": place,
                    "mode": mode,
                    "series": series,
                    "note": note,
                },
            )
            for s in starts
        ]


def _require_booked(appt: dict) -> None:
    if appt["status"] == "booked":
        return
    if appt["status"] == "moved":
        raise ValidationError(f"appointment {appt['id']} was moved (now appointment {appt['moved_to']})")
    if appt["status"] == "held":
        raise ValidationError(f"appointment {appt['id']} already has its session recorded")
    raise ValidationError(f"appointment {appt['id']} is cancelled")


def move_appointment(
    db: Database,
    appointment_id: int | str,
    new_start: datetime,
    *,
    duration_min: int | str | None = None,
    mode: str | None = None,
    place: str | None = None,
    reason: str | None = None,
    allow_overlap: bool = False,
    now: datetime,
) -> int:
    """Move a booked appointment: the old one is kept as 'moved' and points to the new one; returns the new id."""
    with transaction(db):
        old = require_appointment(db, appointment_id)
        _require_booked(old)
        minutes = check_duration(duration_min if duration_min not in (None, "") else old["duration_min"])
        same_mode = not mode or _normal_mode(mode) == old["mode"]
        if place is None and same_mode:
            place = old["place"]
        new_mode, new_place = check_mode(mode or old["mode"], place)
        if to_iso(new_start) == old["starts_at"] and minutes == old["duration_min"]:
            raise ValidationError(f"appointment {old['id']} is already at {when_text(new_start)}")
        case = require_case(db, old["ref"])
        _check_slots(db, case, [new_start], minutes, now, allow_overlap, exclude=old["id"])
        new_id = appdb.insert_appointment(
            db,
            {
                "case_id": old["case_id"],
                "starts_at": to_iso(new_start),
                "duration_min": minutes,
                "place": new_place,
                "mode": new_mode,
                "series": old["series"],
                "note": old["note"],
            },
        )
        appdb.update_appointment(
            db, old["id"], {"status": "moved", "moved_to": new_id, "reason": one_line(reason, "reason") or None}
        )
    return new_id


def cancel_appointment(
    db: Database,
    appointment_id: int | str,
    *,
    by: str = "service",
    reason: str | None = None,
    today: date,
    checklist: Checklist,
) -> dict:
    """Cancel a booked appointment (by the service or by the client), keeping it in the diary as cancelled.

    The cancellation is an occurrence the checklist may act on (``appointment-cancelled``, with ``by``): one the
    client cancelled is a missed appointment, to rearrange ``today``.
    """
    who = (by or "").strip().lower()
    if who not in CANCELLED_BY:
        raise ValidationError(f"an appointment is cancelled by the {' or the '.join(CANCELLED_BY)}, not {by!r}")
    with transaction(db):
        appt = require_appointment(db, appointment_id)
        _require_booked(appt)
        appdb.update_appointment(
            db,
            appt["id"],
            {"status": "cancelled", "cancelled_by": who, "reason": one_line(reason, "reason") or None},
        )
        raise_occurrence(db, appt["case_id"], "appointment-cancelled", today, {"by": who},
                         period=f"appointment-{appt['id']}", checklist=checklist)
        return require_appointment(db, appt["id"])


def cancel_booked_after(db: Database, case_id: int, after: datetime, reason: str) -> list[int]:
    """Cancel (by the service) every booked appointment of a case from ``after`` on; returns their ids."""
    ids = []
    with transaction(db):
        for appt in appdb.booked_after(db, case_id, to_iso(after)):
            fate = {"status": "cancelled", "cancelled_by": "service", "reason": reason}
            appdb.update_appointment(db, appt["id"], fate)
            ids.append(appt["id"])
    return ids



