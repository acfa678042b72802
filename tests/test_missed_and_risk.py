"""Missed appointments and risk as checklist items (seed 004, "Breach of order and non-compliance"): contact the
person to rearrange, tell the care coordinator where there are concerns, and on any risk identified complete the
crisis plan and inform the RO and care team, both urgent and due the day it is recorded."""

from __future__ import annotations

import json
from datetime import date

from db.connection import connect
from records import appointments as ap
from records import casework, clients, task_actions
from records import sessions as se
from records.questionnaire_records import add_questionnaire
from service.core import checklist_of
from tests.sessions_support import all_tasks, at, sentenced_case

TODAY = date(2026, 11, 20)  # a Friday
NOW = at("2026-11-20 17:00")


def _tasks(db, ref) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for t in all_tasks(db, ref):
        out.setdefault(t["key"], []).append(t)
    return out


def test_an_unacceptable_absence_asks_to_rearrange_the_same_day(db):
    ref = sentenced_case(db, "2026-11-02")
    se.log_session(db, ref, "2026-11-18", "unacceptable-absence", today=TODAY, now=NOW, checklist=checklist_of(db))
    tasks = _tasks(db, ref)
    (rearrange,) = tasks["missed.rearrange"]
    assert (rearrange["due"], rearrange["status"], rearrange["urgent"]) == ("2026-11-18", "open", 0)
    assert rearrange["title"] == "Missed appointment: contact the person to rearrange"
    assert "missed.care-coordinator" not in tasks  # no concerns: not for the care coordinator


def test_an_absence_with_concerns_tells_the_care_coordinator_the_same_working_day(db):
    ref = sentenced_case(db, "2026-11-02")
    se.log_session(db, ref, "2026-11-21", "unacceptable-absence", concerns=True,  # a Saturday session
                   today=date(2026, 11, 21), now=at("2026-11-21 17:00"), checklist=checklist_of(db))
    (cc,) = _tasks(db, ref)["missed.care-coordinator"]
    assert (cc["due"], cc["urgent"]) == ("2026-11-23", 1)  # the next working day, urgent
    assert cc["title"] == "Missed appointment and concerns: tell the care coordinator (within 24 hours)"
    assert "risk.assessment" not in _tasks(db, ref)  # concerns at an absence are not a risk seen


def test_an_open_risk_makes_any_absence_one_with_concerns(db):
    ref = sentenced_case(db, "2026-11-02")
    add_questionnaire(
        db, ref, "PHQ-9", [1, 1, 1, 1, 1, 1, 1, 1, 1], "2026-11-09", "session 1", TODAY, checklist=checklist_of(db)
    )
    se.log_session(db, ref, "2026-11-18", "unacceptable-absence", today=TODAY, now=NOW, checklist=checklist_of(db))
    assert _tasks(db, ref)["missed.care-coordinator"][0]["status"] == "open"
    # once the risk tasks are dealt with, a later absence without the box is not one with concerns
    for t in all_tasks(db, ref):
        if t["key"].startswith("risk."):
            task_actions.tick(db, t["id"])
    se.log_session(db, ref, "2026-11-19", "unacceptable-absence", today=TODAY, now=NOW, checklist=checklist_of(db))
    assert len(_tasks(db, ref)["missed.care-coordinator"]) == 1
    assert len(_tasks(db, ref)["missed.rearrange"]) == 2


def test_a_client_cancellation_is_a_missed_appointment_and_a_booking_rearranges_it(db):
    ref = sentenced_case(db, "2026-11-02")
    booked = ap.book_appointment(
        db, ref, at("2026-11-24 10:00"), mode="phone", now=at("2026-11-16 09:00"), checklist=checklist_of(db)
    )
    service = ap.book_appointment(
        db, ref, at("2026-11-26 10:00"), mode="phone", now=at("2026-11-16 09:00"), checklist=checklist_of(db)
    )
    ap.cancel_appointment(db, service, by="service", today=TODAY, checklist=checklist_of(db))
    assert "missed.rearrange" not in _tasks(db, ref)  # the service cancelled: nothing for the person to do
    ap.cancel_appointment(db, booked, by="client", reason="unwell", today=TODAY, checklist=checklist_of(db))
    (rearrange,) = _tasks(db, ref)["missed.rearrange"]
    assert (rearrange["due"], rearrange["status"]) == ("2026-11-20", "open")
    ap.book_appointment(db, ref, at("2026-11-27 10:00"), mode="phone", now=NOW, checklist=checklist_of(db))
    (rearrange,) = _tasks(db, ref)["missed.rearrange"]
    assert rearrange["status"] == "done"
    assert rearrange["reason"].startswith("by mhtr-tui: appointment booked for ")


def test_an_endorsed_risk_item_raises_both_urgent_tasks_due_the_day_it_is_saved(db):
    ref = sentenced_case(db, "2026-11-02")
    stored = add_questionnaire(
        db, ref, "PHQ-9", [1, 1, 1, 1, 1, 1, 1, 1, 2], "2026-11-16", "session 1", TODAY, checklist=checklist_of(db)
    )
    tasks = _tasks(db, ref)
    (plan,), (inform,) = tasks["risk.assessment"], tasks["risk.inform"]
    assert stored["risk_task_id"] == plan["id"]
    assert plan["title"] == "Risk identified: complete the risk assessment and crisis plan (PHQ-9 item 9)"
    assert inform["title"] == "Risk identified: inform the RO and care team (PHQ-9 item 9)"
    for t in (plan, inform):
        assert (t["due"], t["urgent"], t["status"], t["origin"]) == ("2026-11-20", 1, "open", "risk")
    # another form while these are open asks for the same work: no second pair (it points at the open one)
    again = add_questionnaire(
        db, ref, "CORE-OM", [0] * 8 + [2] + [0] * 25, "2026-11-16", "session 1", TODAY, checklist=checklist_of(db)
    )
    assert again["risk_items"] and again["risk_task_id"] == plan["id"]
    assert len(_tasks(db, ref)["risk.inform"]) == 1
    # once dealt with, a later form is another risk
    for t in (plan, inform):
        task_actions.tick(db, t["id"])
    add_questionnaire(
        db, ref, "PHQ-9", [0, 0, 0, 0, 0, 0, 0, 0, 1], "2026-11-20", "session 2", TODAY, checklist=checklist_of(db)
    )
    assert [t["status"] for t in _tasks(db, ref)["risk.inform"]] == ["done", "open"]


def test_a_risk_marked_in_a_session_record_or_at_assessment_raises_the_risk_tasks(db):
    ref = sentenced_case(db, "2026-11-02")
    log = se.log_session(db, ref, "2026-11-16", "attended", risk="Thoughts of self-harm this week",
                         concerns=True, today=TODAY, now=NOW, checklist=checklist_of(db))
    tasks = _tasks(db, ref)
    assert [t["title"] for t in tasks["risk.inform"]] == [
        "Risk identified: inform the RO and care team (marked in the session record)"]
    assert tasks["risk.assessment"][0]["due"] == "2026-11-20"  # recorded today
    # correcting the session (its date) leaves the risk tasks as they are
    casework.correct_event(db, ref, log.event_id, "2026-11-17", {}, TODAY, checklist=checklist_of(db))
    assert [t["status"] for t in _tasks(db, ref)["risk.inform"]] == ["open"]

    other = clients.add_client(db, {"name": "Sam Example", "dob": "1990-01-01"}, TODAY)
    casework.record_event(db, other, "assessment", "2026-11-19", {"concerns": True}, TODAY, checklist=checklist_of(db))
    assert [t["title"] for t in _tasks(db, other)["risk.assessment"]] == [
        "Risk identified: complete the risk assessment and crisis plan (marked at the assessment)"]


def test_an_attended_session_without_concerns_raises_no_risk(db):
    ref = sentenced_case(db, "2026-11-02")
    se.log_session(
        db, ref, "2026-11-16", "attended", risk="No concerns raised", today=TODAY, now=NOW, checklist=checklist_of(db)
    )
    assert not {"risk.assessment", "risk.inform", "missed.rearrange"} & set(_tasks(db, ref))


def test_the_command_line_records_concerns_at_an_absence(run):
    run("init")
    run("client", "add", "--name", "Pat Synthetic", "--dob", "02/04/1988")
    for args in (("assessment", "--date", "2026-11-02"), ("cl-decision", "--approved", "--date", "2026-11-02"),
                 ("court-outcome", "--accepted", "--date", "2026-11-02")):
        assert run("event", "MHTR-0001", *args)[0] == 0
    db = connect(run.path)  # booked when it was still ahead (the command line books only from now on)
    appt = ap.book_appointment(
        db, "MHTR-0001", at("2026-11-03 10:00"), mode="phone", now=at("2026-11-02 12:00"), checklist=checklist_of(db)
    )
    db.close()
    code, _, err = run("appointment", "attend", str(appt), "--outcome", "unacceptable-absence", "--concerns")
    assert code == 0, err
    _, out, _ = run("tasks", "--client", "MHTR-0001", "--due", "all", "--json")
    keys = {t["key"]: t for t in json.loads(out)}
    assert keys["missed.care-coordinator"]["urgent"] and keys["missed.rearrange"]["status"] == "open"
