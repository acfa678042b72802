"""A whole accepted case, screening to the 12-month follow-up, done only through the app's own actions (the
service both front ends call: record an event, log a session, save a questionnaire, copy the health-system
entry, share the week, write the documents), one working day at a time. What is left open afterwards is only
work no app action can do: the test names it, so a change that leaves more for the person fails here."""

from __future__ import annotations

from datetime import date, timedelta

from letters.assessment import save_assessment
from service.clock import Clock
from service.core import Service
from tests.letters_support import CLIENT, set_service
from tests.sessions_support import all_tasks

SCREENED = date(2026, 1, 5)  # a Monday
PHQ = [1, 1, 1, 1, 1, 1, 1, 1, 0]  # no risk item endorsed
GAD = [1, 1, 1, 1, 1, 1, 1]
CORE = [1] * 34
for item in (6, 9, 16, 22, 24, 34):  # CORE-OM's risk items not endorsed
    CORE[item - 1] = 0

# Work outside the app: talking to people, and entries in the trust's record for which the app writes no text.
LEFT_FOR_THE_PERSON = {
    "court.liaise": 1,  # liaise with probation / L&D about screening
    "assessment.health-entry": 1,  # the app writes a health-system entry only for sessions
    "assessment.referrals": 1,  # follow up referrals, liaise with partners
    "outcome.health-entry": 1,
    "outcome.update-teams": 1,  # update the care teams and probation
    "outcome.risk-status": 1,  # ask probation for its risk score
    "outcome.ro-allocated": 1,  # check probation allocated an RO
    "session.save-documents": 12,  # send documents to CL/RC/admin support to upload, after each session
}


def _on(db, day: date) -> Service:
    """The app as it runs on ``day`` at 17:00."""
    from datetime import datetime, time

    return Service(db, Clock.fixed(datetime.combine(day, time(17, 0))))


def _forms(svc: Service, ref: str, day: date, timepoint: str) -> None:
    for instrument, items in (("PHQ-9", PHQ), ("GAD-7", GAD), ("CORE-OM", CORE)):
        svc.add_questionnaire(ref, instrument, items, day, timepoint)


def test_a_full_accepted_case_through_the_apps_own_actions(db, tmp_path):
    set_service(db)
    svc = _on(db, SCREENED)
    ref = svc.add_client({**CLIENT, "ro_name": "Sam Officer", "ro_contact": "sam.officer@probation.example"})
    svc.record(ref, "screening", SCREENED)
    svc.record(ref, "assessment", SCREENED)
    _forms(svc, ref, SCREENED, "pre")
    svc.record(ref, "consent", SCREENED)
    save_assessment(db, ref, {
        "presenting_problem": "Low mood and worry for a year.",
        "risk": "No current thoughts of self-harm or harm to others reported.",
        "plan": "Suitable for MHTR: behavioural activation.",
        "court_recommendations": "A Community Order with an MHTR of 12 sessions is recommended.",
    }, SCREENED)
    assert svc.write_document("assessment-record", ref, tmp_path / "a.docx").ticked
    assert svc.write_document("court-report", ref, tmp_path / "cr.docx").ticked == []  # a draft until the CL decides

    svc = _on(db, SCREENED + timedelta(days=1))
    svc.record(ref, "cl-decision", svc.today, {"decision": "approved"})
    assert svc.write_document("court-report", ref, tmp_path / "cr2.docx").ticked
    svc.record(ref, "court-report-sent", svc.today)

    sentenced = SCREENED + timedelta(days=11)  # Friday 16 January
    svc = _on(db, sentenced)
    svc.record(ref, "court-outcome", sentenced, {"outcome": "accepted", "order": "CO", "length_months": 12,
                                                 "sessions": 12})
    assert svc.write_document("gp", ref, tmp_path / "gp.docx").ticked
    svc.write_document("probation-update", ref, tmp_path / "pu.docx")

    svc = _on(db, sentenced + timedelta(days=10))
    svc.record(ref, "case-meeting", svc.today)

    day = sentenced + timedelta(days=17)  # Monday 2 February, then weekly
    for n in range(1, 13):
        svc = _on(db, day)
        log = svc.log_session(ref, day, "attended", risk="No concerns raised.", summary=f"Session {n} work.",
                              plan="Continue.", complete=(n == 12))
        text, _, ticked = svc.copy_health_entry(log.event_id, app_copy=lambda _text: None)
        assert ticked == ["Health system entry for the session (risk, summary, plan)"], (n, ticked)
        svc.share_week(tmp_path / f"share-{n}", day)
        last = day
        day += timedelta(days=7)

    svc = _on(db, last)
    _forms(svc, ref, last, "post")
    save_assessment(db, ref, {"end_risk": "No risk concerns at the end of treatment."}, last)
    assert svc.write_document("completion", ref, tmp_path / "c.docx").ticked
    svc.write_document("client-completion", ref, tmp_path / "cc.docx")

    for months, when in ((3, date(2026, 7, 20)), (6, date(2026, 10, 19)), (12, date(2027, 4, 19))):
        svc = _on(db, when)
        _forms(svc, ref, when, f"follow-up-{months}")
        svc.record(ref, "follow-up", when, {"months": months})

    assert svc.case_detail(ref)["stage"] == "closed"
    still_open: dict[str, int] = {}
    for t in all_tasks(db, ref):
        if t["status"] == "open":
            still_open[t["key"]] = still_open.get(t["key"], 0) + 1
    assert still_open == LEFT_FOR_THE_PERSON
    assert sum(still_open.values()) == 19
    by_app = [t for t in all_tasks(db, ref) if t["status"] == "done" and (t["reason"] or "").startswith("by mhtr-tui")]
    assert len(by_app) >= 40  # data capture, scoring, entries, shares and documents, each with the time
    assert all(t["closed_at"] for t in by_app)
