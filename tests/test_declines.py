"""A decline ends the MHTR, not its admin: a Clinical Lead decline raises the GP letter, the probation update for
the pre-sentence report, the health-system entry and the data capture, and the case ends (leaves the Caseload)
only once they are done. A court decline keeps its own items."""

from __future__ import annotations

from datetime import date

from letters import documents as L
from records import casework, clients, task_actions
from records.views import case_detail, caseload
from service.core import checklist_of
from tests.letters_support import ASSESSED, CLIENT, PHQ_PRE, set_service
from tests.sessions_support import all_tasks

DECIDED = date(2026, 9, 3)  # a Thursday


def _declined_by_cl(db) -> str:
    from records.questionnaire_records import add_questionnaire

    ref = clients.add_client(db, CLIENT, ASSESSED)
    casework.record_event(db, ref, "screening", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(db, ref, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    add_questionnaire(db, ref, "PHQ-9", PHQ_PRE, ASSESSED, "pre", ASSESSED, checklist=checklist_of(db))
    casework.record_event(db, ref, "cl-decision", DECIDED,
                          {"decision": "declined", "reason": "Needs secondary mental health care"}, DECIDED,
                          checklist=checklist_of(db))
    return ref


def _open(db, ref) -> dict[str, str]:
    return {t["key"]: t["due"] for t in all_tasks(db, ref) if t["status"] == "open"}


def test_a_clinical_lead_decline_walks_to_its_closed_state(db, tmp_path):
    set_service(db)
    ref = _declined_by_cl(db)
    tasks = {t["key"]: t for t in all_tasks(db, ref)}
    assert tasks["cl-declined.data-capture"]["status"] == "done"  # recording the decision is the data capture
    assert tasks["assessment.court-report"]["status"] == "skipped"  # no court report after a decline
    assert tasks["assessment.send-report"]["status"] == "skipped"
    decline_admin = {k: v for k, v in _open(db, ref).items() if k.startswith("cl-declined.")}
    assert decline_admin == {
        "cl-declined.probation-update": "2026-09-04",
        "cl-declined.gp-letter": "2026-09-07",  # Thursday + 2 working days
        "cl-declined.health-entry": "2026-09-04",
    }
    detail = case_detail(db, ref, DECIDED)
    assert detail["stage"] == "cl-declined" and detail["closed"] and not detail["ended"]
    assert detail["events"][-1]["summary"] == "declined: Needs secondary mental health care"  # the reason shown
    row = next(r for r in caseload(db, DECIDED) if r["ref"] == ref)
    assert not row["ended"]  # still in the Caseload: its admin is open

    # the app's own actions: the probation update and the GP letter, final, close their tasks
    update = L.write_document(
        db, "probation-update", ref, tmp_path / "update.docx", today=DECIDED, checklist=checklist_of(db)
    )
    assert update.ticked == ["Tell probation the Clinical Lead's decision and reasons, for the pre-sentence report"]
    letter = L.write_document(db, "gp", ref, tmp_path / "gp.docx", today=DECIDED, checklist=checklist_of(db))
    assert letter.ticked == ["Letter to GP: MHTR declined by the Clinical Lead"]
    tasks = {t["key"]: t for t in all_tasks(db, ref)}
    for key in ("cl-declined.probation-update", "cl-declined.gp-letter"):
        assert tasks[key]["status"] == "done" and tasks[key]["reason"].startswith("by mhtr-tui: ")

    # what is left needs a person; once done the case has ended
    assert set(_open(db, ref)) == {
        "court.liaise", "assessment.health-entry", "assessment.send-documents", "assessment.referrals",
        "cl-declined.health-entry",
        "risk.assessment", "risk.inform",  # PHQ-9 item 9 was endorsed at the assessment
    }
    for t in all_tasks(db, ref):
        if t["status"] == "open":
            task_actions.tick(db, t["id"])
    assert case_detail(db, ref, DECIDED)["ended"]
    assert next(r for r in caseload(db, DECIDED) if r["ref"] == ref)["ended"]


def test_a_court_decline_keeps_its_items(db):
    ref = clients.add_client(db, CLIENT, ASSESSED)
    casework.record_event(db, ref, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "cl-decision", ASSESSED, {"decision": "approved"}, ASSESSED, checklist=checklist_of(db)
    )
    result = casework.record_event(db, ref, "court-outcome", DECIDED,
                                   {"outcome": "declined", "reason": "Custodial sentence"}, DECIDED,
                                   checklist=checklist_of(db))
    assert {s.key for s in result.created} == {
        "outcome.gp-letter", "outcome.health-entry", "outcome.update-teams", "outcome.data-capture"}
    assert not case_detail(db, ref, DECIDED)["ended"]


async def test_the_caseload_keeps_a_declined_case_until_its_admin_is_done(tmp_path):
    from db.connection import connect
    from tests.conftest import made
    from tui.app import MhtrApp

    path = made(tmp_path / "pilot.db")
    db = connect(path)
    ref = _declined_by_cl(db)
    db.close()

    async def shown_refs(app) -> list[str]:
        table = app.screen.query_one("#caseload")
        return [str(k.value) for k in table.rows]

    app = MhtrApp(db_path=path, today=DECIDED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert await shown_refs(app) == [ref]  # declined, admin open: still on the list
    db = connect(path)
    for t in all_tasks(db, ref):
        if t["status"] == "open":
            task_actions.tick(db, t["id"])
    db.close()
    app = MhtrApp(db_path=path, today=DECIDED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert await shown_refs(app) == []  # ended: hidden with the other closed cases
        await pilot.press("h")
        await pilot.pause()
        assert await shown_refs(app) == [ref]
