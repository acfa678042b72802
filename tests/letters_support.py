"""Shared set-up for tests/test_letters_*.py: synthetic cases at each point a document is written, the
service settings, and reading a written .docx back as text (body, tables, headers and footers).
"""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from pathlib import Path

from db import records as rec
from records import casework, clients
from records.questionnaire_records import add_questionnaire
from service.core import checklist_of

SETTINGS = {
    "service_name": "Primary Care MHTR Service",
    "service_address": "Brook House, 1 Example Road, Peterborough, PE1 1AA",
    "service_phone": "01733 000000",
    "service_email": "mhtr.service@nhs.example",
    "practitioner": "Jamie Rowe, Assistant Psychologist",
    "clinical_lead": "Dr Alex Morgan, Clinical Psychologist",
    "nps_contact": "Pat Lee, NPS Court Team",
}
CLIENT = {
    "name": "Robin Synthetic",
    "dob": "1987-03-14",
    "nhs_number": "9994765914",
    "address": "12 Test Street, Peterborough",
    "postcode": "PE1 2AB",
    "gp_practice": "Example Surgery",
    "gp_address": "1 High Street, Peterborough, PE1 3CD",
    "court": "Peterborough Magistrates' Court",
    "ro_name": "Sam Okafor",
    "ro_contact": "sam.okafor@probation.example",
}
# What the court report needs before it is final (letters.court_report.REQUIRED), with the questionnaires.
REPORT_FIELDS = {
    "presenting_problem": "Low mood and panic attacks since 2024.",
    "plan": "Suitable for an MHTR: CBT for depression.",
    "risk": "Low risk to self; no current intent.",
    "court_recommendations": "An MHTR is recommended alongside a Community Order.",
}
ASSESSED = date(2026, 9, 1)
SENTENCED = date(2026, 9, 10)
PHQ_PRE = [2, 2, 2, 2, 2, 2, 2, 1, 1]  # 16, moderately severe, item 9 endorsed
GAD_PRE = [2, 2, 2, 2, 2, 2, 2]  # 14, moderate
PHQ_POST = [1, 1, 0, 0, 1, 0, 0, 0, 0]  # 3
GAD_POST = [1, 0, 0, 1, 0, 0, 0]  # 2


def set_service(db, **overrides) -> None:
    for key, value in {**SETTINGS, **overrides}.items():
        rec.set_setting(db, key, value)


def assessed_case(db, *, scores: bool = True, **client) -> str:
    """Screened, assessed (PHQ-9 and GAD-7 stored), consented and approved by the Clinical Lead; returns REF.

    A synthetic person with an NHS test number: ``db`` is marked as a database of synthetic people."""
    from tests.conftest import synthetic

    synthetic(db)
    t = ASSESSED
    ref = clients.add_client(db, {**CLIENT, **client}, t)
    casework.record_event(db, ref, "screening", t, {}, t, checklist=checklist_of(db))
    casework.record_event(db, ref, "assessment", t, {}, t, checklist=checklist_of(db))
    if scores:
        add_questionnaire(db, ref, "PHQ-9", PHQ_PRE, t, "pre", today=t, checklist=checklist_of(db))
        add_questionnaire(db, ref, "GAD-7", GAD_PRE, t, "pre", today=t, checklist=checklist_of(db))
    casework.record_event(db, ref, "consent", t, {}, t, checklist=checklist_of(db))
    casework.record_event(db, ref, "cl-decision", t, {"decision": "approved"}, t, checklist=checklist_of(db))
    return ref


def fill_report(db, ref: str) -> str:
    """Type the court report's required fields into the assessment record; returns REF."""
    from letters.assessment import save_assessment

    save_assessment(db, ref, REPORT_FIELDS, ASSESSED)
    return ref


def sentenced(db, ref: str, **outcome) -> str:
    data = {"outcome": "accepted", "order": "CO", "length_months": 12, "sessions": 12, **outcome}
    casework.record_event(
        db, ref, "court-report-sent", SENTENCED - timedelta(days=2), {}, SENTENCED, checklist=checklist_of(db)
    )
    casework.record_event(db, ref, "court-outcome", SENTENCED, data, SENTENCED, checklist=checklist_of(db))
    return ref


def completed(db, ref: str, attended: int = 12) -> date:
    """``attended`` weekly sessions from three weeks after sentence, end scores, completion; returns its date."""
    d = SENTENCED + timedelta(days=20)
    for _ in range(attended):
        casework.record_event(
            db, ref, "session", d, {"outcome": "attended", "risk": "No concerns raised."}, d, checklist=checklist_of(db)
        )
        d += timedelta(days=7)
    add_questionnaire(db, ref, "PHQ-9", PHQ_POST, d, "post", today=d, checklist=checklist_of(db))
    add_questionnaire(db, ref, "GAD-7", GAD_POST, d, "post", today=d, checklist=checklist_of(db))
    casework.record_event(db, ref, "completion", d, {}, d, checklist=checklist_of(db))
    return d


def docx_text(path: Path) -> str:
    """Every paragraph of the document (body, tables, headers, footers) as lines of text."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
        parts += [section.first_page_header._element, section.first_page_footer._element]
    lines = []
    for part in parts:
        for p in part.iter(qn("w:p")):
            lines.append(Paragraph(p, doc).text)
    return "\n".join(lines)


def raw_xml(path: Path) -> str:
    """All the XML parts of the .docx, to prove no template tag survived anywhere."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def assert_no_markers(path: Path) -> None:
    xml = raw_xml(path)
    for marker in ("{{", "}}", "{%", "%}", "{#"):
        assert marker not in xml, f"template marker {marker!r} left in {path.name}"
