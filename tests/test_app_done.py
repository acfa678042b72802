"""Tasks the app completes itself: each checklist item names, in ``done_by``, the app action that does its work,
and when that action happens the task closes as done "by mhtr-tui" with the time; items outside the app stay."""

from __future__ import annotations

import json
from datetime import date

import pytest

from checklists.model import DEFAULT_FILE, DOCUMENT_ACTIONS, QUESTIONNAIRE_TIMEPOINTS, ChecklistError, load
from letters import weekly_share_writer as wsw
from records import casework, clients
from records import sessions as se
from records.app_done import complete_by_app, done_by_app
from records.questionnaire_records import TIMEPOINTS, add_questionnaire
from service.core import checklist_of
from tests.sessions_support import all_tasks, at, sentenced_case

TODAY = date(2026, 11, 20)


def _by_key(db, ref: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for t in all_tasks(db, ref):
        out.setdefault(t["key"], []).append(t)
    return out


def test_the_vocabularies_of_app_actions_match_the_documents_and_timepoints_the_app_has():
    from letters.kinds import KINDS

    assert set(DOCUMENT_ACTIONS) == set(KINDS)
    assert set(QUESTIONNAIRE_TIMEPOINTS) == set(TIMEPOINTS)


def test_recording_an_event_is_its_data_capture(db):
    ref = sentenced_case(db, "2026-11-02")
    tasks = _by_key(db, ref)
    for key in ("assessment.data-capture", "outcome.data-capture"):
        (t,) = tasks[key]
        assert t["status"] == "done" and done_by_app(t["reason"]) and t["closed_at"], t
    assert tasks["assessment.data-capture"][0]["reason"] == "by mhtr-tui: assessment recorded"
    assert tasks["outcome.data-capture"][0]["reason"] == "by mhtr-tui: court outcome recorded"
    # work outside the app stays for the person
    assert tasks["assessment.referrals"][0]["status"] == "open"
    assert tasks["outcome.update-teams"][0]["status"] == "open"


def test_not_eligible_log_is_the_record_of_it(db):
    ref = clients.add_client(db, {"name": "Pat Synthetic", "dob": "1988-04-02"}, TODAY)
    casework.record_event(db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "not-eligible", TODAY, {"reason": "No need at the threshold"}, TODAY, checklist=checklist_of(db)
    )
    (t,) = _by_key(db, ref)["court.not-eligible-log"]
    assert t["status"] == "done" and t["reason"] == "by mhtr-tui: not eligible recorded"
    # stored done in one write: the audit trail shows it made done, not made open and closed in the same moment
    trail = list(db.query("SELECT action, new FROM audit WHERE tbl = 'tasks' AND row_id = ?", [t["id"]]))
    assert [(a, json.loads(new)["status"]) for a, new in ((r["action"], r["new"]) for r in trail)] == [
        ("insert", "done")
    ]


def test_a_questionnaire_from_the_command_line_closes_both_scoring_tasks(run):
    run("init")
    run("client", "add", "--name", "Pat Synthetic", "--dob", "02/04/1988")
    day = "2026-11-02"  # in the past on any day these tests run
    run("event", "MHTR-0001", "screening", "--date", day)
    run("event", "MHTR-0001", "assessment", "--date", day)
    code, _, err = run("questionnaire", "add", "MHTR-0001", "PHQ-9", "111111110", "--date", day)
    assert code == 0, err
    _, out, _ = run("tasks", "--client", "MHTR-0001", "--due", "all", "--json")
    tasks = {t["key"]: t for t in json.loads(out)}
    for key in ("court.questionnaires", "assessment.score"):
        assert tasks[key]["status"] == "done", key
        assert tasks[key]["reason"] == "by mhtr-tui: PHQ-9 saved, assessment (pre)"
    assert tasks["assessment.discuss-cl"]["status"] == "open"


def test_a_questionnaire_of_another_timepoint_leaves_the_scoring_task(db):
    ref = clients.add_client(db, {"name": "Pat Synthetic", "dob": "1988-04-02"}, TODAY)
    casework.record_event(db, ref, "assessment", TODAY, {}, TODAY, checklist=checklist_of(db))
    add_questionnaire(db, ref, "GAD-7", [1] * 7, TODAY, "screening", TODAY, checklist=checklist_of(db))
    assert _by_key(db, ref)["assessment.score"][0]["status"] == "open"
    add_questionnaire(db, ref, "GAD-7", [1] * 7, TODAY, "pre", TODAY, checklist=checklist_of(db))
    assert _by_key(db, ref)["assessment.score"][0]["status"] == "done"


def test_a_follow_up_questionnaire_closes_its_follow_up(db):
    ref = sentenced_case(db, "2025-06-02", sessions=1)
    casework.record_event(db, ref, "session", "2025-06-09", {"outcome": "attended"}, TODAY, checklist=checklist_of(db))
    casework.record_event(db, ref, "completion", "2025-06-10", {}, TODAY, checklist=checklist_of(db))
    add_questionnaire(db, ref, "PHQ-9", [0] * 9, "2025-09-10", "follow-up-3", TODAY, checklist=checklist_of(db))
    tasks = _by_key(db, ref)
    assert tasks["completion.follow-up-3"][0]["status"] == "done"
    assert tasks["completion.follow-up-6"][0]["status"] == "open"


def test_a_health_entry_action_closes_only_that_sessions_task(db):
    ref = sentenced_case(db, "2026-11-02")
    first = casework.record_event(
        db, ref, "session", "2026-11-09", {"outcome": "attended"}, TODAY, checklist=checklist_of(db)
    ).event_id
    casework.record_event(db, ref, "session", "2026-11-16", {"outcome": "attended"}, TODAY, checklist=checklist_of(db))
    case_id = clients.require_case(db, ref)["case_id"]
    checklist = checklist_of(db)
    closed = complete_by_app(db, checklist, case_id, "health-entry", "health-system entry copied", [first])
    assert closed == ["Health system entry for the session (risk, summary, plan)"]
    entries = {t["event_id"]: t["status"] for t in _by_key(db, ref)["session.health-entry"]}
    assert entries[first] == "done" and sorted(entries.values()) == ["done", "open"]


def test_writing_a_final_document_closes_the_item_that_asked_for_it(db, tmp_path):
    from letters import documents as L
    from tests.letters_support import assessed_case, sentenced, set_service

    set_service(db)
    ref = sentenced(db, assessed_case(db))
    w = L.write_document(db, "gp", ref, tmp_path / "gp.docx", today=date(2026, 9, 11), checklist=checklist_of(db))
    assert w.ticked == ["Letter to GP about the court outcome"]
    (t,) = _by_key(db, ref)["outcome.gp-letter"]
    assert t["status"] == "done" and t["reason"] == "by mhtr-tui: GP letter written"


def test_sharing_a_week_closes_the_share_items_of_its_sessions_only(db, tmp_path):
    ref = sentenced_case(db, "2026-11-02")
    before = casework.record_event(
        db, ref, "session", "2026-11-09", {"outcome": "attended"}, TODAY, checklist=checklist_of(db)
    ).event_id
    inside = se.log_session(
        db, ref, "2026-11-17", "attended", today=TODAY, now=at("2026-11-20 12:00"), checklist=checklist_of(db)
    ).event_id
    wsw.share_week(
        db, tmp_path / "share", date(2026, 11, 18), today=TODAY, now=at("2026-11-20 12:00"), checklist=checklist_of(db)
    )
    shares = {t["event_id"]: t for t in _by_key(db, ref)["session.share-probation"]}
    assert shares[inside]["status"] == "done"
    assert shares[inside]["reason"] == "by mhtr-tui: week of 16/11/2026 shared with probation"
    assert shares[before]["status"] == "open"  # an earlier week, not shared


def test_a_service_checklist_without_done_by_keeps_the_work_for_the_person(db, tmp_path, monkeypatch):
    text = "\n".join(line for line in DEFAULT_FILE.read_text().splitlines() if not line.startswith("done_by"))
    own = tmp_path / "ours.toml"
    own.write_text(text)
    monkeypatch.setenv("MHTR_CHECKLIST", str(own))
    ref = sentenced_case(db, "2026-11-02")
    add_questionnaire(db, ref, "GAD-7", [1] * 7, "2026-11-02", "pre", TODAY, checklist=checklist_of(db))
    tasks = _by_key(db, ref)
    assert tasks["outcome.data-capture"][0]["status"] == "open"
    assert tasks["assessment.score"][0]["status"] == "open"


def test_an_unknown_app_action_is_refused_with_the_line(tmp_path):
    text = DEFAULT_FILE.read_text().replace('done_by = ["health-entry"]', 'done_by = ["health-entree"]')
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "health-entree" in s)
    with pytest.raises(ChecklistError, match=rf"line {line}: item 'session.health-entry': done_by names unknown"):
        load(bad)
