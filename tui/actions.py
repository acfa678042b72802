"""Which screen does the work of a checklist item's ``action``.

Each entry opens the screen and calls ``refresh`` when it closes. Actions whose screen is not in the app
return False, and the user is told to tick the task when the work is done elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable


def open_action(app, task: dict, refresh: Callable[[], None]) -> bool:
    action = task.get("action")
    ref = task.get("ref")
    if action in ("diary", "session-log"):
        from tui.diary import open_diary_action

        if open_diary_action(app, task, refresh):
            return True
    if action == "session-log" and ref:
        from tui.session_forms import open_event_form

        open_event_form(app, ref, refresh, kind="session")
        return True
    if action == "score" and ref:
        from records.questionnaire_records import timepoint_for_task
        from tui.questionnaire_entry import enter_questionnaire

        enter_questionnaire(app, ref, timepoint_for_task(task.get("key")), lambda _stored: refresh())
        return True
    from letters.kinds import KINDS

    if action in KINDS and ref:
        from tui.letters import open_letters

        open_letters(app, ref, action, refresh)
        return True
    if action == "export-month":
        from tui.export_screen import ExportScreen

        app.push_screen(ExportScreen(task.get("period")), lambda _: refresh())
        return True
    return False
