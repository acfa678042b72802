"""Clinical records are archived, never deleted (DESIGN.md "Data protection"; reliability anchors section 5,
goal 15): ``client archive REF --reason`` sets when and why, audited; the case leaves the caseload and its tasks
leave Today; nothing is recorded on it; ``client unarchive`` brings it back exactly as it was; subject access and
the export reads still hold it."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest

from db import exports as dbx
from db import tasks as taskdb
from db.audit import raw_audit_rows
from db.connection import connect
from letters.assessment import save_assessment
from letters.documents import write_document
from letters.sar import subject_access
from mhtr_tui import main
from records import casework, clients
from records.appointments import book_appointment, cancel_appointment
from records.archive import archive_case, archived_cases, unarchive_case
from records.questionnaire_records import add_questionnaire
from records.views import caseload, tasks
from service.core import checklist_of
from tests.conftest import TODAY, snapshot_counts
from vocabulary.identity import ValidationError

NOW = datetime(2026, 11, 20, 9, 0)


@pytest.fixture
def two_cases(tmp_path, monkeypatch):
    """MHTR-0001 screened (open tasks) and MHTR-0002 sentenced; a plain database file."""
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "archive.db"
    db = connect(path, create=True)
    a = clients.add_client(db, {"name": "Archive Synthetic", "dob": "1980-01-01"}, TODAY)
    b = clients.add_client(db, {"name": "Kept Synthetic", "dob": "1981-01-01"}, TODAY)
    casework.record_event(db, a, "screening", "2026-11-18", {}, TODAY, checklist=checklist_of(db))
    casework.record_event(db, b, "assessment", "2026-10-01", {}, TODAY, checklist=checklist_of(db))
    casework.record_event(
        db, b, "cl-decision", "2026-10-02", {"decision": "approved"}, TODAY, checklist=checklist_of(db)
    )
    casework.record_event(db, b, "court-outcome", "2026-10-05", {"outcome": "accepted", "order": "CO", "sessions": 12},
                          TODAY, checklist=checklist_of(db))
    yield db, path, a, b
    db.close()


def _refs(rows, key="client") -> set:
    return {r[key] for r in rows}


def test_archiving_hides_the_case_and_its_tasks_and_unarchiving_brings_them_back(two_cases):
    db, _, a, b = two_cases
    open_before = [t for t in tasks(db, TODAY, "all", a)]
    counts_before = taskdb.task_counts(db, TODAY, TODAY + timedelta(days=7))
    assert a in _refs(tasks(db, TODAY, "week")) and open_before

    done = archive_case(db, a, "  opened   by mistake ", now=NOW)
    assert done.ref == a and done.reason == "opened by mistake" and done.archived_at
    row = db.execute("SELECT archived_at, archive_reason FROM cases WHERE ref = ?", [a]).fetchone()
    assert row == (done.archived_at, "opened by mistake")
    assert [c["ref"] for c in caseload(db, TODAY)] == [b]
    assert a not in _refs(tasks(db, TODAY, "week")) and a not in _refs(tasks(db, TODAY, "overdue"))
    assert taskdb.task_counts(db, TODAY, TODAY + timedelta(days=7)) != counts_before
    assert tasks(db, TODAY, "all", a) == open_before  # the case's own list still shows them, unchanged
    assert archived_cases(db) == [
        {"ref": a, "name": "Archive Synthetic", "archived_at": done.archived_at, "reason": "opened by mistake"}
    ]

    # Audited like every other change: who, and the old and new values, in the same transaction.
    case_id = db.execute("SELECT id FROM cases WHERE ref = ?", [a]).fetchone()[0]
    last = raw_audit_rows(db, "cases", case_id)[-1]
    assert last["action"] == "update" and last["who"]
    assert json.loads(last["old"])["archived_at"] is None
    assert json.loads(last["new"])["archive_reason"] == "opened by mistake"

    # Nothing is recorded on it while archived.
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="is archived; nothing can be recorded on it"):
        casework.record_event(db, a, "assessment", "2026-11-19", {}, TODAY, checklist=checklist_of(db))
    with pytest.raises(ValidationError, match="is archived"):
        add_questionnaire(db, a, "PHQ-9", list("000000000"), TODAY, "screening", TODAY, checklist=checklist_of(db))
    with pytest.raises(ValidationError, match="is archived"):
        save_assessment(db, a, {"presenting_problem": "Low mood"}, TODAY)
    with pytest.raises(ValidationError, match="is archived"):
        write_document(db, "consent", a, today=TODAY, checklist=checklist_of(db))
    assert snapshot_counts(db) == before

    back = unarchive_case(db, a)
    assert back.archived_at is None
    assert db.execute("SELECT archived_at, archive_reason FROM cases WHERE ref = ?", [a]).fetchone() == (None, None)
    assert a in _refs(tasks(db, TODAY, "week")) and tasks(db, TODAY, "all", a) == open_before
    assert taskdb.task_counts(db, TODAY, TODAY + timedelta(days=7)) == counts_before
    assert {c["ref"] for c in caseload(db, TODAY)} == {a, b}
    assert json.loads(raw_audit_rows(db, "cases", case_id)[-1]["old"])["archive_reason"] == "opened by mistake"


def test_refusals_change_nothing(two_cases):
    db, _, a, b = two_cases
    start = datetime(2026, 11, 24, 10, 0)
    appt = book_appointment(db, b, start, mode="phone", now=NOW, checklist=checklist_of(db))
    before = snapshot_counts(db)
    for ref, reason, words in (
        ("MHTR-9999", "gone", "no case"),
        (a, "   ", "needs a reason"),
        (b, "transferred", re.escape(f"1 appointment(s) booked ahead ({appt}); cancel them first")),
    ):
        with pytest.raises(ValidationError, match=words):
            archive_case(db, ref, reason, now=NOW)
    with pytest.raises(ValidationError, match="is not archived"):
        unarchive_case(db, a)
    assert snapshot_counts(db) == before
    archive_case(db, a, "duplicate", now=NOW)
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match=r"already archived \(duplicate\)"):
        archive_case(db, a, "again", now=NOW)
    assert snapshot_counts(db) == before
    # A cancelled booking does not hold it back.
    cancel_appointment(db, appt, by="client", reason="moving away", checklist=checklist_of(db), today=NOW.date())
    assert archive_case(db, b, "transferred", now=NOW).reason == "transferred"
    with pytest.raises(ValidationError, match="is archived; no sessions can be booked"):
        book_appointment(db, b, start + timedelta(days=7), mode="phone", now=NOW, checklist=checklist_of(db))


def test_an_archived_case_is_still_in_subject_access_and_in_the_export_reads(two_cases):
    db, _, a, _ = two_cases
    archive_case(db, a, "opened by mistake", now=NOW)
    report = subject_access(db, a, TODAY)
    case = report["cases"][0]["case"]
    assert case["archived_at"] and case["archive_reason"] == "opened by mistake"
    assert report["cases"][0]["events"]
    assert a in {c["ref"] for c in dbx.export_cases(db)}  # a past month's return counts what happened then


def test_the_archive_commands(two_cases, capsys):
    db, path, a, _ = two_cases
    db.close()
    opt = ["--db", str(path)]
    assert main(["client", "archive", a, "--reason", "opened by mistake", *opt]) == 0
    assert f"archived {a} (opened by mistake)" in capsys.readouterr().out
    assert main(["client", "archive", a, "--reason", "again", *opt]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "already archived" in err
    assert main(["client", "archive", "MHTR-0404", "--reason", "x", *opt]) == 2
    assert "no case" in capsys.readouterr().err
    assert main(["client", "list", "--json", *opt]) == 0
    assert a not in {r["ref"] for r in json.loads(capsys.readouterr().out)}
    assert main(["client", "list", "--archived", "--json", *opt]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["ref"], r["reason"]) for r in listed] == [(a, "opened by mistake")]
    assert main(["tasks", "--due", "all", "--json", *opt]) == 0
    assert a not in {t["client"] for t in json.loads(capsys.readouterr().out)}
    assert main(["client", "show", a, "--json", *opt]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["case_archived_at"] and shown["case_archive_reason"] == "opened by mistake"
    assert main(["client", "show", a, *opt]) == 0
    assert "Archived " in capsys.readouterr().out
    assert main(["event", a, "assessment", *opt]) == 2
    assert f"client unarchive {a}" in capsys.readouterr().err
    assert main(["client", "unarchive", a, *opt]) == 0
    assert f"unarchived {a}" in capsys.readouterr().out
    assert main(["client", "unarchive", a, *opt]) == 2
    assert "is not archived" in capsys.readouterr().err
    db = connect(path)  # the fixture closes it again


async def test_the_client_screen_says_a_case_is_archived_and_why(two_cases):
    from tui.app import MhtrApp

    db, path, a, b = two_cases
    archive_case(db, a, "duplicate of [MHTR-0002]", now=NOW)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client(a)
        await pilot.pause()
        summary = str(app.screen.query_one("#client-summary").render())
        assert "ARCHIVED (duplicate of [MHTR-0002])" in summary
        app.open_client(b)
        await pilot.pause()
        assert "ARCHIVED" not in str(app.screen.query_one("#client-summary").render())
