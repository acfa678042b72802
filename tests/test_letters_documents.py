"""Each document written for synthetic cases, read back with python-docx and checked field by field; the
record on the case, the ticked checklist task, owner-only files, and refusals that write nothing.
"""

from __future__ import annotations

import hashlib
import stat
from datetime import date

import pytest

from db import tasks as taskdb
from letters import documents as L
from letters.assessment import save_assessment
from records import casework, clients
from service.core import checklist_of
from tests.conftest import snapshot_counts
from tests.letters_support import (
    ASSESSED,
    SENTENCED,
    assert_no_markers,
    assessed_case,
    completed,
    docx_text,
    sentenced,
    set_service,
)
from vocabulary.identity import ValidationError


@pytest.fixture
def service(db):
    set_service(db)
    return db


def _task(db, ref: str, key: str) -> dict:
    case = clients.require_case(db, ref)
    tasks = taskdb.tasks_due(db, until=None, case_id=case["case_id"], include_closed=True)
    rows = [t for t in tasks if t["key"] == key]
    assert rows, f"no task {key}"
    return rows[-1]


def test_gp_letter_accepted_field_by_field(service, tmp_path):
    db = service
    ref = sentenced(db, assessed_case(db), combined="ATR")
    assert _task(db, ref, "outcome.gp-letter")["status"] == "open"
    w = L.write_document(db, "gp", ref, today=date(2026, 9, 11), checklist=checklist_of(db))
    assert w.path == tmp_path / "letters" / f"{ref}-gp-letter-2026-09-11.docx"
    text = docx_text(w.path)
    for expected in (
        "Primary Care MHTR Service",  # letterhead
        "Brook House",
        "Tel: 01733 000000",
        "11 September 2026",  # date of the letter, UK long form
        "Our ref: MHTR-0001",
        "Example Surgery",  # addressee
        "1 High Street\nPeterborough\nPE1 3CD",
        "Re: Robin Synthetic, date of birth 14 March 1987, NHS number 999 476 5914: Mental Health Treatment "
        "Requirement made on 10 September 2026",
        "12 Test Street, Peterborough, PE1 2AB",
        "Community Order with a Mental Health Treatment Requirement and a Alcohol Treatment Requirement",
        "10 September 2026",
        "Peterborough Magistrates' Court",
        "12 months",
        "Jamie Rowe, Assistant Psychologist",
        "Dr Alex Morgan, Clinical Psychologist",
        "PHQ-9 on 1 September 2026: 16 (moderately severe)",
        "GAD-7 on 1 September 2026: 14 (moderate)",
        "Yours sincerely,",
        "Jamie Rowe\nAssistant Psychologist",
    ):
        assert expected in text, expected
    assert "Planned sessions\n12" in text
    assert_no_markers(w.path)
    assert stat.S_IMODE(w.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(w.path.parent.stat().st_mode) == 0o700
    # recorded on the case with its checksum, and the checklist item ticked
    docs = L.documents_of(db, ref)
    assert [(d["kind"], d["path"], d["sha256"]) for d in docs] == [
        ("gp-letter", str(w.path), hashlib.sha256(w.path.read_bytes()).hexdigest())
    ]
    assert _task(db, ref, "outcome.gp-letter")["status"] == "done"
    assert w.ticked == ["Letter to GP about the court outcome"]


def test_gp_letter_declined_by_court_gives_outcome_reasons_and_signposting(service):
    db = service
    ref = assessed_case(db)
    save_assessment(db, ref, {"signposting": "Referred to NHS Talking Therapies; Samaritans 116 123."}, ASSESSED)
    casework.record_event(
        db, ref, "court-outcome", SENTENCED, {"outcome": "declined", "reason": "Custodial sentence given"}, SENTENCED,
        checklist=checklist_of(db)
    )
    w = L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert "On 10 September 2026 Peterborough Magistrates' Court did not make a Mental Health Treatment" in text
    assert "Reasons\nCustodial sentence given" in text
    assert "Recommendations and signposting\nReferred to NHS Talking Therapies; Samaritans 116 123." in text
    assert "PHQ-9 on 1 September 2026: 16" in text
    assert "Community Order" not in text
    assert w.title == "GP letter: MHTR declined by the court"
    assert_no_markers(w.path)


def test_gp_letter_declined_by_clinical_lead(service):
    db = service
    ref = clients.add_client(db, {"name": "Jo Placeholder", "dob": "1990-01-02"}, ASSESSED)
    casework.record_event(db, ref, "screening", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(db, ref, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "cl-decision", ASSESSED, {"decision": "declined", "reason": "Needs secondary care"}, ASSESSED,
        checklist=checklist_of(db)
    )
    fields, warnings = L.preview(db, "gp", ref, ASSESSED)
    assert "missing the practice's address: written as a DRAFT until it is filled" in warnings
    assert "no NHS number" in warnings
    assert "no recommendations or signposting recorded" in " ".join(warnings)
    w = L.write_document(db, "gp", ref, today=ASSESSED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert "Dr Alex Morgan, Clinical Lead, decided that a Mental Health Treatment Requirement is not suitable" in text
    assert "Reasons\nNeeds secondary care" in text
    assert "NHS number not known: Mental Health Treatment Requirement not proposed (Clinical Lead decision of" in text
    # the name between commas ("Your patient, Jo Placeholder was assessed" read as addressing the patient)
    assert "Your patient, Jo Placeholder, was assessed by our service on 1 September 2026 for a" in text
    assert_no_markers(w.path)


def test_gp_letter_declined_for_a_client_not_registered_names_them_without_the_commas(service):
    db = service
    ref = clients.add_client(db, {"name": "Jo Placeholder", "dob": "1990-01-02", "gp_practice": "Parkway Surgery",
                                  "gp_registered": "no"}, ASSESSED)
    casework.record_event(db, ref, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "cl-decision", ASSESSED, {"decision": "declined", "reason": "Needs secondary care"}, ASSESSED,
        checklist=checklist_of(db)
    )
    text = docx_text(L.write_document(db, "gp", ref, today=ASSESSED, checklist=checklist_of(db)).path)
    assert "Jo Placeholder was assessed by our service on 1 September 2026" in text
    assert "is not registered with a GP" in text


def test_court_report_follows_appendix_3_with_scores_table(service):
    db = service
    ref = assessed_case(db)
    save_assessment(
        db,
        ref,
        {
            "presenting_problem": "Low mood and panic attacks since 2024.",
            "formulation": "Losses in 2023 maintained by avoidance.",
            "plan": "Suitable for an MHTR: CBT for depression.",
            "risk": "Low risk to self; no current intent.",
            "court_recommendations": "An MHTR is recommended alongside a Community Order.",
            "treatment_plan": "12 sessions of CBT with Jamie Rowe at Brook House.",
            "first_therapy": "Week of 5 October 2026 at Brook House, Peterborough.",
        },
        ASSESSED,
    )
    assert _task(db, ref, "assessment.court-report")["status"] == "open"
    w = L.write_document(db, "court-report", ref, today=date(2026, 9, 2), checklist=checklist_of(db))
    text = docx_text(w.path)
    for label, value in (
        ("Name", "Robin Synthetic"),
        ("Date of birth", "14 March 1987"),
        ("NHS number", "999 476 5914"),
        ("Date", "2 September 2026"),
        ("Requirements assessed", "MHTR"),
        ("Initial assessment completed by", "Jamie Rowe, Assistant Psychologist, on 1 September 2026"),
        ("Consent of defendant to assessment and treatment gained?", "Yes, on 1 September 2026"),
        ("Presenting problem and formulation", "Low mood and panic attacks since 2024."),
        ("Outcome of assessment / Plan", "Suitable for an MHTR: CBT for depression."),
        ("Recommendations to court from Responsible Clinician", "An MHTR is recommended alongside a Community Order."),
        ("Treatment plan, including details of treatment provider", "12 sessions of CBT with Jamie Rowe"),
        ("Risk information", "Risk assessment (1 September 2026): Low risk to self; no current intent."),
        ("When and where initial therapy will be available", "Week of 5 October 2026 at Brook House, Peterborough."),
    ):
        assert f"{label}\n{value}" in text, label
    assert "Formulation: Losses in 2023 maintained by avoidance." in text
    assert "Approved by Dr Alex Morgan, Responsible Clinician, on 1 September 2026." in text
    assert "To: Pat Lee, NPS Court Team" in text
    # the screening table, one row per stored questionnaire
    from docx import Document

    table = next(t for t in Document(str(w.path)).tables if t.rows[0].cells[0].text == "Measure")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][:5] == ["Measure", "Date", "Score", "Severity", "Clinical range"]
    assert rows[1][:5] == ["PHQ-9", "1 September 2026", "16", "moderately severe", "Yes"]
    assert "risk item endorsed" in rows[1][5]
    # under each score, one line a magistrate can read, across the whole table
    assert set(rows[2]) == {
        "PHQ-9 16: moderately severe symptoms of depression, in the clinical range; risk item endorsed."
    }
    assert rows[3][:5] == ["GAD-7", "1 September 2026", "14", "moderate", "Yes"]
    assert set(rows[4]) == {"GAD-7 14: moderate symptoms of anxiety, in the clinical range."}
    assert len(rows) == 5
    assert_no_markers(w.path)
    assert _task(db, ref, "assessment.court-report")["status"] == "done"
    assert _task(db, ref, "assessment.send-report")["status"] == "open"  # done when sent, not when written


def test_consent_form_prefilled_for_signature(service):
    db = service
    ref = assessed_case(db, requirement="MHTR and DRR")
    w = L.write_document(db, "consent", ref, today=ASSESSED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert "Name: Robin Synthetic" in text or "Name\nRobin Synthetic" in text
    assert "Date of birth\n14 March 1987" in text
    assert "GP surgery\nExample Surgery, 1 High Street, Peterborough, PE1 3CD" in text
    assert "\u2612  Mental Health Treatment Requirement (MHTR): assessed" in text
    assert "\u2612  Drug Rehabilitation Requirement (DRR): assessed" in text
    assert "\u2610  Alcohol Treatment Requirement (ATR)" in text
    assert "Signature" in text and "Consent explained by\nJamie Rowe, Assistant Psychologist" in text
    assert_no_markers(w.path)


def test_completion_letter_first_and_last_scores_with_change(service):
    db = service
    ref = sentenced(db, assessed_case(db))
    save_assessment(db, ref, {"end_recommendations": "Continue the relapse prevention plan."}, SENTENCED)
    done = completed(db, ref)
    w = L.write_document(db, "completion", ref, today=done, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert "Robin Synthetic completed treatment under their Mental Health Treatment Requirement on" in text
    assert "Sessions attended\n12 of 12 planned" in text
    assert "Unacceptable absences\n0" in text
    from docx import Document

    table = next(t for t in Document(str(w.path)).tables if t.rows[0].cells[0].text == "Measure")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[1][0] == "PHQ-9" and rows[1][1].startswith("16 (moderately severe)")
    assert rows[1][2].startswith("3 (minimal)")
    assert rows[1][3:] == ["13 points better", "Yes", "Yes"]
    assert rows[2][0] == "GAD-7" and rows[2][3:] == ["12 points better", "Yes", "Yes"]
    assert "reliable improvement: yes" in text and "recovery: yes" in text
    assert "Risk at the end of treatment\nRisk noted at session 12 (16 December 2026): No concerns raised." in text
    assert "Continue the relapse prevention plan." in text
    assert "3 months (" in text and "12 months (" in text
    assert_no_markers(w.path)
    assert _task(db, ref, "completion.gp-letter")["status"] == "done"


@pytest.mark.parametrize(
    ("kind", "setup", "reason"),
    [
        ("gp", "assessed", "the Clinical Lead approved it; the court has not decided yet"),
        ("gp", "new", "no decision is recorded yet"),
        ("completion", "sentenced", "the completion letter follows completion"),
        ("court-report", "new", "the court report follows an assessment"),
    ],
)
def test_refused_when_the_events_do_not_support_it(service, tmp_path, kind, setup, reason):
    db = service
    if setup == "new":
        ref = clients.add_client(db, {"name": "Casey Sample", "dob": "1980-05-05"}, ASSESSED)
    else:
        ref = assessed_case(db)
        if setup == "sentenced":
            sentenced(db, ref)
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match=reason):
        L.write_document(db, kind, ref, today=SENTENCED, checklist=checklist_of(db))
    assert snapshot_counts(db) == before
    assert not (tmp_path / "letters").exists()


def test_consent_form_refused_for_a_closed_case(service):
    db = service
    ref = clients.add_client(db, {"name": "Casey Sample", "dob": "1980-05-05"}, ASSESSED)
    casework.record_event(db, ref, "screening", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "not-eligible", ASSESSED, {"reason": "No mental health need"}, ASSESSED, checklist=checklist_of(db)
    )
    with pytest.raises(ValidationError, match="closed"):
        L.write_document(db, "consent", ref, today=ASSESSED, checklist=checklist_of(db))


def test_explicit_path_and_no_overwrite(service, tmp_path):
    db = service
    ref = sentenced(db, assessed_case(db))
    out = tmp_path / "out" / "letter.docx"
    assert L.write(db, "gp", ref, out, today=SENTENCED, checklist=checklist_of(db)) == out
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="already exists"):
        L.write(db, "gp", ref, out, today=SENTENCED, checklist=checklist_of(db))
    assert snapshot_counts(db) == before
    with pytest.raises(ValidationError, match="ends in .docx"):
        L.write(db, "gp", ref, tmp_path / "letter.pdf", today=SENTENCED, checklist=checklist_of(db))
    # a folder given as -o gets the usual name; a second letter on the same day gets -2
    first = L.write(db, "gp", ref, tmp_path / "out", today=SENTENCED, checklist=checklist_of(db))
    second = L.write(db, "gp", ref, tmp_path / "out", today=SENTENCED, checklist=checklist_of(db))
    assert first.name == f"{ref}-gp-letter-2026-09-10.docx" and second.name == f"{ref}-gp-letter-2026-09-10-2.docx"


def test_unknown_kind_and_case(service):
    known = "documents are: gp, court-report, completion, consent, assessment-record"
    with pytest.raises(ValidationError, match=known):
        L.preview(service, "referral", "MHTR-0001", ASSESSED)
    with pytest.raises(ValidationError, match="no case"):
        L.preview(service, "gp", "MHTR-0999", ASSESSED)
