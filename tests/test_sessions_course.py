"""A whole course of treatment through the diary: 14 weekly appointments, 12 sessions attended and two
unacceptable absences, completion, extra sessions and the outcome follow-ups.

Every expected date is worked out by hand in the comments (England & Wales bank holidays: Christmas Day
Friday 25 December 2026, Boxing Day substitute Monday 28 December 2026, New Year's Day Friday 1 January
2027; Good Friday 26 March and Easter Monday 29 March 2027), not computed by the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest

from db import appointments as appdb
from records import appointments as ap
from records import casework, clients, task_actions
from records import clocks as ck
from records import diary_views as dv
from records import health_entry as he
from records import sessions as se
from service.core import checklist_of
from tests.conftest import CHECKLIST, snapshot_counts
from tests.sessions_support import all_tasks, at, open_tasks, sentenced_case
from vocabulary.identity import ValidationError
from vocabulary.stages import CaseState

# Tuesdays at 10:00 from 13 October 2026; index -> outcome.
COURSE = [
    ("2026-10-13", "attended"),  # 1
    ("2026-10-20", "attended"),  # 2
    ("2026-10-27", "attended"),  # 3
    ("2026-11-03", "attended"),  # 4
    ("2026-11-10", "attended"),  # 5
    ("2026-11-17", "unacceptable-absence"),  # first
    ("2026-11-24", "attended"),  # 6
    ("2026-12-01", "attended"),  # 7
    ("2026-12-08", "attended"),  # 8
    ("2026-12-15", "attended"),  # 9
    ("2026-12-22", "unacceptable-absence"),  # second
    ("2026-12-29", "attended"),  # 10
    ("2027-01-05", "attended"),  # 11
    ("2027-01-12", "attended"),  # 12, final
]


def _keys(result) -> dict[str, str]:
    return {s.key: s.due.isoformat() for s in result.created}


def test_a_twelve_session_course_with_two_unacceptable_absences(db):
    ref = sentenced_case(db, "2026-10-01", sessions=12)
    casework.record_event(db, ref, "case-meeting", "2026-10-08", {}, date(2026, 10, 8), checklist=checklist_of(db))
    series = ap.book_series(
        db, ref, at("2026-10-13 10:00"), 14, place="Brook House", duration_min=50, now=at("2026-10-02 09:00"),
        checklist=checklist_of(db)
    )
    assert [s.date().isoformat() for s in series.starts] == [d for d, _ in COURSE]
    assert series.skipped == [] and series.warnings == []

    logs = []
    for aid, (day, outcome) in zip(series.ids, COURSE, strict=True):
        kwargs = {}
        if outcome == "attended":
            kwargs = {"risk": "No change in risk", "summary": f"Session on {day}", "plan": "Continue"}
        day_of = date.fromisoformat(day)
        logs.append(se.record_attendance(db, aid, outcome, today=day_of, checklist=checklist_of(db), **kwargs))

    # Attended sessions are numbered 1 to 12; the 12th is recognised as final without being marked.
    numbers = [appdb.event_with_case(db, log.event_id)["data"].get("number") for log in logs]
    assert numbers == [1, 2, 3, 4, 5, None, 6, 7, 8, 9, None, 10, 11, 12]
    assert [log.final for log in logs] == [False] * 13 + [True]
    rows = dv.case_appointments(db, ref, now=at("2027-01-13 09:00"))
    assert {r["status"] for r in rows} == {"held"}
    assert [r["event_id"] for r in rows] == [log.event_id for log in logs]
    assert [r["session"] for r in rows][:6] == ["1 of 12", "2 of 12", "3 of 12", "4 of 12", "5 of 12", ""]
    assert rows[5]["attendance"] == "Unacceptable absence / failed to attend"

    # First unacceptable absence (Tuesday 17 November): inform the RO the same working day; no breach clock yet.
    first = _keys(logs[5].result)
    assert first["session.inform-ro-absence"] == "2026-11-17"
    assert "session.breach-decision" not in first and "session.breach-record" not in first
    assert "session.health-entry" not in first  # no health entry item for a session not attended
    assert first["session.share-probation"] == "2026-11-18"

    # Second (Tuesday 22 December): working days after it are 23, 24, 29, 30, 31 December and 4 January.
    second = _keys(logs[10].result)
    assert second["session.inform-ro-absence"] == "2026-12-22"
    assert second["session.breach-record"] == "2026-12-23"
    assert second["session.breach-decision"] == "2027-01-04"
    state = logs[10].result.state
    assert (state.unacceptable_absences, state.second_absence_date) == (2, date(2026, 12, 22))
    assert ck.breach_deadline(state, CHECKLIST) == date(2027, 1, 4)
    urgent = {t["key"] for t in all_tasks(db, ref) if t["urgent"]}
    assert {"session.inform-ro-absence", "session.breach-record", "session.breach-decision"} <= urgent

    # The breach-decision clock: warning until Monday 4 January, missed after, met once its task is ticked.
    clocks = {c["key"]: c for c in ck.clocks_for_case(db, ref, date(2026, 12, 31), CHECKLIST)}
    assert (clocks["session.breach-decision"]["due"], clocks["session.breach-decision"]["status"]) == (
        "2027-01-04",
        "warning",
    )
    clocks = {c["key"]: c for c in ck.clocks_for_case(db, ref, date(2027, 1, 5), CHECKLIST)}
    assert clocks["session.breach-decision"]["status"] == "missed"
    decision = next(t for t in all_tasks(db, ref) if t["key"] == "session.breach-decision")
    task_actions.tick(db, decision["id"])
    clocks = {c["key"]: c for c in ck.clocks_for_case(db, ref, date(2027, 1, 5), CHECKLIST)}
    assert clocks["session.breach-decision"]["status"] == "met"
    assert clocks["outcome.case-meeting"]["status"] == "met"  # 8 October, due 15 October
    assert (clocks["outcome.first-session"]["status"], clocks["outcome.first-session"]["met_on"]) == (
        "met",
        "2026-10-13",
    )  # due 12 November

    # Final session (Tuesday 12 January 2027): +5 working days is Tuesday 19 January.
    final = _keys(logs[13].result)
    assert final["session.final-caseload"] == "2027-01-19"
    assert final["session.completion"] == "2027-01-19"
    assert "session.health-entry" in final

    # Completion the same day: GP letter and 3/6/12-month follow-ups with the questionnaires due.
    done = casework.record_event(db, ref, "completion", "2027-01-12", {}, date(2027, 1, 12), checklist=checklist_of(db))
    assert _keys(done) == {
        "completion.gp-letter": "2027-01-19",
        "completion.follow-up-3": "2027-04-12",
        "completion.follow-up-6": "2027-07-12",
        "completion.follow-up-12": "2028-01-12",
    }
    tasks = {t["key"]: t for t in all_tasks(db, ref)}
    assert tasks["session.completion"]["status"] == "done"
    assert "CORE-34, PHQ-9 and GAD-7" in tasks["completion.follow-up-3"]["title"]
    assert tasks["completion.follow-up-3"]["action"] == "score"

    # Up to three extra sessions after completion: booked and recorded as extra, the fourth refused.
    extras = ap.book_series(
        db, ref, at("2027-01-19 10:00"), 3, place="Brook House", now=at("2027-01-13 09:00"), checklist=checklist_of(db)
    )
    with pytest.raises(ValidationError, match="up to 3 extra sessions, and 3 already"):
        ap.book_appointment(
            db, ref, at("2027-02-09 10:00"), place="Brook House", now=at("2027-01-13 09:00"), checklist=checklist_of(db)
        )
    for aid, day in zip(extras.ids, ("2027-01-19", "2027-01-26", "2027-02-02"), strict=True):
        log = se.record_attendance(db, aid, "attended", today=date.fromisoformat(day), checklist=checklist_of(db))
        assert appdb.event_with_case(db, log.event_id)["data"]["extra"] is True
    assert he.health_entry_for_appointment(db, extras.ids[0]).startswith("MHTR extra session (after completion)")
    with pytest.raises(ValidationError, match="3 extra sessions after completion are all recorded"):
        se.log_session(db, ref, "2027-02-03", "attended", today=date(2027, 2, 3), checklist=checklist_of(db))

    # The follow-ups close their tasks; after the 12-month one the case is closed.
    for months, day in ((3, "2027-04-12"), (6, "2027-07-12"), (12, "2028-01-12")):
        casework.record_event(
            db, ref, "follow-up", day, {"months": months}, date.fromisoformat(day), checklist=checklist_of(db)
        )
    tasks = {t["key"]: t["status"] for t in all_tasks(db, ref)}
    assert [tasks[f"completion.follow-up-{m}"] for m in (3, 6, 12)] == ["done", "done", "done"]
    clocks = ck.clocks_for_case(db, ref, date(2028, 1, 13), CHECKLIST)
    assert [(c["key"], c["status"]) for c in clocks] == [
        ("outcome.case-meeting", "met"),
        ("outcome.first-session", "met"),
        ("completion.follow-up-3", "met"),
        ("completion.follow-up-6", "met"),
        ("completion.follow-up-12", "met"),
    ]


def test_an_absence_on_a_bank_holiday_is_reported_the_next_working_day(db):
    ref = sentenced_case(db, "2026-12-01")
    [aid] = ap.book_series(
        db, ref, at("2026-12-28 10:00"), 1, mode="phone", on_holiday="warn", now=at("2026-12-02 09:00"),
        checklist=checklist_of(db)
    ).ids
    log = se.record_attendance(db, aid, "unacceptable-absence", today=date(2026, 12, 28), checklist=checklist_of(db))
    assert _keys(log.result)["session.inform-ro-absence"] == "2026-12-29"


@pytest.mark.parametrize(
    ("second", "deadline"),
    [
        ("2026-12-22", "2027-01-04"),  # Christmas and New Year
        ("2027-03-25", "2027-04-06"),  # Thursday before Easter: 30, 31 Mar, 1, 2, 5, 6 Apr
        ("2026-11-20", "2026-11-30"),  # an ordinary Friday: 23-27 Nov, 30 Nov
    ],
)
def test_breach_deadline_is_the_sixth_working_day(second, deadline):
    state = CaseState(stage="in-treatment", unacceptable_absences=2, second_absence_date=date.fromisoformat(second))
    assert ck.breach_deadline(state, CHECKLIST) == date.fromisoformat(deadline)


def test_no_breach_deadline_before_a_second_absence():
    assert ck.breach_deadline(CaseState(stage="in-treatment", unacceptable_absences=1), CHECKLIST) is None


def test_marking_a_session_final_before_the_planned_number(db):
    ref = sentenced_case(db, "2026-10-01", sessions=12)
    log = se.log_session(
        db, ref, "2026-10-13", "attended", final=True, complete=True, today=date(2026, 10, 13),
        checklist=checklist_of(db)
    )
    assert log.final and log.completion is not None
    assert casework.case_state(db, clients.require_case(db, ref)["case_id"]).stage == "completed"
    assert "session.final-caseload" in _keys(log.result)


def test_complete_refused_when_the_session_is_not_final_and_nothing_is_saved(db):
    ref = sentenced_case(db, "2026-10-01", sessions=12)
    aid = ap.book_appointment(
        db, ref, at("2026-10-13 10:00"), place="Brook House", now=at("2026-10-02 09:00"), checklist=checklist_of(db)
    )
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="not final"):
        se.record_attendance(db, aid, "attended", complete=True, today=date(2026, 10, 13), checklist=checklist_of(db))
    assert snapshot_counts(db) == before
    assert dv.case_appointments(db, ref, now=at("2026-10-14 09:00"))[0]["status"] == "booked"


def test_session_refusals_change_nothing(db):
    ref = sentenced_case(db, "2026-10-01")
    other = sentenced_case(db, "2026-10-01", name="Jo Placeholder")
    aid = ap.book_appointment(
        db, ref, at("2026-10-13 10:00"), place="Brook House", now=at("2026-10-02 09:00"), checklist=checklist_of(db)
    )
    before = snapshot_counts(db)
    cases = [
        (lambda: se.record_attendance(
            db, aid, "late", today=date(2026, 10, 13), checklist=checklist_of(db)
        ), "session outcome 'late'"),
        (lambda: se.record_attendance(
            db, aid, "attended", today=date(2026, 10, 12), checklist=checklist_of(db)
        ), "once it has started"),
        (
            lambda: se.log_session(
                db, other, None, "attended", appointment_id=aid, today=date(2026, 10, 13), checklist=checklist_of(db)
            ),
            f"belongs to {ref}",
        ),
        (
            lambda: se.log_session(
                db, ref, "2026-09-30", "attended", today=date(2026, 10, 13), checklist=checklist_of(db)
            ),
            "before the sentence on 01/10/2026",
        ),
        (
            lambda: se.log_session(
                db, ref, "2026-10-13", "attended", extra=True, today=date(2026, 10, 13), checklist=checklist_of(db)
            ),
            "not complete",
        ),
        (lambda: se.record_attendance(
            db, aid, "attended", duration_min=500, today=date(2026, 10, 13), checklist=checklist_of(db)
        ), "duration"),
    ]
    for call, message in cases:
        with pytest.raises(ValidationError, match=message):
            call()
        assert snapshot_counts(db) == before
    se.record_attendance(db, aid, "attended", today=date(2026, 10, 13), checklist=checklist_of(db))
    with pytest.raises(ValidationError, match="already has its session recorded"):
        se.record_attendance(db, aid, "attended", today=date(2026, 10, 13), checklist=checklist_of(db))


def test_a_session_on_a_closed_case_is_refused(db):
    ref = sentenced_case(db, "2026-10-01")
    casework.record_event(db, ref, "withdrawal", "2026-10-05", {}, date(2026, 10, 5), checklist=checklist_of(db))
    with pytest.raises(ValidationError, match="closed"):
        se.log_session(db, ref, "2026-10-06", "attended", today=date(2026, 10, 6), checklist=checklist_of(db))


def test_a_session_by_date_links_that_days_appointment(db):
    ref = sentenced_case(db, "2026-10-01")
    aid = ap.book_appointment(
        db, ref, at("2026-10-13 15:00"), place="Brook House", duration_min=45, now=at("2026-10-02 09:00"),
        checklist=checklist_of(db)
    )
    log = se.log_session(db, ref, "13/10/2026", "attended", today=date(2026, 10, 13), checklist=checklist_of(db))
    assert log.appointment_id == aid
    row = appdb.get_appointment(db, aid)
    assert (row["status"], row["event_id"]) == ("held", log.event_id)
    assert appdb.event_with_case(db, log.event_id)["data"]["duration"] == 45


def test_cancelled_by_service_and_rescheduled_outcomes_mark_the_appointment(db):
    ref = sentenced_case(db, "2026-10-01")
    a1, a2 = ap.book_series(
        db, ref, at("2026-10-13 10:00"), 2, place="Brook House", now=at("2026-10-02 09:00"), checklist=checklist_of(db)
    ).ids
    se.record_attendance(db, a1, "cancelled-by-service", today=date(2026, 10, 13), checklist=checklist_of(db))
    se.record_attendance(db, a2, "rescheduled", today=date(2026, 10, 20), checklist=checklist_of(db))
    r1, r2 = dv.case_appointments(db, ref, now=at("2026-10-21 09:00"))
    assert (r1["status"], r1["cancelled_by"], r1["attendance"]) == ("cancelled", "service", "Cancelled by service")
    assert (r2["status"], r2["attendance"]) == ("moved", "Rescheduled")


def test_withdrawal_closes_treatment_work_and_starts_the_return_to_court(db):
    ref = sentenced_case(db, "2026-10-01")
    casework.record_event(db, ref, "consent", "2026-10-01", {}, date(2026, 10, 1), checklist=checklist_of(db))
    ids = ap.book_series(
        db, ref, at("2026-10-13 10:00"), 4, place="Brook House", now=at("2026-10-02 09:00"), checklist=checklist_of(db)
    ).ids
    se.record_attendance(db, ids[0], "attended", today=date(2026, 10, 13), checklist=checklist_of(db))
    result, cancelled = se.withdraw_consent(
        db, ref, "2026-10-15", today=date(2026, 10, 15), now=at("2026-10-15 12:00"), checklist=checklist_of(db)
    )
    assert cancelled == ids[1:]
    rows = dv.case_appointments(db, ref, now=at("2026-10-15 12:00"))
    assert [(r["status"], r["reason"]) for r in rows] == [("held", None)] + [("cancelled", "consent withdrawn")] * 3
    assert _keys(result)["withdrawal.inform-ro"] == "2026-10-15"
    assert "attendance record and treatment plan" in next(
        s.title for s in result.created if s.key == "withdrawal.inform-ro"
    )
    tasks = {t["key"]: t["status"] for t in all_tasks(db, ref)}
    assert tasks["consent.renewal"] == "skipped"
    assert tasks["outcome.case-meeting"] == "skipped"
    assert "outcome.first-session" not in open_tasks(db, ref)  # done by the attended session
    # Only clocks already met stay on a closed case: no consent renewal, no case-meeting warning.
    clocks = ck.clocks_for_case(db, ref, date(2026, 10, 16), CHECKLIST)
    assert [(c["key"], c["status"]) for c in clocks] == [("outcome.first-session", "met")]
    with pytest.raises(ValidationError, match="closed"):
        ap.book_appointment(
            db, ref, at("2026-10-27 10:00"), place="Brook House", now=at("2026-10-15 12:00"), checklist=checklist_of(db)
        )


def test_a_corrected_session_still_shows_on_its_appointment(db):
    ref = sentenced_case(db, "2026-10-01")
    aid = ap.book_appointment(
        db, ref, at("2026-10-13 10:00"), place="Brook House", now=at("2026-10-02 09:00"), checklist=checklist_of(db)
    )
    log = se.record_attendance(db, aid, "unacceptable-absence", today=date(2026, 10, 13), checklist=checklist_of(db))
    casework.correct_event(
        db, ref, log.event_id, None, {"outcome": "acceptable-absence"}, date(2026, 10, 14), checklist=checklist_of(db)
    )
    [row] = dv.case_appointments(db, ref, now=at("2026-10-14 09:00"))
    assert row["attendance"] == "Acceptable absence"
    assert "Attendance: Acceptable absence" in he.health_entry_for_appointment(db, aid)
    week = dv.week_view(db, date(2026, 10, 13), now=at("2026-10-14 09:00"))
    assert [r["kind"] for d in week["days"] for r in d["rows"]] == ["appointment"]
