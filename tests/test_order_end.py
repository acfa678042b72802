"""The order's end: sentence date + length gives the last day of the order, its tasks (plan the ending four weeks
before, record what happened once it has ended), and no consent renewal raised for after it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from records import casework, clients
from service.core import checklist_of
from tests.sessions_support import all_tasks
from vocabulary.stages import Event, derive_state, order_end

TODAY = date(2027, 12, 31)


@pytest.mark.parametrize(
    ("sentence", "months", "end"),
    [
        (date(2026, 12, 7), 12, date(2027, 12, 6)),
        (date(2026, 12, 7), 6, date(2027, 6, 6)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),  # no 31 February: to the end of that month
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a leap year's February
        (date(2027, 3, 1), 24, date(2029, 2, 28)),
    ],
)
def test_order_end_is_the_day_before_the_same_date_months_later(sentence, months, end):
    assert order_end(sentence, months) == end


def test_the_state_has_an_end_only_with_a_length():
    base = [Event("assessment", date(2027, 1, 4), {}, 1),
            Event("cl-decision", date(2027, 1, 5), {"decision": "approved"}, 2)]
    with_length = derive_state([*base, Event("court-outcome", date(2027, 1, 8),
                                             {"outcome": "accepted", "length_months": 6}, 3)])
    assert with_length.order_end == date(2027, 7, 7)
    without = derive_state([*base, Event("court-outcome", date(2027, 1, 8), {"outcome": "accepted"}, 3)])
    assert without.order_end is None


def _case(db, sentence: str, length: int | None, consent: str | None = None) -> str:
    ref = clients.add_client(db, {"name": "Pat Synthetic", "dob": "1988-04-02"}, TODAY)
    s = date.fromisoformat(sentence)
    casework.record_event(
        db, ref, "assessment", date.fromordinal(s.toordinal() - 7), {}, TODAY, checklist=checklist_of(db)
    )
    if consent:
        casework.record_event(db, ref, "consent", consent, {}, TODAY, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "cl-decision", date.fromordinal(s.toordinal() - 6), {"decision": "approved"}, TODAY,
        checklist=checklist_of(db)
    )
    data = {"outcome": "accepted", "order": "CO", "sessions": 12}
    if length:
        data["length_months"] = length
    casework.record_event(db, ref, "court-outcome", s, data, TODAY, checklist=checklist_of(db))
    return ref


def _tasks(db, ref) -> dict[str, dict]:
    return {t["key"]: t for t in all_tasks(db, ref)}


def test_an_order_has_its_ending_tasks_on_working_days(db):
    # Made Monday 11 January 2027 for 6 months: runs to Saturday 10 July 2027.
    ref = _case(db, "2027-01-11", 6)
    tasks = _tasks(db, ref)
    assert tasks["order.plan-ending"]["due"] == "2027-06-11"  # four weeks before Saturday 10 July: a Saturday -> Fri
    assert tasks["order.plan-ending"]["title"] == "Order ends in 4 weeks: plan the ending with the RO"
    assert tasks["order.ended"]["due"] == "2027-07-12"  # the first working day after the order's last day
    assert tasks["order.ended"]["title"] == "Order ended: complete or record what happened"


def test_no_length_no_ending_tasks(db):
    tasks = _tasks(db, _case(db, "2027-01-11", None))
    assert "order.plan-ending" not in tasks and "order.ended" not in tasks


def test_completion_makes_the_ending_tasks_unnecessary(db):
    ref = _case(db, "2027-01-11", 6)
    casework.record_event(db, ref, "session", "2027-01-18", {"outcome": "attended"}, TODAY, checklist=checklist_of(db))
    casework.record_event(db, ref, "completion", "2027-04-01", {}, TODAY, checklist=checklist_of(db))
    tasks = _tasks(db, ref)
    assert tasks["order.plan-ending"]["status"] == tasks["order.ended"]["status"] == "skipped"


def test_a_consent_renewal_due_after_the_order_ends_is_not_needed(db):
    ref = _case(db, "2027-01-11", 6, consent="2027-01-04")
    renewal = _tasks(db, ref)["consent.renewal"]
    assert renewal["status"] == "skipped"
    assert renewal["reason"] == "not needed: due after the order ends on 10/07/2027"
    long = _case(db, "2027-01-11", 18, consent="2027-01-04")
    assert _tasks(db, long)["consent.renewal"]["status"] == "open"  # due 04/01/2028, within an 18-month order


def test_correcting_the_length_moves_the_ending(db):
    ref = _case(db, "2027-01-11", 6)
    from db import records as rec

    case = clients.require_case(db, ref)
    event_id = next(e["id"] for e in rec.events_of_case(db, case["case_id"]) if e["kind"] == "court-outcome")
    casework.correct_event(db, ref, event_id, None, {"length_months": 12}, TODAY, checklist=checklist_of(db))
    tasks = _tasks(db, ref)
    assert tasks["order.ended"]["due"] == "2028-01-11"  # runs to Monday 10 January 2028: due the Tuesday


def test_client_show_json_gives_the_order_end(run):
    run("init")
    run("client", "add", "--name", "Pat Synthetic", "--dob", "02/04/1988")
    for args in (("assessment", "--date", "2026-11-02"), ("cl-decision", "--approved", "--date", "2026-11-03"),
                 ("court-outcome", "--accepted", "--length-months", "12", "--date", "2026-11-06")):
        code, _, err = run("event", "MHTR-0001", *args)
        assert code == 0, err
    code, out, _ = run("client", "show", "MHTR-0001", "--json")
    shown = json.loads(out)
    assert shown["order_end"] == "2027-11-05" and shown["order_months"] == 12


@pytest.mark.parametrize(
    ("court_contact", "outcome_day", "flag", "expected"),
    [
        ("2027-01-08", "2027-01-08", False, True),  # assessed at court and sentenced the same day
        ("2027-01-07", "2027-01-08", False, True),  # within one day
        ("2027-01-04", "2027-01-08", False, False),  # adjourned for the report: not on the day
        ("2027-01-04", "2027-01-08", True, True),  # the flag overrides what the dates show
    ],
)
def test_sentenced_on_the_day_is_read_from_the_dates(court_contact, outcome_day, flag, expected):
    from vocabulary.stages import sentenced_on_day

    events = [
        Event("screening", date(2027, 1, 1), {}, 1),
        Event("assessment", date.fromisoformat(court_contact), {}, 2),
        Event("cl-decision", date.fromisoformat(court_contact), {"decision": "approved"}, 3),
        Event("court-outcome", date.fromisoformat(outcome_day), {"outcome": "accepted", "sentenced_on_day": flag}, 4),
    ]
    assert sentenced_on_day(events) is expected


def test_no_accepted_outcome_is_not_sentenced_on_the_day():
    from vocabulary.stages import sentenced_on_day

    events = [Event("assessment", date(2027, 1, 8), {}, 1),
              Event("court-outcome", date(2027, 1, 8), {"outcome": "declined", "reason": "Custody"}, 2)]
    assert sentenced_on_day(events) is False


def test_no_booking_after_the_order_ends_but_an_extra_session_after_completion(db):
    from records import appointments as ap
    from tests.sessions_support import at
    from vocabulary.identity import ValidationError

    ref = _case(db, "2027-01-11", 6)  # runs to Saturday 10 July 2027
    ap.book_appointment(
        db, ref, at("2027-07-09 10:00"), mode="phone", now=at("2027-01-12 09:00"), checklist=checklist_of(db)
    )  # the last week
    try:
        ap.book_appointment(
            db, ref, at("2027-07-12 10:00"), mode="phone", now=at("2027-01-12 09:00"), checklist=checklist_of(db)
        )
    except ValidationError as exc:
        assert str(exc) == ("12/07/2027 10:00 is after the order ended on 10/07/2027; sessions are booked "
                            "within the order (an extra session after completion excepted)")
    else:
        raise AssertionError("a booking after the order's end was accepted")
    casework.record_event(db, ref, "session", "2027-01-18", {"outcome": "attended"}, TODAY, checklist=checklist_of(db))
    casework.record_event(db, ref, "completion", "2027-07-01", {}, TODAY, checklist=checklist_of(db))
    ap.book_appointment(
        db, ref, at("2027-08-02 10:00"), mode="phone", now=at("2027-07-02 09:00"), checklist=checklist_of(db)
    )  # an extra


def test_an_order_runs_to_its_end(db):
    """A 6-month order made Monday 11 January 2027 runs to Saturday 10 July. Four weeks before, Today asks to plan
    the ending with the RO; once it has ended, Today asks what happened; a session after the end is refused with
    the rule and nothing is written; the completion recorded then settles the ending, and the follow-ups count
    from it."""
    from datetime import datetime, time, timedelta

    from service.clock import Clock
    from service.core import Service
    from tests.conftest import snapshot_counts
    from vocabulary.identity import ValidationError

    def on(day: date) -> Service:
        return Service(db, Clock.fixed(datetime.combine(day, time(17, 0))))

    ref = _case(db, "2027-01-11", 6)
    day = date(2027, 1, 18)
    for _ in range(8):  # eight of the twelve planned sessions attended, weekly
        on(day).record(ref, "session", day, {"outcome": "attended"})
        day += timedelta(days=7)

    def today_keys(svc: Service) -> set[str]:
        return {t["key"] for t in svc.tasks("today", ref)}

    assert "order.plan-ending" not in today_keys(on(date(2027, 6, 10)))
    assert "order.plan-ending" in today_keys(on(date(2027, 6, 11)))  # Friday: four weeks before falls on Saturday
    assert "order.ended" not in today_keys(on(date(2027, 7, 9)))
    svc = on(date(2027, 7, 12))  # the Monday after the order's last day
    assert {"order.plan-ending", "order.ended"} <= today_keys(svc)  # nobody planned the ending: both stay
    before = snapshot_counts(db)
    with pytest.raises(ValidationError) as refused:
        svc.record(ref, "session", svc.today, {"outcome": "attended"})
    assert str(refused.value) == ("Treatment session on 12/07/2027 is after the order ended on 10/07/2027; sessions "
                                  "are held within the order (an extra session after completion excepted)")
    assert snapshot_counts(db) == before

    svc.record(ref, "completion", svc.today)  # what happened: treatment ended with the order
    tasks = _tasks(db, ref)
    assert tasks["order.plan-ending"]["status"] == tasks["order.ended"]["status"] == "skipped"
    assert tasks["completion.follow-up-3"]["due"] == "2027-10-12"  # three months from the completion
    assert not today_keys(svc) & {"order.plan-ending", "order.ended"}
