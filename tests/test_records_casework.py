"""Refused input changes nothing; accepted input writes exactly what it should."""

from __future__ import annotations

from datetime import date

import pytest

from records import casework, clients, task_actions
from service.core import checklist_of
from tests.conftest import TODAY, snapshot_counts
from vocabulary.identity import ValidationError


def _client(db, **extra) -> str:
    return clients.add_client(db, {"name": "Sam Synthetic", "dob": "01/02/1990", **extra}, TODAY)


def test_case_references_run_in_order_and_not_from_identity(db):
    assert _client(db, nhs_number="999 476 5914") == "MHTR-0001"
    assert _client(db, name="Other Person") == "MHTR-0002"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "dob": "01/02/1990"}, "name is required"),
        ({"name": "A B", "dob": "31/02/1990"}, "February 1990 has 28 days"),
        ({"name": "A B", "dob": "01/02/2030"}, "future"),
        ({"name": "A B", "dob": "01/02/90"}, "year in full"),
        ({"name": "A B", "dob": "01/02/1990", "nhs_number": "999 476 5918"}, "check digit"),
        ({"name": "A B", "dob": "01/02/1990", "offence_type": "piracy"}, "offence type"),
        ({"name": "A B", "dob": "01/02/1990", "gp_registered": "perhaps"}, "yes or no"),
    ],
)
def test_bad_client_input_is_refused_and_nothing_is_written(db, fields, message):
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match=message):
        clients.add_client(db, fields, TODAY)
    assert snapshot_counts(db) == before


def test_duplicate_nhs_number_names_the_existing_case(db):
    _client(db, nhs_number="9994765914")
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="already held for MHTR-0001"):
        _client(db, name="Someone Else", nhs_number="999-476-5914")
    assert snapshot_counts(db) == before


def test_a_client_can_have_a_second_case(db):
    ref = _client(db)
    second = clients.new_case_for_client(db, ref, {}, TODAY)
    assert second == "MHTR-0002"
    assert clients.require_case(db, second)["name"] == "Sam Synthetic"


@pytest.mark.parametrize(
    ("steps", "kind", "when", "data", "message"),
    [
        ([], "court-outcome", "2026-11-10", {"outcome": "accepted"}, "needs an assessment first"),
        ([], "cl-decision", "2026-11-10", {"decision": "approved"}, "needs an assessment first"),
        ([], "session", "2026-11-10", {"outcome": "attended"}, "accepted court outcome"),
        ([], "bogus", "2026-11-10", {}, "unknown event kind 'bogus'"),
        ([], "screening", "2026-12-25", {}, "in the future"),
        ([], "screening", "31/02/2026", {}, "28 days"),
        ([("assessment", "2026-11-05", {})], "cl-decision", "2026-11-04", {"decision": "approved"},
         "before the assessment on 05/11/2026"),
        ([("assessment", "2026-11-05", {})], "court-outcome", "2026-11-06", {"outcome": "accepted"},
         "after the Clinical Lead approves"),
        ([("assessment", "2026-11-05", {})], "not-eligible", "2026-11-06", {}, "needs a reason"),
        ([("assessment", "2026-11-05", {}), ("cl-decision", "2026-11-06", {"decision": "declined", "reason": "x"})],
         "court-report-sent", "2026-11-07", {}, "closed"),
        ([("assessment", "2026-11-05", {}), ("cl-decision", "2026-11-06", {"decision": "approved"})],
         "court-outcome", "2026-11-07", {"outcome": "accepted", "sessions": "lots"}, "whole number"),
        ([("assessment", "2026-11-05", {}), ("cl-decision", "2026-11-06", {"decision": "approved"}),
          ("court-outcome", "2026-11-07", {"outcome": "accepted"})],
         "session", "2026-11-06", {"outcome": "attended"}, "before the sentence"),
        ([("assessment", "2026-11-05", {}), ("cl-decision", "2026-11-06", {"decision": "approved"}),
          ("court-outcome", "2026-11-07", {"outcome": "accepted"})],
         "follow-up", "2026-11-08", {"months": 3}, "after completion"),
    ],
)
def test_events_out_of_order_are_refused_and_nothing_is_written(db, steps, kind, when, data, message):
    ref = _client(db)
    for k, w, d in steps:
        casework.record_event(db, ref, k, w, d, TODAY, checklist=checklist_of(db))
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match=message):
        casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))
    assert snapshot_counts(db) == before


def test_unknown_case_is_refused(db):
    with pytest.raises(ValidationError, match="no case 'MHTR-0099'"):
        casework.record_event(db, "MHTR-0099", "screening", None, {}, TODAY, checklist=checklist_of(db))


def test_stage_follows_the_events(db):
    ref = _client(db)
    steps = [
        ("screening", "2026-11-02", {}, "screened"),
        ("assessment", "2026-11-03", {}, "assessed"),
        ("cl-decision", "2026-11-04", {"decision": "approved"}, "approved"),
        ("court-report-sent", "2026-11-05", {}, "awaiting-court"),
        ("court-outcome", "2026-11-09", {"outcome": "accepted", "sessions": 2}, "sentenced"),
        ("case-meeting", "2026-11-10", {}, "sentenced"),
        ("session", "2026-11-12", {"outcome": "attended"}, "in-treatment"),
        ("session", "2026-11-16", {"outcome": "attended"}, "in-treatment"),
        ("completion", "2026-11-17", {}, "completed"),
    ]
    for kind, when, data, stage in steps:
        assert casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db)).state.stage == stage


def test_tick_skip_reschedule_and_undo(db):
    ref = _client(db)
    casework.record_event(db, ref, "screening", "2026-11-20", {}, TODAY, checklist=checklist_of(db))
    tick = task_actions.tick(db, 1)
    assert task_actions.require_task(db, 1)["status"] == "done"
    task_actions.undo(db, tick)
    assert task_actions.require_task(db, 1)["status"] == "open"
    skip = task_actions.skip(db, 2, "done by L&D")
    assert task_actions.require_task(db, 2)["reason"] == "done by L&D"
    moved = task_actions.reschedule(db, 3, "next fri", TODAY)
    assert task_actions.require_task(db, 3)["due"] == "2026-11-27"
    task_actions.undo(db, moved)
    assert task_actions.require_task(db, 3)["due"] == "2026-11-20"
    task_actions.undo(db, skip)
    assert task_actions.require_task(db, 2)["status"] == "open"
    with pytest.raises(ValidationError, match="needs a reason"):
        task_actions.skip(db, 2, "  ")
    with pytest.raises(ValidationError, match="not a date"):
        task_actions.reschedule(db, 3, "whenever", TODAY)
    with pytest.raises(ValidationError, match="no task 999"):
        task_actions.tick(db, 999)


def test_undo_refuses_when_the_task_changed_since(db):
    ref = _client(db)
    casework.record_event(db, ref, "screening", "2026-11-20", {}, TODAY, checklist=checklist_of(db))
    first = task_actions.tick(db, 1)
    task_actions.tick(db, 1)  # reopened by someone else
    task_actions.reschedule(db, 1, "tomorrow", TODAY)
    with pytest.raises(ValidationError, match="changed since"):
        task_actions.undo(db, first)


def test_every_change_lands_in_the_audit_trail(db):
    ref = _client(db)
    casework.record_event(db, ref, "screening", "2026-11-20", {}, TODAY, checklist=checklist_of(db))
    task_actions.tick(db, 1)
    rows = list(db.query("SELECT tbl, action FROM audit ORDER BY id"))
    assert ("clients", "insert") in {(r["tbl"], r["action"]) for r in rows}
    assert ("events", "insert") in {(r["tbl"], r["action"]) for r in rows}
    assert rows[-1] == {"tbl": "tasks", "action": "update"}
    with pytest.raises(Exception, match="append-only"):
        db.execute("DELETE FROM audit")
    with pytest.raises(Exception, match="archived, never deleted"):
        db.execute("DELETE FROM events")


def test_date_is_a_friday():
    assert date(2026, 11, 20).weekday() == 4


def test_a_correction_keeps_the_old_entry_and_moves_open_tasks(db):
    ref = _client(db)
    casework.record_event(db, ref, "assessment", "2026-11-02", {}, TODAY, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "cl-decision", "2026-11-04", {"decision": "approved"}, TODAY, checklist=checklist_of(db)
    )
    casework.record_event(
        db, ref, "court-outcome", "2026-11-09", {"outcome": "accepted", "sessions": 12}, TODAY,
        checklist=checklist_of(db)
    )
    outcome_id = db.execute("SELECT id FROM events WHERE kind = 'court-outcome'").fetchone()[0]
    result = casework.correct_event(
        db, ref, outcome_id, "2026-11-10", {"sessions": 8}, TODAY, checklist=checklist_of(db)
    )
    events = list(db.query("SELECT id, date, corrects FROM events WHERE kind = 'court-outcome' ORDER BY id"))
    assert [(e["date"], e["corrects"]) for e in events] == [("2026-11-09", None), ("2026-11-10", outcome_id)]
    state = casework.case_state(db, 1)
    assert state.sentence_date == date(2026, 11, 10) and state.planned_sessions == 8
    due = {t["key"]: t["due"] for t in db.query("SELECT key, due FROM tasks WHERE event_id = ?", [result.event_id])}
    assert due["outcome.case-meeting"] == "2026-11-24"  # 14 days from the corrected date
    assert db.execute("SELECT count(*) FROM tasks WHERE key = 'outcome.case-meeting'").fetchone()[0] == 1


def test_a_correction_keeps_its_place_among_the_days_events(db):
    """Screening, assessment, decision and sentence all on one day (it happens at court): correcting the decision,
    then correcting the correction, keeps it before the sentence, so the case stays sentenced everywhere."""
    from records.views import case_detail

    ref = _client(db)
    for kind, data in [
        ("screening", {}),
        ("assessment", {}),
        ("cl-decision", {"decision": "approved"}),
        ("court-outcome", {"outcome": "accepted", "sessions": 12}),
    ]:
        casework.record_event(db, ref, kind, "2026-11-16", data, TODAY, checklist=checklist_of(db))
    decision = db.execute("SELECT id FROM events WHERE kind = 'cl-decision'").fetchone()[0]
    first = casework.correct_event(db, ref, decision, None, {"decision": "approved"}, TODAY, checklist=checklist_of(db))
    assert first.state.stage == "sentenced"
    assert casework.case_state(db, 1).stage == "sentenced"
    second = casework.correct_event(
        db, ref, first.event_id, None, {"decision": "approved"}, TODAY, checklist=checklist_of(db)
    )
    assert second.state.stage == "sentenced"
    assert casework.case_state(db, 1).stage == "sentenced"
    detail = case_detail(db, ref, TODAY)
    assert detail["stage"] == "sentenced"
    assert [e["kind"] for e in detail["events"]][:4] == ["screening", "assessment", "cl-decision", "court-outcome"]


def test_a_correction_that_breaks_the_order_is_refused(db):
    ref = _client(db)
    casework.record_event(db, ref, "assessment", "2026-11-02", {}, TODAY, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "cl-decision", "2026-11-04", {"decision": "approved"}, TODAY, checklist=checklist_of(db)
    )
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="out of order: Clinical Lead decision needs an assessment first"):
        casework.correct_event(db, ref, 1, "2026-11-06", None, TODAY, checklist=checklist_of(db))
    with pytest.raises(ValidationError, match="no event 99"):
        casework.correct_event(db, ref, 99, "2026-11-06", None, TODAY, checklist=checklist_of(db))
    assert snapshot_counts(db) == before
