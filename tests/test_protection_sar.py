"""Subject access: ``mhtr-tui sar REF`` writes everything held on one client, readable, dated, with the response
due date, and nothing belonging to anyone else; a mention of another client inside this client's own notes is
kept and flagged for redaction review (reliability anchors section 5, goal 17)."""

from __future__ import annotations

import json
import stat
from datetime import date

import pytest

from db.connection import connect
from letters.sar import due_date, show, subject_access
from letters.sar_document import write_sar
from mhtr_tui import main
from records.casework import correct_event, record_event
from records.clients import add_client, update_client
from records.questionnaire_records import add_questionnaire
from records.task_actions import skip, tick
from service.core import checklist_of
from tests.conftest import TODAY, synthetic

A = {"name": "Annika Quillfeather", "dob": "03/04/1980", "nhs_number": "9994765914", "address": "1 Fen Row, Ely",
     "postcode": "CB7 4AA", "phone": "07700 900123", "gp_practice": "Marsh Lane Surgery"}
B = {"name": "Bartholomew Snowgrave", "dob": "05/06/1975", "nhs_number": "4010232137", "postcode": "PE1 9ZZ",
     "gp_practice": "Orchard Medical Centre", "address": "7 Dyke Lane, Whittlesey"}
A_NOTE = "Talked about the row with Bartholomew Snowgrave at the hostel"
B_NOTE = "Bnote-unique-text about sleep"


def _docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.fixture
def two_clients(db):
    a = add_client(db, dict(A), TODAY)
    b = add_client(db, dict(B), TODAY)
    for ref in (a, b):
        record_event(db, ref, "assessment", "2026-11-02", {}, TODAY, checklist=checklist_of(db))
        record_event(db, ref, "cl-decision", "2026-11-03", {"decision": "approved"}, TODAY, checklist=checklist_of(db))
        record_event(db, ref, "court-outcome", "2026-11-05",
                     {"outcome": "accepted", "order": "CO", "sessions": 12}, TODAY, checklist=checklist_of(db))
    record_event(
        db, a, "session", "2026-11-12", {"outcome": "attended", "notes": A_NOTE}, TODAY, checklist=checklist_of(db)
    )
    record_event(
        db, b, "session", "2026-11-12", {"outcome": "attended", "notes": B_NOTE}, TODAY, checklist=checklist_of(db)
    )
    wrong = record_event(db, a, "case-meeting", "2026-11-09", {}, TODAY, checklist=checklist_of(db)).event_id
    correct_event(
        db, a, wrong, "2026-11-10", {}, TODAY, checklist=checklist_of(db)
    )  # the replaced entry is still held, and shown
    update_client(db, a, {"dob": "04/03/1980"}, TODAY)  # a corrected date of birth: both values are held
    add_questionnaire(
        db, a, "PHQ-9", [1, 2, 1, 0, 2, 1, 0, 1, 0], "2026-11-02", "pre", TODAY, checklist=checklist_of(db)
    )
    tasks = [r[0] for r in db.execute(
        "SELECT tasks.id FROM tasks JOIN cases ON cases.id = case_id WHERE cases.ref = ? AND status = 'open' "
        "ORDER BY tasks.id", [a])]
    tick(db, tasks[0])
    skip(db, tasks[1], "done by the L&D team")
    return a, b


def test_everything_held_on_the_client_and_nothing_on_anyone_else(db, two_clients, tmp_path):
    a, b = two_clients
    path, report = write_sar(db, a, tmp_path / "sar.docx", TODAY, date(2026, 11, 18))
    text = _docx_text(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    # Every stored value of A's client row, case rows, events, tasks and questionnaires appears.
    client = db.execute("SELECT * FROM clients WHERE name = ?", [A["name"]]).fetchone()
    cols = [c[1] for c in db.execute("PRAGMA table_info(clients)")]
    held = dict(zip(cols, client, strict=True))
    from vocabulary.identity import format_nhs_number

    for col, value in held.items():
        if value not in (None, ""):
            assert (format_nhs_number(value) if col == "nhs_number" else show(value)) in text, col
    for table in ("events", "tasks", "questionnaires"):
        n = db.execute(
            f"SELECT count(*) FROM {table} JOIN cases ON cases.id = {table}.case_id WHERE cases.ref = ?", [a]
        ).fetchone()[0]
        assert f"({n})" in text, table  # every row is listed (the section headings count them)
    assert A_NOTE in text
    assert "replaced by a correction" in text
    assert "done by the L&D team" in text
    assert "PHQ-9" in text
    # The history shows the corrected date of birth, old and new.
    assert "Date of birth: 03/04/1980 -> 04/03/1980" in text
    assert len(report["audit"]) > 10

    # Nothing of B: not their details, not their notes, not their case, not their history...
    for value in ("05/06/1975", "1975-06-05", "4010232137", "401 023 2137", "PE1 9ZZ", "Orchard Medical Centre",
                  "Dyke Lane",
                  B_NOTE, b):
        assert value not in text, value
    # ...except B's name where A's own note mentions it, which is flagged for review without naming B.
    assert text.count("Snowgrave") == text.count(A_NOTE)
    assert report["review"] and all("Snowgrave" not in where for where in report["review"])
    assert any("session" in where and "notes" in where for where in report["review"])

    # Dated, with the response due one calendar month after the request.
    assert "18/12/2026" in text and report["due"] == date(2026, 12, 18)


def test_due_date_is_one_calendar_month_later():
    assert due_date(date(2026, 1, 31)) == date(2026, 2, 28)
    assert due_date(date(2028, 1, 31)) == date(2028, 2, 29)
    assert due_date(date(2026, 12, 15)) == date(2027, 1, 15)
    assert due_date(date(2026, 3, 31)) == date(2026, 4, 30)


def test_sar_command(tmp_path, capsys):
    path = tmp_path / "cmd.db"
    db = synthetic(connect(path, create=True))
    a = add_client(db, dict(A), TODAY)
    db.close()
    out_dir = tmp_path / "requests"
    out_dir.mkdir()
    assert main(["sar", a, "-o", str(out_dir), "--received", "01/11/2026", "--json", "--db", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ref"] == a and data["due"] == "2026-12-01" and data["audit_rows"] >= 2
    written = out_dir / f"sar-{a}-{date.today().isoformat()}.docx"
    assert data["path"] == str(written) and written.exists()
    before = written.read_bytes()
    assert main(["sar", a, "-o", str(out_dir), "--db", str(path)]) == 2  # never replaces a file unasked
    assert "already exists" in capsys.readouterr().err
    assert written.read_bytes() == before
    assert main(["sar", "MHTR-9999", "-o", str(out_dir), "--db", str(path)]) == 2
    assert main(["sar", a, "--received", "tomorrow", "-o", str(tmp_path / "x.docx"), "--db", str(path)]) == 2
    assert "in the future" in capsys.readouterr().err
    assert sorted(p.name for p in out_dir.iterdir()) == [written.name]
    assert not (tmp_path / "x.docx").exists()


def test_archived_records_are_still_in_the_subject_access_report(db, two_clients):
    from db.transaction import transaction

    a, _ = two_clients

    with transaction(db):
        db.execute("UPDATE cases SET archived_at = '2026-11-19T10:00:00.000Z' WHERE ref = ?", [a])
    report = subject_access(db, a, TODAY)
    assert report["cases"][0]["case"]["archived_at"]
    assert report["cases"][0]["events"]  # archived, never deleted: still everything held


def test_the_document_reads_as_a_document_a4_uk_dates_human_labels_no_paths_page_numbers(db, two_clients, tmp_path):
    """Item 8 of 'documents that are safe to send': A4, UK dates, "NHS number" not "nhs_number", a document written
    for the client named by its file only, page numbers, and columns that hold their longest word."""
    from docx import Document
    from docx.shared import Cm

    from letters import documents as L
    from letters.sar import FIELD_LABELS

    a, _ = two_clients
    outcome = db.execute(
        "SELECT events.id FROM events JOIN cases ON cases.id = case_id WHERE ref = ? AND kind = 'court-outcome'", [a]
    ).fetchone()[0]
    data = {"outcome": "accepted", "order": "CO", "sessions": 12, "sentenced_on_day": True}
    correct_event(db, a, outcome, "2026-11-06", data, today=TODAY, checklist=checklist_of(db))
    letter = L.write_document(
        db, "consent", a, tmp_path / "letters" / "consent.docx", today=TODAY, checklist=checklist_of(db)
    )
    path, _ = write_sar(db, a, tmp_path / "sar.docx", TODAY, date(2026, 11, 18))
    doc = Document(str(path))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    footer = section.footer.paragraphs[0]
    assert "Page " in footer.text and 'PAGE' in footer._p.xml and 'NUMPAGES' in footer._p.xml
    text = _docx_text(path)
    for label in ("NHS number", "Date of birth", "GP practice", "Sentenced on the day: yes", "Planned sessions: 12"):
        assert label in text, label
    for raw in ("nhs_number", "Nhs number", "sentenced_on_day", "gp_practice", "Gp practice", "2026-11-06"):
        assert raw not in text, raw
    assert "consent.docx" in text and str(letter.path.parent) not in text and str(tmp_path) not in text
    assert set(FIELD_LABELS.values()) >= {"NHS number", "Sentenced on the day"}
    # every table fits the page and each column is wider than its longest word at 9 pt (about 0.2 cm a letter)
    room = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        widths = [c.width for c in table.columns]
        assert sum(widths) <= room + Cm(0.01)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                longest = max((len(w) for w in cell.text.split()), default=0)
                assert longest * Cm(0.2) <= width, (cell.text, width.cm)
