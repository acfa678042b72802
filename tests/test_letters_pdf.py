"""Every kind of document opened by LibreOffice (as a practice or court would open it) and printed to PDF; the
PDF's text is checked for the fields that matter. CI installs LibreOffice (.ci/run); without it this is skipped.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from db import records as rec
from letters import documents as L
from letters.assessment import save_assessment
from records import casework, clients
from service.core import checklist_of
from tests.letters_support import ASSESSED, SENTENCED, assessed_case, completed, sentenced, set_service

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(not (OFFICE and PDFTOTEXT), reason="needs LibreOffice and poppler (see .ci/run)")


def _pdf_texts(docs: list, out) -> dict[str, str]:
    """Convert all documents in one LibreOffice run (own profile, so parallel runs never share one)."""
    profile = out / "lo-profile"
    subprocess.run(
        [OFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(out), *map(str, docs)],
        check=True, capture_output=True, timeout=180,
    )
    texts = {}
    for d in docs:
        pdf = out / (d.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000, f"no PDF for {d.name}"
        texts[d.stem] = subprocess.run(
            [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
    return texts


def test_every_document_prints_to_pdf(db, tmp_path):
    set_service(db)
    accepted = assessed_case(db)
    save_assessment(db, accepted, {"presenting_problem": "Low mood & panic <since 2024>", "plan": "CBT"}, ASSESSED)
    declined = clients.add_client(db, {"name": "Jo Placeholder", "dob": "1990-01-02"}, ASSESSED)
    casework.record_event(db, declined, "screening", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(db, declined, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(
        db, declined, "cl-decision", ASSESSED, {"decision": "declined", "reason": "Needs secondary care"}, ASSESSED,
        checklist=checklist_of(db)
    )
    rec.set_setting(db, "letters_dir", str(tmp_path / "out"))
    docs = [
        L.write(db, "court-report", accepted, today=ASSESSED, checklist=checklist_of(db)),
        L.write(db, "consent", accepted, today=ASSESSED, checklist=checklist_of(db)),
    ]
    sentenced(db, accepted)
    docs.append(L.write(db, "gp", accepted, today=SENTENCED, checklist=checklist_of(db)))
    done = completed(db, accepted)
    docs += [
        L.write(db, "completion", accepted, today=done, checklist=checklist_of(db)),
        L.write(db, "gp", declined, today=ASSESSED, checklist=checklist_of(db)),
    ]
    texts = _pdf_texts(docs, tmp_path / "out")
    flat = {k: " ".join(v.split()) for k, v in texts.items()}
    court, consent, gp, completion, gp_declined = (flat[d.stem] for d in docs)
    assert "Responsible Clinician's Report" in court
    assert "Robin Synthetic" in court and "999 476 5914" in court and "14 March 1987" in court
    assert "Low mood & panic <since 2024>" in court
    assert "PHQ-9 1 September 2026 16 moderately Yes risk item endorsed" in court  # the scores table, a row
    assert "Combined Consent" in consent and "Example Surgery" in consent
    assert "Community Order with a Mental Health Treatment Requirement" in gp and "10 September 2026" in gp
    assert "Yours sincerely" in gp and "Jamie Rowe" in gp
    assert "12 of 12 planned" in completion and "PHQ-9 16 (moderately 3 (minimal) 13 points Yes Yes" in completion
    assert "Needs secondary care" in gp_declined and "Jo Placeholder" in gp_declined
    for name, text in flat.items():
        assert "{{" not in text and "{%" not in text, name
        assert "Primary Care MHTR Service" in text, name  # the letterhead
        assert "Page 1 of" in text, name  # the footer's page fields work in LibreOffice


def test_score_tables_break_no_heading_mid_word_and_no_date(db, tmp_path):
    """The court report's "Score" heading printed as "Scor/e", the completion letter's "Reliable improvemen/t",
    and dates wrapped. The columns are now wide enough for the widest date (30 September) in LibreOffice's
    fallback font, which is wider than Arial."""
    import re
    from datetime import date

    from records.questionnaire_records import add_questionnaire

    set_service(db)
    rec.set_setting(db, "letters_dir", str(tmp_path / "out"))
    day, sentence, end = date(2026, 9, 30), date(2026, 10, 5), date(2027, 9, 30)
    ref = clients.add_client(db, {"name": "Robin Synthetic", "dob": "1987-03-14"}, day)
    for kind in ("screening", "assessment", "consent"):
        casework.record_event(db, ref, kind, day, {}, day, checklist=checklist_of(db))
    casework.record_event(db, ref, "cl-decision", day, {"decision": "approved"}, day, checklist=checklist_of(db))
    for name, items in (("PHQ-9", [2] * 9), ("CORE-OM", [3] * 34)):
        add_questionnaire(db, ref, name, items, day, "pre", today=day, checklist=checklist_of(db))
    docs = [L.write(db, "court-report", ref, today=day, checklist=checklist_of(db))]
    casework.record_event(db, ref, "court-report-sent", sentence, {}, sentence, checklist=checklist_of(db))
    outcome = {"outcome": "accepted", "order": "CO", "sessions": 12}
    casework.record_event(db, ref, "court-outcome", sentence, outcome, sentence, checklist=checklist_of(db))
    casework.record_event(db, ref, "session", end, {"outcome": "attended"}, end, checklist=checklist_of(db))
    for name, items in (("PHQ-9", [1] * 9), ("CORE-OM", [2] * 34)):
        add_questionnaire(db, ref, name, items, end, "post", today=end, checklist=checklist_of(db))
    casework.record_event(db, ref, "completion", end, {}, end, checklist=checklist_of(db))
    docs.append(L.write(db, "completion", ref, today=end, checklist=checklist_of(db)))
    court, completion = (_pdf_texts(docs, tmp_path / "out")[d.stem] for d in docs)
    assert re.search(r"^\s*Measure +Date +Score +Severity +Clinical +Notes$", court, re.M), court
    assert re.search(r"^\s*Measure +First +Last +Change +Reliable +Recovery\n +improvement$", completion, re.M)
    assert re.search(r"^\s*PHQ-9 +30 September 2026 +18 ", court, re.M), court
    assert re.search(r"^\s*CORE-34 +30 September 2026 +25\.3 ", court, re.M), court
    table = completion.split("Outcome measures")[1].split("Risk at the end of treatment")[0]
    assert table.count("30 September 2026") == 2 and table.count("30 September 2027") == 2, completion
    for text in (court, completion):
        assert not re.search(r"\b\d{1,2} (September|December) *$", text, re.M), "a date split from its year"


def test_the_new_documents_print_and_a_draft_says_so_on_every_page(db, tmp_path):
    """The assessment record, the probation update, the non-attendance letter and the client's end-of-treatment
    letter, printed by LibreOffice: their fields on the page, no template marker, and a draft marked DRAFT at the
    top of every page (each page of the PDF, split at its form feeds)."""
    from datetime import datetime, timedelta

    from records import appointments as ap
    from records import sessions as se
    from tests.letters_support import fill_report

    set_service(db)
    rec.set_setting(db, "letters_dir", str(tmp_path / "out"))
    rec.set_setting(db, "signposting_local", "Mind in Cambridgeshire: 01223 000000")
    ref = fill_report(db, assessed_case(db))
    save_assessment(db, ref, {"formulation": "Losses in 2023 maintained by avoidance. " * 40}, ASSESSED)
    docs = [
        L.write(db, "assessment-record", ref, today=ASSESSED, checklist=checklist_of(db)),
        L.write(db, "probation-update", ref, today=ASSESSED, checklist=checklist_of(db)),
    ]
    sentenced(db, ref)
    booked = datetime(2026, 9, 11, 9)
    for day in (SENTENCED + timedelta(days=27), SENTENCED + timedelta(days=34)):
        aid = ap.book_appointment(
            db, ref, datetime(day.year, day.month, day.day, 10), place="Brook House", now=booked,
            checklist=checklist_of(db)
        )
        se.record_attendance(db, aid, "unacceptable-absence", today=day, checklist=checklist_of(db))
    # a draft: nothing tried
    docs.append(L.write(db, "non-attendance", ref, today=SENTENCED + timedelta(days=35), checklist=checklist_of(db)))
    other = assessed_case(db, name="Jo Placeholder", nhs_number="4010232137")
    sentenced(db, other)
    done = completed(db, other)
    docs.append(L.write(db, "client-completion", other, today=done, checklist=checklist_of(db)))
    texts = _pdf_texts(docs, tmp_path / "out")
    record, update, absence, client = (texts[d.stem] for d in docs)
    flat = {k: " ".join(v.split()) for k, v in texts.items()}
    assert "MHTR Practitioner Assessment" in flat[docs[0].stem] and "About the individual" in flat[docs[0].stem]
    assert "approved a Mental Health Treatment Requirement. Please include this in the pre" in flat[docs[1].stem]
    assert "There have been 2 unacceptable absences in the order" in flat[docs[2].stem]
    assert "Samaritans: call 116 123" in flat[docs[3].stem] and "Mind in Cambridgeshire" in flat[docs[3].stem]
    for name, text in flat.items():
        assert "{{" not in text and "{%" not in text, name
        assert "Page 1 of" in text, name
    pages = [p for p in absence.split("\f") if p.strip()]
    assert docs[2].stem.endswith(f"non-attendance-draft-{SENTENCED + timedelta(days=35)}")
    assert all("DRAFT: NOT FOR SENDING" in p for p in pages), "a draft page without its marking"
    for text in (record, update, client):
        assert "DRAFT" not in text
    assert len([p for p in record.split("\f") if p.strip()]) >= 2  # the later pages carry the client's identity
    assert all("Robin Synthetic, date of birth 14 March 1987" in p for p in record.split("\f")[1:] if p.strip())


def test_the_subject_access_document_and_the_weekly_share_print_on_numbered_a4_pages(db, tmp_path):
    from datetime import date, datetime

    from letters.sar_document import write_sar
    from letters.weekly_share_writer import share_week
    from records import appointments as ap

    pdfinfo = shutil.which("pdfinfo")
    set_service(db)
    ref = sentenced(db, assessed_case(db))
    ap.book_appointment(
        db, ref, datetime(2026, 9, 15, 10), place="Brook House", now=datetime(2026, 9, 11, 9),
        checklist=checklist_of(db)
    )
    out = tmp_path / "out"
    sar, _ = write_sar(db, ref, out / "sar.docx", date(2026, 9, 20), date(2026, 9, 18))
    (files,) = share_week(
        db, out, date(2026, 9, 15), today=date(2026, 9, 20), now=datetime(2026, 9, 20, 9), checklist=checklist_of(db)
    ).files
    texts = _pdf_texts([sar, files.docx], out)
    sar_text, share_text = texts[sar.stem], texts[files.docx.stem]
    assert "Page 1 of" in sar_text and "Page 1 of" in share_text
    assert "NHS number" in sar_text and "nhs_number" not in sar_text and "20/09/2026" in sar_text
    assert "Sam Okafor" in share_text and "Brook House" in share_text
    if pdfinfo:
        sizes = [
            subprocess.run([pdfinfo, str(out / f"{d.stem}.pdf")], capture_output=True, text=True).stdout
            for d in (sar, files.docx)
        ]
        assert all("(A4)" in s for s in sizes), sizes
