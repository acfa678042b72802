"""Documents that are safe to send: risk said from every source, complete before final (a DRAFT on every page
that ticks nothing otherwise), GP letters that name the RO and the order, the court report a magistrate can
read, a consent form that promises what the case says, and properties that say who wrote the file and when.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from db import records as rec
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
    fill_report,
    sentenced,
    set_service,
)
from vocabulary.identity import ValidationError


@pytest.fixture
def service(db):
    set_service(db)
    return db


def _status(db, ref: str, key: str) -> str:
    case = clients.require_case(db, ref)
    rows = taskdb.tasks_due(db, until=None, case_id=case["case_id"], include_closed=True)
    return [t for t in rows if t["key"] == key][-1]["status"]


def _headers(path) -> list[str]:
    """The text of each header part (first page and later pages)."""
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("word/header")]


# --- 1. one source for risk ---------------------------------------------------------------------------------------


def test_typed_none_and_an_endorsed_item_9_both_reach_every_document_and_the_preview_warns(service):
    db = service
    ref = fill_report(db, assessed_case(db))  # PHQ-9 item 9 endorsed at assessment
    save_assessment(db, ref, {"risk": "No current thoughts of self-harm or harm to others reported."}, ASSESSED)
    _, warnings = L.preview(db, "court-report", ref, ASSESSED)
    assert any("risk assessment says" in w and "PHQ-9 item 9 was endorsed on 1 September 2026" in w for w in warnings)
    report = docx_text(L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db)).path)
    sentenced(db, ref)
    gp = docx_text(L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db)).path)
    done = completed(db, ref)
    save_assessment(db, ref, {"end_risk": "No concerns at the end."}, done)
    completion = docx_text(L.write_document(db, "completion", ref, today=done, checklist=checklist_of(db)).path)
    endorsed = "Risk item endorsed on the PHQ-9 of 1 September 2026: item 9 (thoughts that you would be better off dead"
    for text in (report, gp, completion):
        assert "No current thoughts of self-harm or harm to others reported." in text
        assert endorsed in text
        assert "Risk actions still open on the date of this document" in text  # the risk task is still open
    assert "Not endorsed on the latest PHQ-9 (" in completion and "No concerns at the end." in completion
    assert "Not recorded" not in completion


def test_gp_letter_and_completion_letter_carry_the_same_risk_summary(service):
    db = service
    ref = sentenced(db, fill_report(db, assessed_case(db)))
    done = completed(db, ref)
    save_assessment(db, ref, {"end_risk": "Low."}, done)
    gp_fields, _ = L.preview(db, "gp", ref, done)
    completion_fields, _ = L.preview(db, "completion", ref, done)
    assert gp_fields["risk_lines"] == completion_fields["risk_lines"]
    assert any("PHQ-9 of 1 September 2026" in line for line in gp_fields["risk_lines"])


# --- 2. complete before final -----------------------------------------------------------------------------------


def test_a_court_report_with_nothing_filled_is_a_draft_on_every_page_and_ticks_nothing(service, tmp_path):
    db = service
    ref = assessed_case(db)
    d = L.draft(db, "court-report", ref, ASSESSED)
    assert d.missing == [
        "the presenting problem",
        "the risk information",
        "the outcome of assessment / plan",
        "the recommendations to court",
    ]
    assert not d.final and d.title.startswith("DRAFT")
    w = L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db))
    assert w.path.name == f"{ref}-court-report-draft-2026-09-01.docx" and not w.final and w.ticked == []
    headers = _headers(w.path)
    assert len(headers) == 2 and all("DRAFT: NOT FOR SENDING" in h for h in headers)
    text = docx_text(w.path)
    assert "DRAFT, not for sending: missing the presenting problem, the risk information, the outcome of " in text
    assert _status(db, ref, "assessment.court-report") == "open"
    assert_no_markers(w.path)
    # filled in, the same report is final: no DRAFT anywhere, and the task closes
    fill_report(db, ref)
    w = L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db))
    assert w.final and w.path.name == f"{ref}-court-report-2026-09-01.docx"
    assert "DRAFT" not in docx_text(w.path) and not any("DRAFT" in h for h in _headers(w.path))
    assert _status(db, ref, "assessment.court-report") == "done"


def test_screening_results_are_required_for_a_final_court_report(service):
    db = service
    ref = fill_report(db, assessed_case(db, scores=False))
    d = L.draft(db, "court-report", ref, ASSESSED)
    assert d.missing == ["the screening tool results"] and not d.final


def test_a_gp_letter_with_no_practice_is_a_draft_and_its_task_stays_open(service):
    db = service
    ref = sentenced(db, assessed_case(db, gp_practice="", gp_address=""))
    w = L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    assert not w.final and w.missing == ["the GP practice", "the practice's address"]
    assert w.ticked == [] and _status(db, ref, "outcome.gp-letter") == "open"
    assert "[GP practice missing]" in docx_text(w.path)
    clients.update_client(db, ref, {"gp_practice": "Example Surgery", "gp_address": "1 High Street"}, SENTENCED)
    w = L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    assert w.final and _status(db, ref, "outcome.gp-letter") == "done"


def test_a_completion_letter_without_end_risk_is_a_draft(service):
    db = service
    ref = sentenced(db, assessed_case(db))
    day = SENTENCED + timedelta(days=20)
    casework.record_event(
        db, ref, "session", day, {"outcome": "attended"}, day, checklist=checklist_of(db)
    )  # no risk note
    casework.record_event(db, ref, "completion", day, {}, day, checklist=checklist_of(db))
    d = L.draft(db, "completion", ref, day)
    assert d.missing == ["the risk at the end of treatment"] and not d.final


# --- 3. GP letters ----------------------------------------------------------------------------------------------


def test_gp_letter_names_the_ro_and_the_order_and_identifies_every_later_page(service):
    db = service
    ref = sentenced(db, fill_report(db, assessed_case(db)))
    w = L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert ("Re: Robin Synthetic, date of birth 14 March 1987, NHS number 999 476 5914: Mental Health Treatment "
            "Requirement made on 10 September 2026") in text
    assert "Responsible Officer (probation)\nSam Okafor (sam.okafor@probation.example)" in text
    assert "The Responsible Officer is Sam Okafor (sam.okafor@probation.example)." in text
    later = [h for h in _headers(w.path) if "date of birth" in h]
    assert later and "Robin Synthetic, date of birth 14 March 1987, NHS number 999 476 5914" in later[0]


def test_a_client_not_registered_with_a_gp_is_not_your_patient(service):
    db = service
    ref = sentenced(db, assessed_case(db, gp_registered="no"))
    _, warnings = L.preview(db, "gp", ref, SENTENCED)
    assert any("not registered with a GP" in w for w in warnings)
    text = docx_text(L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db)).path)
    assert "your patient" not in text
    assert "is not registered with a GP" in text and "Please register them with your practice" in text


def test_a_declined_letter_without_signposting_says_what_the_gp_can_do(service):
    db = service
    ref = clients.add_client(db, {"name": "Jo Placeholder", "dob": "1990-01-02", "gp_practice": "Example Surgery",
                                   "gp_address": "1 High Street"}, ASSESSED)
    casework.record_event(db, ref, "screening", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(db, ref, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(db, ref, "cl-decision", ASSESSED, {"decision": "declined", "reason": "Needs secondary care"},
                          ASSESSED, checklist=checklist_of(db))
    _, warnings = L.preview(db, "gp", ref, ASSESSED)
    assert any("no recommendations or signposting recorded" in w for w in warnings)
    text = docx_text(L.write_document(db, "gp", ref, today=ASSESSED, checklist=checklist_of(db)).path)
    assert "NHS Talking Therapies" in text and "NHS 111" in text
    assert "Mental Health Treatment Requirement not proposed (Clinical Lead decision of 1 September 2026)" in text
    save_assessment(db, ref, {"signposting": "Referred to the community mental health team."}, ASSESSED)
    text = docx_text(L.write_document(db, "gp", ref, today=ASSESSED, checklist=checklist_of(db)).path)
    assert "Referred to the community mental health team." in text and "NHS Talking Therapies" not in text


# --- 4. court report --------------------------------------------------------------------------------------------


def test_court_report_names_core_34_and_has_a_signature_block(service):
    db = service
    ref = fill_report(db, assessed_case(db, scores=False))
    from records.questionnaire_records import add_questionnaire

    add_questionnaire(db, ref, "CORE-OM", [2] * 34, ASSESSED, "pre", today=ASSESSED, checklist=checklist_of(db))
    text = docx_text(L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db)).path)
    assert "CORE-34\n1 September 2026" in text and "CORE-OM\n" not in text
    assert "CORE-34 " in text and "psychological distress" in text
    assert "Responsible Clinician\nDr Alex Morgan, Clinical Psychologist\nSignature\n\nDate\n" in text


def test_re_issuing_a_court_report_after_sentence_asks_first(service):
    db = service
    ref = sentenced(db, fill_report(db, assessed_case(db)))
    d = L.draft(db, "court-report", ref, SENTENCED)
    assert d.confirm and "The court decided on 10 September 2026" in d.confirm
    assert any("re-issues the report" in w for w in d.warnings)
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="Write it again anyway"):
        L.write_document(db, "court-report", ref, today=SENTENCED, checklist=checklist_of(db))
    assert snapshot_counts(db) == before
    assert L.write_document(
        db, "court-report", ref, today=SENTENCED, confirmed=True, checklist=checklist_of(db)
    ).path.is_file()


# --- 5. consent form ----------------------------------------------------------------------------------------------


def test_consent_form_promises_the_cases_sessions_and_states_the_services_retention(service):
    db = service
    ref = assessed_case(db)
    text = docx_text(L.write_document(db, "consent", ref, today=ASSESSED, checklist=checklist_of(db)).path)
    assert "attendance of the 12-session programme, consisting of one-hour sessions weekly or fortnightly" in text
    assert "12-week" not in text
    assert "20 years after your treatment ends" in text and "Records Management Code of Practice" in text
    rec.set_setting(db, "session_frequency", "fortnightly")
    rec.set_setting(db, "retention_statement", "We keep your records for 8 years after treatment ends.")
    sentenced(db, ref, sessions=8)
    text = docx_text(L.write_document(db, "consent", ref, today=SENTENCED, checklist=checklist_of(db)).path)
    assert "attendance of the 8-session programme, consisting of one-hour sessions fortnightly" in text
    assert "We keep your records for 8 years after treatment ends." in text and "20 years" not in text
    # every other wording of Appendix 2 stays
    assert "You have the right to withdraw your consent at any time." in text


# --- 9. properties ----------------------------------------------------------------------------------------------------


def test_every_document_names_the_practitioner_and_service_with_the_real_time(service):
    from docx import Document

    db = service
    ref = sentenced(db, fill_report(db, assessed_case(db)))
    before = datetime.now(UTC).replace(microsecond=0)
    path = L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db)).path
    props = Document(str(path)).core_properties
    assert props.author == "Jamie Rowe" and props.last_modified_by == "Jamie Rowe"
    assert props.title == "GP letter: MHTR made" and props.subject == "Primary Care MHTR Service"
    created = props.created.replace(tzinfo=UTC) if props.created.tzinfo is None else props.created
    assert before <= created <= datetime.now(UTC) and props.modified == props.created
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
        assert "<Company>Primary Care MHTR Service</Company>" in app and "<Application>mhtr-tui</Application>" in app
        assert not any("thumbnail" in n for n in z.namelist())
