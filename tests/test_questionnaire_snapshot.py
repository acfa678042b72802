"""SVG snapshot of questionnaire entry at 80x24: PHQ-9 mid-entry with item 9 endorsed."""

from __future__ import annotations

from datetime import date

from db.connection import connect
from records import casework, clients, task_actions
from service.core import checklist_of
from tui.app import MhtrApp
from tui.questionnaire_entry import QuestionnaireScreen

TODAY = date(2026, 11, 20)


def test_questionnaire_entry_snapshot(snap_compare, tmp_path):
    path = tmp_path / "snap.db"
    db = connect(path, create=True)
    from db.records import set_setting

    set_setting(db, task_actions.RECURRING_SINCE, "2026-11-16")
    ref = clients.add_client(db, {"name": "Blake Example", "dob": "1979-07-30"}, TODAY)
    casework.record_event(db, ref, "assessment", "2026-11-17", {}, TODAY, checklist=checklist_of(db))
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)

    async def enter(pilot):
        await pilot.pause()
        app.push_screen(QuestionnaireScreen(ref, "PHQ-9", "pre"))
        await pilot.pause()
        await pilot.press("2", "2", "1", "-", "3", "1", "0", "2", "1", "up")
        await pilot.pause()

    assert snap_compare(app, run_before=enter, terminal_size=(80, 24))
