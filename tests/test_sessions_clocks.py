"""The guidance clocks on a case, as a pure function of its state and today's date."""

from __future__ import annotations

from datetime import date

import pytest

from records import casework
from records import clocks as ck
from records import sessions as se
from service.core import checklist_of
from tests.conftest import BREACH_KEY, CHECKLIST
from tests.sessions_support import sentenced_case
from vocabulary.stages import CaseState

SENTENCE = date(2026, 10, 1)  # case meeting due 15 October, first session due 12 November


def _sentenced(**kw) -> CaseState:
    base = {"stage": "sentenced", "accepted": True, "sentence_date": SENTENCE, "planned_sessions": 12}
    return CaseState(**{**base, **kw})


def _by_key(state, today):
    return {c.key: c for c in ck.case_clocks(state, date.fromisoformat(today), CHECKLIST)}


@pytest.mark.parametrize(
    ("today", "status", "days_left"),
    [
        ("2026-11-04", "ok", 8),
        ("2026-11-05", "warning", 7),  # a week before it is missed
        ("2026-11-12", "warning", 0),
        ("2026-11-13", "missed", -1),
    ],
)
def test_first_session_within_six_weeks_warns_a_week_ahead(today, status, days_left):
    clock = _by_key(_sentenced(), today)["outcome.first-session"]
    assert (clock.due, clock.status, clock.days_left) == (date(2026, 11, 12), status, days_left)


@pytest.mark.parametrize(
    ("met_on", "status"), [(date(2026, 11, 12), "met"), (date(2026, 11, 13), "missed"), (date(2026, 10, 2), "met")]
)
def test_first_session_met_on_time_or_late(met_on, status):
    clock = _by_key(_sentenced(stage="in-treatment", first_session=met_on), "2026-12-01")["outcome.first-session"]
    assert (clock.status, clock.met_on) == (status, met_on)


@pytest.mark.parametrize(
    ("today", "status"),
    [("2026-10-11", "ok"), ("2026-10-12", "warning"), ("2026-10-15", "warning"), ("2026-10-16", "missed")],
)
def test_case_meeting_within_fourteen_days(today, status):
    clock = _by_key(_sentenced(), today)["outcome.case-meeting"]
    assert (clock.due, clock.status) == (date(2026, 10, 15), status)


def test_consent_renewal_runs_only_while_in_treatment():
    state = _sentenced(stage="in-treatment", consent=date(2026, 9, 20))
    clock = _by_key(state, "2027-08-23")["consent.renewal"]
    assert (clock.due, clock.status) == (date(2027, 9, 20), "warning")  # 28 days ahead
    assert _by_key(state, "2027-08-22")["consent.renewal"].status == "ok"
    assert _by_key(state, "2027-09-21")["consent.renewal"].status == "missed"
    completed = _sentenced(stage="completed", consent=date(2026, 9, 20), completed=date(2027, 1, 12))
    assert "consent.renewal" not in _by_key(completed, "2027-08-23")
    not_sentenced = CaseState(stage="assessed", consent=date(2026, 9, 20))
    assert ck.case_clocks(not_sentenced, date(2027, 8, 23), CHECKLIST) == []


def test_breach_decision_clock_and_a_recorded_breach():
    state = _sentenced(stage="in-treatment", unacceptable_absences=2, second_absence_date=date(2026, 12, 22),
                       awaiting_ro_decision=True)
    clock = _by_key(state, "2026-12-23")["session.breach-decision"]
    assert (clock.due, clock.status) == (date(2027, 1, 4), "warning")
    breached = _sentenced(
        stage="in-treatment", unacceptable_absences=2, second_absence_date=date(2026, 12, 22), breaches=1
    )
    assert _by_key(breached, "2027-01-05")["session.breach-decision"].status == "met"
    decided = ck.case_clocks(state, date(2027, 1, 5), CHECKLIST, decided=frozenset({BREACH_KEY}))
    assert next(c for c in decided if c.key == "session.breach-decision").status == "met"
    ro_decided = _sentenced(stage="in-treatment", unacceptable_absences=2, second_absence_date=date(2026, 12, 22),
                            ro_decision="no-breach")  # the RO's decision recorded (an ro-decision event)
    assert _by_key(ro_decided, "2027-01-05")["session.breach-decision"].status == "met"


def test_follow_up_clocks_after_completion():
    state = _sentenced(stage="completed", completed=date(2027, 1, 31), follow_ups=(3,))
    clocks = _by_key(state, "2027-07-20")
    # 31 January + 3 months = 30 April (clipped to the month), + 6 = 31 July, + 12 = 31 January 2028. 31 July 2027
    # is a Saturday: the clock is due the Friday before, as its task is (the clock is the checklist item).
    assert [
        (clocks[k].due.isoformat(), clocks[k].status)
        for k in ("completion.follow-up-3", "completion.follow-up-6", "completion.follow-up-12")
    ] == [("2027-04-30", "met"), ("2027-07-30", "warning"), ("2028-01-31", "ok")]


def test_clocks_are_in_due_order_and_serialise():
    state = _sentenced(consent=date(2026, 9, 20))
    clocks = ck.case_clocks(state, date(2026, 10, 2), CHECKLIST)
    assert [c.key for c in clocks] == ["outcome.case-meeting", "outcome.first-session", "consent.renewal"]
    d = clocks[0].as_dict()
    assert d == {
        "key": "outcome.case-meeting",
        "name": "Case management meeting (14 days from sentence)",
        "due": "2026-10-15",
        "due_uk": "15/10/2026",
        "status": "ok",
        "met_on": None,
        "days_left": 13,
        "short": "Case meeting",
    }


def test_today_band_lists_warnings_and_missed_across_the_caseload(db):
    a = sentenced_case(db, "2026-10-01", name="Robin Synthetic")
    b = sentenced_case(db, "2026-10-01", name="Jo Placeholder")
    casework.record_event(db, b, "case-meeting", "2026-10-08", {}, date(2026, 10, 8), checklist=checklist_of(db))
    alerts = ck.clock_alerts(db, date(2026, 10, 16), CHECKLIST)
    assert [(x["ref"], x["client_name"], x["key"], x["status"]) for x in alerts] == [
        (a, "Robin Synthetic", "outcome.case-meeting", "missed"),
    ]
    alerts = ck.clock_alerts(db, date(2026, 11, 6), CHECKLIST)
    assert [(x["ref"], x["key"], x["status"]) for x in alerts] == [
        (a, "outcome.case-meeting", "missed"),
        (a, "outcome.first-session", "warning"),
        (b, "outcome.first-session", "warning"),
    ]


def test_session_progress_text():
    assert se.session_progress(CaseState(sessions_attended=7, planned_sessions=12)) == "7 of 12"
    assert se.session_progress(CaseState(sessions_attended=2)) == "2"
