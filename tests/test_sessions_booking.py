"""Booking rules for the appointments diary: one session, a series, moving and cancelling, and refusals
that leave the database exactly as it was.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from records import appointments as ap
from records import casework, clients
from records import diary_views as dv
from service.core import checklist_of
from tests.conftest import snapshot_counts
from tests.sessions_support import at, sentenced_case
from vocabulary.identity import ValidationError

NOW = at("2026-10-05 09:00")  # a Monday, after the sentence on 1 October 2026


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:00", time(10, 0)),
        ("9.30", time(9, 30)),
        ("1430", time(14, 30)),
        ("10am", time(10, 0)),
        ("2:30pm", time(14, 30)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("noon", time(12, 0)),
    ],
)
def test_times_people_type(text, expected):
    assert ap.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "10:75", "ten", "", "10:0"])
def test_times_that_are_refused(text):
    with pytest.raises(ValidationError):
        ap.parse_time(text)


def test_series_skips_christmas_bank_holidays_and_still_books_the_count():
    # Mondays from 14 December 2026: 28 December is the Boxing Day substitute holiday.
    plan = ap.plan_series(at("2026-12-14 10:00"), 4, "week", "skip")
    assert [s.date().isoformat() for s in plan.starts] == ["2026-12-14", "2026-12-21", "2027-01-04", "2027-01-11"]
    assert plan.skipped == (date(2026, 12, 28),)
    assert plan.warnings == ()


def test_series_can_keep_a_bank_holiday_with_a_warning():
    plan = ap.plan_series(at("2026-12-14 10:00"), 3, "week", "warn")
    assert [s.date().isoformat() for s in plan.starts] == ["2026-12-14", "2026-12-21", "2026-12-28"]
    assert len(plan.warnings) == 1 and plan.warnings[0].startswith("28/12/2026 is a bank holiday")


def test_fortnightly_series_over_easter_2027():
    # Fridays fortnightly from 12 March 2027: 26 March is Good Friday, skipped; the series moves on a fortnight.
    plan = ap.plan_series(at("2027-03-12 14:00"), 3, "fortnight", "skip")
    assert [s.date().isoformat() for s in plan.starts] == ["2027-03-12", "2027-04-09", "2027-04-23"]
    assert plan.skipped == (date(2027, 3, 26),)


@pytest.mark.parametrize(
    ("count", "every", "on_holiday"),
    [(0, "week", "skip"), (41, "week", "skip"), (3, "month", "skip"), (3, "week", "x")],
)
def test_series_refuses_bad_shapes(count, every, on_holiday):
    with pytest.raises(ValidationError):
        ap.plan_series(at("2026-12-14 10:00"), count, every, on_holiday)


def test_book_one_session(db):
    ref = sentenced_case(db)
    aid = ap.book_appointment(
        db, ref, at("2026-10-13 10:00"), place="Brook House", duration_min=50, now=NOW, checklist=checklist_of(db)
    )
    [row] = dv.case_appointments(db, ref, now=NOW)
    assert row["id"] == aid
    assert (row["date"], row["time"], row["end_time"], row["duration_min"]) == ("2026-10-13", "10:00", "10:50", 50)
    assert (row["mode"], row["where"], row["status"], row["attendance"]) == (
        "in person",
        "Brook House",
        "booked",
        "Booked",
    )


def test_phone_needs_no_place_but_in_person_does(db):
    ref = sentenced_case(db)
    with pytest.raises(ValidationError, match="needs a place"):
        ap.book_appointment(db, ref, at("2026-10-13 10:00"), now=NOW, checklist=checklist_of(db))
    aid = ap.book_appointment(db, ref, at("2026-10-13 10:00"), mode="phone", now=NOW, checklist=checklist_of(db))
    assert dv.case_appointments(db, ref, now=NOW)[0]["where"] == "Phone"
    assert aid


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2026-10-05 08:59", "in the past"),
        ("2026-09-30 10:00", "in the past"),
    ],
)
def test_booking_in_the_past_is_refused(db, start, message):
    ref = sentenced_case(db)
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match=message):
        ap.book_appointment(db, ref, at(start), place="Brook House", now=NOW, checklist=checklist_of(db))
    assert snapshot_counts(db) == before


def test_booking_before_sentence_is_refused(db):
    ref = sentenced_case(db, "2026-10-01")
    with pytest.raises(ValidationError, match="before the sentence on 01/10/2026"):
        ap.book_appointment(
            db, ref, at("2026-09-30 10:00"), place="Brook House", now=at("2026-09-29 09:00"), checklist=checklist_of(db)
        )


def test_booking_for_a_case_not_yet_sentenced_is_refused(db):
    ref = clients.add_client(db, {"name": "Alex Example", "dob": "1990-01-01"}, date(2026, 10, 1))
    casework.record_event(db, ref, "assessment", "2026-10-01", {}, date(2026, 10, 1), checklist=checklist_of(db))
    with pytest.raises(ValidationError, match="after a sentence with an MHTR"):
        ap.book_appointment(db, ref, at("2026-10-13 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))


def test_booking_on_a_closed_case_is_refused(db):
    ref = sentenced_case(db)
    casework.record_event(db, ref, "withdrawal", "2026-10-02", {}, date(2026, 10, 2), checklist=checklist_of(db))
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="closed"):
        ap.book_appointment(db, ref, at("2026-10-13 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    assert snapshot_counts(db) == before


def test_overlap_is_refused_unless_allowed(db):
    a = sentenced_case(db, name="Robin Synthetic")
    b = sentenced_case(db, name="Jo Placeholder")
    ap.book_appointment(db, a, at("2026-10-13 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    before = snapshot_counts(db)
    with pytest.raises(ap.OverlapError) as err:
        ap.book_appointment(db, b, at("2026-10-13 10:30"), place="Brook House", now=NOW, checklist=checklist_of(db))
    assert f"overlaps {a}'s appointment 13/10/2026 10:00-11:00" in str(err.value)
    assert [c["ref"] for c in err.value.clashes] == [a]
    assert snapshot_counts(db) == before
    ap.book_appointment(
        db, b, at("2026-10-13 10:30"), place="Brook House", allow_overlap=True, now=NOW, checklist=checklist_of(db)
    )
    week = dv.week_view(db, date(2026, 10, 13), now=NOW)
    tuesday = week["days"][1]
    assert [r["ref"] for r in tuesday["rows"]] == [a, b]
    assert all(r["clash"] for r in tuesday["rows"]) and week["clashes"] == 2


def test_back_to_back_is_not_an_overlap_and_a_cancelled_slot_is_free(db):
    a = sentenced_case(db, name="Robin Synthetic")
    b = sentenced_case(db, name="Jo Placeholder")
    first = ap.book_appointment(db, a, at("2026-10-13 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    ap.book_appointment(db, b, at("2026-10-13 11:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    with pytest.raises(ap.OverlapError):
        ap.book_appointment(db, b, at("2026-10-13 09:30"), place="Brook House", now=NOW, checklist=checklist_of(db))
    ap.cancel_appointment(
        db, first, by="client", reason="hospital appointment", today=NOW.date(), checklist=checklist_of(db)
    )
    ap.book_appointment(db, b, at("2026-10-13 09:30"), place="Brook House", now=NOW, checklist=checklist_of(db))


def test_a_series_is_all_or_nothing(db):
    a = sentenced_case(db, name="Robin Synthetic")
    b = sentenced_case(db, name="Jo Placeholder")
    ap.book_appointment(db, b, at("2026-10-27 10:15"), place="Brook House", now=NOW, checklist=checklist_of(db))
    before = snapshot_counts(db)
    with pytest.raises(ap.OverlapError, match="27/10/2026 10:00-11:00"):
        ap.book_series(db, a, at("2026-10-13 10:00"), 6, place="Brook House", now=NOW, checklist=checklist_of(db))
    assert snapshot_counts(db) == before
    result = ap.book_series(
        db, a, at("2026-10-13 10:00"), 6, every="week", place="Brook House", allow_overlap=True, now=NOW,
        checklist=checklist_of(db)
    )
    assert len(result.ids) == 6 and result.series == f"{a}-202610131000"
    rows = dv.case_appointments(db, a, now=NOW)
    assert [r["date"] for r in rows] == [
        "2026-10-13",
        "2026-10-20",
        "2026-10-27",
        "2026-11-03",
        "2026-11-10",
        "2026-11-17",
    ]
    assert {r["series"] for r in rows} == {result.series}


def test_move_keeps_the_old_appointment_as_moved(db):
    ref = sentenced_case(db)
    aid = ap.book_appointment(db, ref, at("2026-10-13 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    new = ap.move_appointment(db, aid, at("2026-10-15 14:00"), reason="client working", now=NOW)
    old_row, new_row = dv.case_appointments(db, ref, now=NOW)
    assert (old_row["id"], old_row["status"], old_row["moved_to"], old_row["reason"]) == (
        aid,
        "moved",
        new,
        "client working",
    )
    assert old_row["attendance"] == "Rescheduled"
    assert (new_row["id"], new_row["status"], new_row["starts_at"], new_row["place"]) == (
        new,
        "booked",
        "2026-10-15T14:00",
        "Brook House",
    )
    with pytest.raises(ValidationError, match=f"was moved \\(now appointment {new}\\)"):
        ap.move_appointment(db, aid, at("2026-10-16 14:00"), now=NOW)


def test_move_to_phone_drops_the_place_and_refuses_the_past_and_clashes(db):
    a = sentenced_case(db, name="Robin Synthetic")
    b = sentenced_case(db, name="Jo Placeholder")
    aid = ap.book_appointment(db, a, at("2026-10-13 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    ap.book_appointment(db, b, at("2026-10-14 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="in the past"):
        ap.move_appointment(db, aid, at("2026-10-02 10:00"), now=NOW)
    with pytest.raises(ap.OverlapError):
        ap.move_appointment(db, aid, at("2026-10-14 10:30"), now=NOW)
    assert snapshot_counts(db) == before
    # Moving within its own slot is not a clash with itself.
    new = ap.move_appointment(db, aid, at("2026-10-13 10:30"), mode="video", now=NOW)
    row = next(r for r in dv.case_appointments(db, a, now=NOW) if r["id"] == new)
    assert (row["mode"], row["place"], row["where"]) == ("video", None, "Video")


def test_cancel(db):
    ref = sentenced_case(db)
    aid = ap.book_appointment(db, ref, at("2026-10-13 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    with pytest.raises(ValidationError, match="cancelled by the service or the client"):
        ap.cancel_appointment(db, aid, by="probation", checklist=checklist_of(db), today=NOW.date())
    row = ap.cancel_appointment(db, aid, by="client", reason="  unwell ", checklist=checklist_of(db), today=NOW.date())
    assert (row["status"], row["cancelled_by"], row["reason"]) == ("cancelled", "client", "unwell")
    assert dv.case_appointments(db, ref, now=NOW)[0]["attendance"] == "Cancelled by client"
    with pytest.raises(ValidationError, match="is cancelled"):
        ap.cancel_appointment(db, aid, checklist=checklist_of(db), today=NOW.date())
    with pytest.raises(ValidationError, match="no appointment 999"):
        ap.cancel_appointment(db, 999, checklist=checklist_of(db), today=NOW.date())


def test_next_appointment_per_case(db):
    a = sentenced_case(db, name="Robin Synthetic")
    b = sentenced_case(db, name="Jo Placeholder")
    first = ap.book_appointment(db, a, at("2026-10-13 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    ap.book_appointment(db, a, at("2026-10-06 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    ap.book_appointment(db, b, at("2026-10-14 09:00"), mode="phone", now=NOW, checklist=checklist_of(db))
    nxt = dv.next_appointments(db, now=at("2026-10-06 10:01"))
    assert {k: v["starts_at"] for k, v in nxt.items()} == {a: "2026-10-13T10:00", b: "2026-10-14T09:00"}
    assert nxt[a]["id"] == first
    ap.cancel_appointment(db, first, checklist=checklist_of(db), today=NOW.date())
    assert dv.next_appointment(db, a, now=at("2026-10-06 10:01")) is None
    assert dv.next_appointment(db, b, now=at("2026-10-14 09:01")) is None


def test_week_view_lays_out_monday_to_sunday_with_bank_holidays(db):
    ref = sentenced_case(db, "2026-12-01")
    ap.book_series(
        db, ref, at("2026-12-21 10:00"), 2, place="Brook House", on_holiday="warn", now=at("2026-12-02 09:00"),
        checklist=checklist_of(db)
    )
    week = dv.week_view(db, date(2026, 12, 30), now=at("2026-12-02 09:00"))
    assert (week["week_start"], week["week_end"]) == ("2026-12-28", "2027-01-03")
    assert [d["date"] for d in week["days"]][:2] == ["2026-12-28", "2026-12-29"]
    monday = week["days"][0]
    assert monday["bank_holiday"] and [r["time"] for r in monday["rows"]] == ["10:00"]
    assert monday["rows"][0]["bank_holiday"] == monday["bank_holiday"]
    assert week["booked"] == 1 and all(not d["rows"] for d in week["days"][1:])


def test_extra_sessions_after_completion_can_be_moved_but_not_exceeded(db):
    ref = sentenced_case(db, "2026-10-01", sessions=1)
    from records import sessions as se

    se.log_session(
        db, ref, "2026-10-13", "attended", complete=True, today=date(2026, 10, 13), checklist=checklist_of(db)
    )
    now = at("2026-10-14 09:00")
    ids = ap.book_series(
        db, ref, at("2026-10-20 10:00"), 3, place="Brook House", now=now, checklist=checklist_of(db)
    ).ids
    ap.move_appointment(db, ids[2], at("2026-11-04 10:00"), now=now)
    with pytest.raises(ValidationError, match="up to 3 extra sessions, and 3 already recorded or booked"):
        ap.book_appointment(db, ref, at("2026-11-10 10:00"), place="Brook House", now=now, checklist=checklist_of(db))


def test_an_overlap_says_how_many_clashes_there_are(db):
    a = sentenced_case(db, name="Robin Synthetic")
    b = sentenced_case(db, name="Jo Placeholder")
    c = sentenced_case(db, name="Casey Sample")
    ap.book_appointment(db, a, at("2026-10-13 10:00"), place="Brook House", now=NOW, checklist=checklist_of(db))
    ap.book_appointment(
        db, b, at("2026-10-13 10:30"), mode="phone", allow_overlap=True, now=NOW, checklist=checklist_of(db)
    )
    ap.book_appointment(db, b, at("2026-10-20 10:30"), mode="phone", now=NOW, checklist=checklist_of(db))
    before = snapshot_counts(db)
    with pytest.raises(ap.OverlapError) as one_day:  # one booking over two appointments
        ap.book_appointment(db, c, at("2026-10-13 10:15"), place="Brook House", now=NOW, checklist=checklist_of(db))
    assert str(one_day.value) == (
        f"13/10/2026 10:15-11:15 overlaps {a}'s appointment 13/10/2026 10:00-11:00; 2 clashes in all"
    )
    with pytest.raises(ap.OverlapError) as series:  # a series meeting them on two dates: all three counted
        ap.book_series(db, c, at("2026-10-13 10:15"), 3, place="Brook House", now=NOW, checklist=checklist_of(db))
    assert str(series.value).endswith("; 3 clashes in all") and len(series.value.clashes) == 3
    assert snapshot_counts(db) == before
