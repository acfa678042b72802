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
from records import casework
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
    declined = casework.add_client(db, {"name": "Jo Placeholder", "dob": "1990-01-02"}, ASSESSED)
    casework.record_event(db, declined, "screening", ASSESSED, {}, ASSESSED)
    casework.record_event(db, declined, "assessment", ASSESSED, {}, ASSESSED)
    casework.record_event(
        db, declined, "cl-decision", ASSESSED, {"decision": "declined", "reason": "Needs secondary care"}, ASSESSED
    )
    rec.set_setting(db, "letters_dir", str(tmp_path / "out"))
    docs = [L.write(db, "court-report", accepted, today=ASSESSED), L.write(db, "consent", accepted, today=ASSESSED)]
    sentenced(db, accepted)
    docs.append(L.write(db, "gp", accepted, today=SENTENCED))
    done = completed(db, accepted)
    docs += [L.write(db, "completion", accepted, today=done), L.write(db, "gp", declined, today=ASSESSED)]
    texts = _pdf_texts(docs, tmp_path / "out")
    flat = {k: " ".join(v.split()) for k, v in texts.items()}
    court, consent, gp, completion, gp_declined = (flat[d.stem] for d in docs)
    assert "Responsible Clinician's Report" in court
    assert "Robin Synthetic" in court and "943 476 5919" in court and "14 March 1987" in court
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
    ref = casework.add_client(db, {"name": "Robin Synthetic", "dob": "1987-03-14"}, day)
    for kind in ("screening", "assessment", "consent"):
        casework.record_event(db, ref, kind, day, {}, day)
    casework.record_event(db, ref, "cl-decision", day, {"decision": "approved"}, day)
    for name, items in (("PHQ-9", [2] * 9), ("CORE-OM", [3] * 34)):
        add_questionnaire(db, ref, name, items, day, "pre", today=day)
    docs = [L.write(db, "court-report", ref, today=day)]
    casework.record_event(db, ref, "court-report-sent", sentence, {}, sentence)
    outcome = {"outcome": "accepted", "order": "CO", "sessions": 12}
    casework.record_event(db, ref, "court-outcome", sentence, outcome, sentence)
    casework.record_event(db, ref, "session", end, {"outcome": "attended"}, end)
    for name, items in (("PHQ-9", [1] * 9), ("CORE-OM", [2] * 34)):
        add_questionnaire(db, ref, name, items, end, "post", today=end)
    casework.record_event(db, ref, "completion", end, {}, end)
    docs.append(L.write(db, "completion", ref, today=end))
    court, completion = (_pdf_texts(docs, tmp_path / "out")[d.stem] for d in docs)
    assert re.search(r"^\s*Measure +Date +Score +Severity +Clinical +Notes$", court, re.M), court
    assert re.search(r"^\s*Measure +First +Last +Change +Reliable +Recovery\n +improvement$", completion, re.M)
    assert re.search(r"^\s*PHQ-9 +30 September 2026 +18 ", court, re.M), court
    assert re.search(r"^\s*CORE-34 +30 September 2026 +25\.3 ", court, re.M), court
    table = completion.split("Outcome measures")[1].split("Risk at the end of treatment")[0]
    assert table.count("30 September 2026") == 2 and table.count("30 September 2027") == 2, completion
    for text in (court, completion):
        assert not re.search(r"\b\d{1,2} (September|December) *$", text, re.M), "a date split from its year"
