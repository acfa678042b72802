"""The court report says honestly where the Clinical Lead decision stands: before it, a DRAFT that recommends
nothing; after an approval, the recorded recommendations; never a recommendation for an MHTR the CL declined."""

from __future__ import annotations

import pytest

from db import tasks as taskdb
from letters import documents as L
from letters.assessment import save_assessment
from letters.court_report import recommendation_text
from records import casework, clients
from service.core import checklist_of
from tests.letters_support import ASSESSED, docx_text, set_service
from vocabulary.identity import ValidationError

RECOMMENDS = "An MHTR is recommended alongside a Community Order."


def _undecided(db) -> str:
    """Screened, assessed (PHQ-9 stored) and consented, with every report field typed, but no CL decision."""
    from records.questionnaire_records import add_questionnaire

    set_service(db)
    ref = clients.add_client(db, {"name": "Robin Synthetic", "dob": "1987-03-14"}, ASSESSED)
    for kind in ("screening", "assessment", "consent"):
        casework.record_event(db, ref, kind, ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    add_questionnaire(db, ref, "PHQ-9", [1] * 8 + [0], ASSESSED, "pre", today=ASSESSED, checklist=checklist_of(db))
    save_assessment(
        db,
        ref,
        {"court_recommendations": RECOMMENDS, "presenting_problem": "Low mood.", "plan": "CBT.", "risk": "Low."},
        ASSESSED,
    )
    return ref


def _court_report_task(db, ref: str) -> dict:
    case = clients.require_case(db, ref)
    rows = taskdb.tasks_due(db, until=None, case_id=case["case_id"], include_closed=True)
    return next(t for t in rows if t["key"] == "assessment.court-report")


def test_before_the_clinical_lead_decides_the_report_is_a_draft_that_recommends_nothing(db):
    ref = _undecided(db)
    w = L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert "DRAFT: Responsible Clinician's Report" in text
    assert "awaiting the Clinical Lead decision" in text.split("Name\n")[0]  # said at the top, before the table
    row = text.split("Recommendations to court from Responsible Clinician\n")[1].split("\n")[0]
    assert row.startswith("DRAFT: awaiting the Clinical Lead decision")
    assert "recommended" not in row.replace("No recommendation", "") and RECOMMENDS not in text
    assert "Clinical Lead decision\nDRAFT: awaiting the Clinical Lead decision" in text
    assert "DRAFT" in w.title
    # a draft is not the finished report the checklist asks for
    assert _court_report_task(db, ref)["status"] == "open" and w.ticked == []


def test_after_approval_the_report_is_final_and_carries_the_recommendation(db):
    ref = _undecided(db)
    casework.record_event(
        db, ref, "cl-decision", ASSESSED, {"decision": "approved"}, ASSESSED, checklist=checklist_of(db)
    )
    w = L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert "DRAFT" not in text and "DRAFT" not in w.title
    assert f"Recommendations to court from Responsible Clinician\n{RECOMMENDS}" in text
    assert _court_report_task(db, ref)["status"] == "done"


def test_a_declined_decision_never_yields_an_mhtr_recommendation():
    declined = {"kind": "cl-decision", "date": "2026-09-01", "data": {"decision": "declined", "reason": "x"}}
    text = recommendation_text(declined, RECOMMENDS)
    assert RECOMMENDS not in text and "not recommended" in text and "1 September 2026" in text
    approved = {"kind": "cl-decision", "date": "2026-09-01", "data": {"decision": "approved"}}
    assert recommendation_text(approved, RECOMMENDS) == RECOMMENDS
    assert recommendation_text(approved, "") == "Not recorded."
    assert recommendation_text(None, RECOMMENDS).startswith("DRAFT: awaiting the Clinical Lead decision")


def test_a_declined_case_still_has_no_court_report(db):
    set_service(db)
    ref = clients.add_client(db, {"name": "Jo Placeholder", "dob": "1990-01-02"}, ASSESSED)
    casework.record_event(db, ref, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "cl-decision", ASSESSED, {"decision": "declined", "reason": "x"}, ASSESSED, checklist=checklist_of(db)
    )
    with pytest.raises(ValidationError, match="declined the MHTR"):
        L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db))
