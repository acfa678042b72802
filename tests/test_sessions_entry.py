"""The health-system entry text for a session, and copying it to the clipboard."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from db import records as rec
from records import appointments as ap
from records import clients
from records import health_entry as he
from records import sessions as se
from service import clipboard
from service.core import checklist_of
from tests.sessions_support import at, sentenced_case
from vocabulary.identity import ValidationError


def test_entry_for_an_attended_session_has_every_heading():
    entry = he.HealthEntry(
        day=date(2026, 11, 24),
        outcome="attended",
        start="10:00",
        duration_min=50,
        mode="in person",
        place="Brook House",
        number=6,
        planned=12,
        risk="No thoughts of self-harm reported; crisis plan reviewed",
        summary="Worked on sleep diary; “good week” at work",
        plan=None,
        questionnaires=("PHQ-9 12 (moderate)", "GAD-7 8 (mild)"),
        next_appointment="01/12/2026 10:00, Brook House",
    )
    assert he.health_entry_text(entry) == (
        "MHTR treatment session 6 of 12 - 24/11/2026 10:00 (50 min, in person at Brook House)\n"
        "Attendance: Attended and complied\n"
        "Risk: No thoughts of self-harm reported; crisis plan reviewed\n"
        'Summary: Worked on sleep diary; "good week" at work\n'
        "Plan: [not entered]\n"
        "Questionnaires: PHQ-9 12 (moderate); GAD-7 8 (mild)\n"
        "Next appointment: 01/12/2026 10:00, Brook House"
    )


def test_entry_for_an_absence_and_for_the_final_and_extra_sessions():
    absent = he.HealthEntry(
        day=date(2026, 12, 22),
        outcome="unacceptable-absence",
        start="10:00",
        mode="phone",
        duration_min=50,
        notes="No answer on two calls",
    )
    assert he.health_entry_text(absent) == (
        "MHTR treatment session - 22/12/2026 10:00 (phone)\n"
        "Attendance: Unacceptable absence / failed to attend\n"
        "Notes: No answer on two calls"
    )
    final = he.HealthEntry(
        day=date(2027, 1, 12),
        outcome="attended",
        number=12,
        planned=12,
        final=True,
        risk="r",
        summary="s",
        plan="Discharge to GP",
    )
    assert he.health_entry_text(final).splitlines()[:3] == [
        "MHTR treatment session 12 of 12 - 12/01/2027",
        "Attendance: Attended and complied",
        "Final session of the Mental Health Treatment Requirement.",
    ]
    extra = he.HealthEntry(
        day=date(2027, 1, 19), outcome="attended", number=13, extra=True, final=True, mode="video", place="link by text"
    )
    first = he.health_entry_text(extra).splitlines()[0]
    assert first == "MHTR extra session (after completion) - 19/01/2027 (video (link by text))"
    assert "Final session" not in he.health_entry_text(extra)


def test_entry_from_the_database(db, monkeypatch):
    import questionnaires

    def fake_score(instrument, items):  # the scoring package's contract (SCORING.md section 13), simplified
        return {"valid": True, "total": sum(items), "band": "mild" if sum(items) < 10 else "moderate"}

    monkeypatch.setattr(questionnaires, "score", fake_score, raising=False)
    ref = sentenced_case(db, "2026-10-01")
    now = at("2026-10-02 09:00")
    first, second = ap.book_series(
        db, ref, at("2026-10-13 10:00"), 2, place="Brook House", duration_min=50, now=now, checklist=checklist_of(db)
    ).ids
    case_id = clients.require_case(db, ref)["case_id"]
    rec.insert_questionnaire(db, case_id, "PHQ-9", date(2026, 10, 13), "session", [1] * 9)
    rec.insert_questionnaire(db, case_id, "GAD-7", date(2026, 10, 12), "session", [0] * 7)  # another day
    log = se.record_attendance(
        db, first, "attended", risk="Low", summary="Engaged well", plan="Activity plan", today=date(2026, 10, 13),
        checklist=checklist_of(db)
    )
    text = he.health_entry_for_event(db, log.event_id)
    assert text == (
        "MHTR treatment session 1 of 12 - 13/10/2026 10:00 (50 min, in person at Brook House)\n"
        "Attendance: Attended and complied\n"
        "Risk: Low\n"
        "Summary: Engaged well\n"
        "Plan: Activity plan\n"
        "Questionnaires: PHQ-9 9 (mild)\n"
        "Next appointment: 20/10/2026 10:00, Brook House"
    )
    assert he.health_entry_for_appointment(db, first) == text
    with pytest.raises(ValidationError, match="no session recorded yet"):
        he.health_entry_for_appointment(db, second)
    with pytest.raises(ValidationError, match="not a recorded session"):
        he.health_entry_for_event(db, 1)


def test_questionnaire_line_without_the_scoring_package(monkeypatch):
    import questionnaires

    monkeypatch.delattr(questionnaires, "score", raising=False)
    assert he.questionnaire_line("PHQ-9", [1] * 9) == "PHQ-9"


def test_notes_are_tidied_and_bounded(db):
    ref = sentenced_case(db, "2026-10-01")
    log = se.log_session(
        db, ref, "2026-10-13", "attended", summary="  two   spaces\n\n  and lines  ", today=date(2026, 10, 13),
        checklist=checklist_of(db)
    )
    assert "Summary: two spaces\n\nand lines" in he.health_entry_for_event(db, log.event_id)
    with pytest.raises(ValidationError, match="longer than 4000"):
        se.log_session(
            db, ref, "2026-10-14", "attended", risk="x" * 4001, today=date(2026, 10, 14), checklist=checklist_of(db)
        )


def test_copy_goes_to_the_app_and_the_system_clipboard(tmp_path):
    got = []
    target = tmp_path / "clip.txt"
    cmd = [sys.executable, "-c", f"import sys; open({str(target)!r}, 'wb').write(sys.stdin.buffer.read())"]
    message = clipboard.copy_text("Risk: low\nPlan: continue", got.append, command=cmd)
    assert got == ["Risk: low\nPlan: continue"]
    assert target.read_text() == "Risk: low\nPlan: continue"
    assert message == "copied to the terminal and system clipboard"


def test_copy_with_no_clipboard_says_so(monkeypatch):
    monkeypatch.setattr(clipboard, "system_clipboard_command", lambda: None)
    assert clipboard.copy_text("x") == "no clipboard available here; the text is shown instead"
    failing = [sys.executable, "-c", "raise SystemExit(1)"]
    assert clipboard.copy_text("x", command=failing) == "no clipboard available here; the text is shown instead"
