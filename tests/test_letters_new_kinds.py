"""The four documents seed 004 asks for that the app could not write before: the assessment record for the
Clinical Lead, the probation update, the non-attendance letter to the RO and the end-of-treatment letter to the
client. Each is refused before the events support it (nothing written), is a DRAFT without what it needs, and
says what the record holds, field by field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from db import records as rec
from db import tasks as taskdb
from letters import documents as L
from letters.assessment import save_assessment
from records import appointments as ap
from records import casework, clients
from records import sessions as se
from records.questionnaire_records import add_questionnaire
from service.core import checklist_of
from tests.conftest import snapshot_counts
from tests.letters_support import (
    ASSESSED,
    SENTENCED,
    assert_no_markers,
    assessed_case,
    completed,
    docx_text,
    fill_report,
    sentenced,
    set_service,
)
from vocabulary.identity import ValidationError

LOCAL = "Peterborough Talking Therapies: 0300 000 0000\nMind in Cambridgeshire: 01223 000000"


@pytest.fixture
def service(db):
    set_service(db)
    return db


def _task(db, ref: str, key: str) -> dict:
    case = clients.require_case(db, ref)
    rows = taskdb.tasks_due(db, until=None, case_id=case["case_id"], include_closed=True)
    return [t for t in rows if t["key"] == key][-1]


def _refused(db, tmp_path, kind: str, ref: str, reason: str, today: date) -> None:
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match=reason):
        L.write_document(db, kind, ref, today=today, checklist=checklist_of(db))
    assert snapshot_counts(db) == before and not (tmp_path / "letters").exists()


# --- assessment record (Appendix 1) ---------------------------------------------------------------------------


def test_assessment_record_follows_appendix_1_and_ticks_send_documents_only_when_final(service, tmp_path):
    db = service
    ref = clients.add_client(db, {"name": "Robin Synthetic", "dob": "1987-03-14"}, ASSESSED)
    casework.record_event(db, ref, "screening", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    _refused(db, tmp_path, "assessment-record", ref, "follows an assessment", ASSESSED)
    ref = assessed_case(db, name="Jo Placeholder", nhs_number="4010232137")
    add_questionnaire(db, ref, "CORE-OM", [2] * 34, ASSESSED, "pre", today=ASSESSED, checklist=checklist_of(db))
    save_assessment(db, ref, {"social_circumstances": "Lives alone.", "mhtr_goals": "Sleep better."}, ASSESSED)
    d = L.draft(db, "assessment-record", ref, ASSESSED)
    assert d.missing == ["the presenting problem", "the risk assessment", "the outcome of assessment / plan"]
    w = L.write_document(db, "assessment-record", ref, today=ASSESSED, checklist=checklist_of(db))
    assert not w.final and w.ticked == [] and _task(db, ref, "assessment.send-documents")["status"] == "open"
    fill_report(db, ref)
    w = L.write_document(db, "assessment-record", ref, today=ASSESSED, checklist=checklist_of(db))
    assert w.final and _task(db, ref, "assessment.send-documents")["status"] == "done"
    text = docx_text(w.path)
    for expected in (
        "MHTR Practitioner Assessment",
        "Date of assessment\n1 September 2026",
        "Psychometric assessment outcomes",
        "PHQ-9 16: moderately severe symptoms of depression, in the clinical range; risk item endorsed.",
        "CORE-34: areas of difficulty and distress",
        "Functioning\n2.0 (mean item score, 0-4), 1 September 2026",
        "Risk item endorsed on the PHQ-9 of 1 September 2026",
        "About the individual",
        "Social circumstances (safeguarding, relationships, leisure, daily living, education and employment, "
        "housing, finance)\nLives alone.",
        "Vulnerabilities, including any history of trauma and abuse\nNot recorded.",
        "MHTR goals\nSleep better.",
        "Presenting problem\nLow mood and panic attacks since 2024.",
    ):
        assert expected in text, expected
    assert_no_markers(w.path)


# --- probation update -------------------------------------------------------------------------------------------


def test_probation_update_after_the_clinical_lead_decision_is_for_the_psr(service, tmp_path):
    db = service
    ref = clients.add_client(db, {"name": "Robin Synthetic", "dob": "1987-03-14"}, ASSESSED)
    casework.record_event(db, ref, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    _refused(db, tmp_path, "probation-update", ref, "follows the Clinical Lead decision or the court outcome",
             ASSESSED)
    ref = fill_report(db, assessed_case(db, name="Jo Placeholder", nhs_number="4010232137", gp_registered="no"))
    w = L.write_document(db, "probation-update", ref, today=ASSESSED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert w.final and "Pat Lee, NPS Court Team\nNational Probation Service" in text
    assert "approved a Mental Health Treatment Requirement. Please include this in the pre-sentence report." in text
    assert "Recommendation to court\nAn MHTR is recommended alongside a Community Order." in text
    assert "GP registration\nNot registered with a GP: registration is needed before treatment starts." in text
    assert "Risk item endorsed on the PHQ-9 of 1 September 2026" in text
    assert_no_markers(w.path)


def test_a_declined_decision_needs_its_reasons_and_the_nps_contact(service):
    db = service
    rec.set_setting(db, "nps_contact", "")
    ref = clients.add_client(db, {"name": "Casey Sample", "dob": "1980-05-05"}, ASSESSED)
    casework.record_event(db, ref, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(db, ref, "cl-decision", ASSESSED, {"decision": "declined", "reason": "Needs secondary care"},
                          ASSESSED, checklist=checklist_of(db))
    d = L.draft(db, "probation-update", ref, ASSESSED)
    assert d.missing == ["the NPS contact (setting nps_contact)"]
    text = docx_text(L.write_document(db, "probation-update", ref, today=ASSESSED, checklist=checklist_of(db)).path)
    assert "DRAFT, not for sending" in text and "[addressee missing]" in text
    assert "Reasons\nNeeds secondary care" in text and "not recommended to the court" in text


def test_probation_update_after_sentence_goes_to_the_ro_with_the_start_of_treatment(service):
    db = service
    ref = sentenced(db, fill_report(db, assessed_case(db)))
    day = SENTENCED + timedelta(days=1)
    text = docx_text(L.write_document(db, "probation-update", ref, today=day, checklist=checklist_of(db)).path)
    assert "Sam Okafor (sam.okafor@probation.example)\nNational Probation Service" in text
    assert "Dear Sam Okafor," in text
    assert "Mental Health Treatment Requirement made on 10 September 2026" in text
    case_meeting = _task(db, ref, "outcome.case-meeting")["due"]
    from vocabulary.dates import long_date

    meeting = "Post-sentence case management meeting\nNot yet held: to be arranged with you by "
    meeting += long_date(case_meeting)
    assert meeting in text
    assert "First treatment session\nNot yet booked: to be offered by " in text
    # booked, the update says when and where
    ap.book_appointment(
        db, ref, datetime(2026, 9, 30, 10, 0), place="Brook House", now=datetime(2026, 9, 11, 9),
        checklist=checklist_of(db)
    )
    text = docx_text(L.write_document(db, "probation-update", ref, today=day, checklist=checklist_of(db)).path)
    assert "First treatment session\nBooked for Wednesday 30 September 2026 at 10:00, Brook House." in text
    # with no RO recorded it is a draft
    clients.update_client(db, ref, {"ro_name": "", "ro_contact": ""}, day)
    assert L.draft(db, "probation-update", ref, day).missing == ["the Responsible Officer"]


# --- non-attendance --------------------------------------------------------------------------------------------


def _absent(db, ref: str, day: date) -> int:
    aid = ap.book_appointment(db, ref, datetime(day.year, day.month, day.day, 10), place="Brook House",
                              now=datetime(2026, 9, 11, 9), checklist=checklist_of(db))
    se.record_attendance(db, aid, "unacceptable-absence", today=day, checklist=checklist_of(db))
    return aid


def test_non_attendance_lists_the_absences_what_was_tried_and_the_breach_decision_date(service, tmp_path):
    db = service
    ref = sentenced(db, assessed_case(db))
    _refused(db, tmp_path, "non-attendance", ref, "follows an unacceptable absence", SENTENCED)
    first, second = date(2026, 10, 7), date(2026, 10, 14)
    _absent(db, ref, first)
    d = L.draft(db, "non-attendance", ref, first)
    assert d.missing == ["what was tried to re-engage the person"]
    assert "This is the first unacceptable absence in the order" in d.fields["breach_decision"]
    _absent(db, ref, second)
    save_assessment(db, ref, {"absence_actions": "Phoned twice; letter sent offering 21 October."}, second)
    w = L.write_document(db, "non-attendance", ref, today=second, checklist=checklist_of(db))
    assert w.final
    text = docx_text(w.path)
    due = _task(db, ref, "session.breach-decision")["due"]
    from vocabulary.dates import long_date

    for expected in (
        "Sam Okafor (sam.okafor@probation.example)",
        "There have been 2 unacceptable absences in the order.",
        "1\n7 October 2026\n10:00, Brook House\nNo reason given.",
        "2\n14 October 2026\n10:00, Brook House",
        "Phoned twice; letter sent offering 21 October.",
        f"is due by {long_date(due)} (the 6th working day after the second unacceptable absence)",
    ):
        assert expected in text, expected
    assert_no_markers(w.path)


# --- end-of-treatment letter to the client ----------------------------------------------------------------------


def test_client_letter_at_the_end_carries_the_signposting_of_4_5_2(service, tmp_path):
    db = service
    ref = sentenced(db, assessed_case(db))
    _refused(db, tmp_path, "client-completion", ref, "follows completion", SENTENCED)
    done = completed(db, ref)
    d = L.draft(db, "client-completion", ref, done)
    assert d.missing == ["the local services (setting signposting_local)"] and not d.final
    rec.set_setting(db, "signposting_local", LOCAL)
    rec.set_setting(db, "signposting_crisis", "First Response Service: call 111, option 2")
    save_assessment(db, ref, {"end_recommendations": "Keep the sleep routine going."}, done)
    w = L.write_document(db, "client-completion", ref, today=done, checklist=checklist_of(db))
    assert w.final
    text = docx_text(w.path)
    for expected in (
        "Robin Synthetic\n12 Test Street\nPeterborough\nPE1 2AB",
        "Dear Robin,",
        "You came to 12 sessions.",
        "Keep the sleep routine going.",
        "Samaritans: call 116 123",
        "First Response Service: call 111, option 2",
        "Peterborough Talking Therapies: 0300 000 0000",
        "Mind in Cambridgeshire: 01223 000000",
        "www.nhs.uk/every-mind-matters",
        "one to three more sessions",
    ):
        assert expected in text, expected
    assert "risk" not in text.lower().replace("at risk", "")  # the client's own letter says nothing about risk
    assert_no_markers(w.path)


# --- the menu's choice ------------------------------------------------------------------------------------------


def test_the_menu_opens_on_the_due_task_else_the_stage_never_on_the_consent_form(service):
    db = service
    ref = fill_report(db, assessed_case(db))
    from records.views import case_detail

    assert L.suggested_kind(case_detail(db, ref, ASSESSED)["tasks"], L.availability(db, ref, ASSESSED), ASSESSED) \
        == "court-report"  # after the assessment and the CL's approval
    L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db))
    sentenced(db, ref)
    available = L.availability(db, ref, SENTENCED)
    assert available["gp-letter"] is None and available["consent-form"] is None
    assert "follows completion" in available["completion-letter"]
    tasks = case_detail(db, ref, SENTENCED)["tasks"]
    assert L.suggested_kind(tasks, available, SENTENCED) == "gp-letter"  # the GP letter after sentence
    assert L.suggested_kind(tasks, available, SENTENCED, "court-report") == "court-report"  # the highlighted task's
    L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    tasks = case_detail(db, ref, SENTENCED)["tasks"]
    assert L.suggested_kind(tasks, available, SENTENCED) == "assessment-record"  # still open and due
    L.write_document(db, "assessment-record", ref, today=SENTENCED, checklist=checklist_of(db))
    tasks = case_detail(db, ref, SENTENCED)["tasks"]
    # nothing due asks for a document now: the one the case has reached, not the consent form
    assert L.suggested_kind(tasks, available, SENTENCED) == "gp-letter"
    only_consent = {kind: ("not yet" if kind != "consent-form" else None) for kind in available}
    assert L.suggested_kind([], only_consent, SENTENCED) == "consent-form"


def test_no_non_attendance_letter_once_treatment_has_ended(service, tmp_path):
    db = service
    ref = sentenced(db, assessed_case(db))
    _absent(db, ref, date(2026, 10, 7))
    assert L.draft(db, "non-attendance", ref, date(2026, 10, 8)).fields["last_absence"] == "7 October 2026"
    day = date(2026, 10, 14)
    checklist = checklist_of(db)
    casework.record_event(db, ref, "session", day, {"outcome": "attended", "final": True}, day, checklist=checklist)
    casework.record_event(db, ref, "completion", day, {}, day, checklist=checklist)
    _refused(db, tmp_path, "non-attendance", ref, "treatment was completed on 14 October 2026", day)
