"""Questionnaire entry and the outcomes view, driven with the keyboard (Textual Pilot)."""

from __future__ import annotations

from datetime import date

from db.connection import connect
from db.records import questionnaires_of_case
from records import casework, clients
from records.questionnaire_records import add_questionnaire, outcomes
from records.views import tasks
from service.core import checklist_of
from tests.conftest import snapshot_counts
from tui.app import MhtrApp
from tui.client import ClientScreen
from tui.questionnaire_entry import InstrumentPicker, ItemEntry, QuestionnaireScreen

TODAY = date(2026, 11, 20)


def _assessed_client(path):
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Robin Example", "dob": "02/02/1990"}, TODAY)
    casework.record_event(db, ref, "screening", "16/11/2026", {}, TODAY, checklist=checklist_of(db))
    casework.record_event(db, ref, "assessment", "17/11/2026", {}, TODAY, checklist=checklist_of(db))
    db.close()
    return ref


async def _open_entry(pilot, app, ref, instrument_keys):
    app.push_screen(ClientScreen(ref))
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(app.screen, InstrumentPicker)
    await pilot.press(*instrument_keys, "enter")
    await pilot.pause()
    assert isinstance(app.screen, QuestionnaireScreen)


async def test_phq9_typed_as_digits_with_item_9_endorsed_raises_urgent_task(tmp_path):
    path = tmp_path / "q.db"
    ref = _assessed_client(path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open_entry(pilot, app, ref, [])  # PHQ-9 is first in the list
        screen = app.screen
        await pilot.press("1", "2", "3", "0", "1", "2", "1", "0")
        entry = screen.query_one(ItemEntry)
        assert entry.cursor == 8 and entry.typed == 8
        await pilot.press("4")  # outside 0-3: refused on the spot, nothing set
        await pilot.pause()
        assert entry.typed == 8
        assert "4 is not a response to PHQ-9 item 9" in str(screen.query_one("#q-message").render())
        await pilot.press("2")
        await pilot.pause()
        score_text = str(screen.query_one("#q-score").render())
        assert "PHQ-9 12 (moderate)" in score_text and "RISK ITEM ENDORSED (item 9)" in score_text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)

    db = connect(path)
    [stored] = questionnaires_of_case(db, 1)
    assert stored["instrument"] == "PHQ-9" and stored["items"] == [1, 2, 3, 0, 1, 2, 1, 0, 2]
    assert stored["timepoint"] == "pre" and stored["date"] == "2026-11-20"
    urgent = [t for t in tasks(db, TODAY, "today") if t["key"] == "risk.assessment"]
    assert len(urgent) == 1 and urgent[0]["urgent"] and urgent[0]["due"] == "2026-11-20"
    assert "PHQ-9" in urgent[0]["title"] and "item 9" in urgent[0]["title"]


async def test_missing_items_backspace_and_an_incomplete_form_is_not_saved(tmp_path):
    path = tmp_path / "q.db"
    ref = _assessed_client(path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = snapshot_counts(app.db)  # after start-up (which makes the weekly and monthly tasks)
        await _open_entry(pilot, app, ref, ["down"])  # GAD-7 is second
        screen = app.screen
        assert screen.instrument == "GAD-7"
        await pilot.press("3", "3", "-", "9")  # 9 refused
        entry = screen.query_one(ItemEntry)
        assert entry.items()[:3] == [3, 3, None] and entry.typed == 3
        await pilot.press("backspace")  # clears item 3 (cursor on untyped item 4 steps back first)
        assert entry.typed == 2 and entry.cursor == 2
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)
        assert "not typed yet" in str(screen.query_one("#q-message").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        assert snapshot_counts(app.db) == before


async def test_outcomes_view_shows_change_and_recovery(tmp_path):
    path = tmp_path / "q.db"
    ref = _assessed_client(path)
    db = connect(path)
    add_questionnaire(db, ref, "PHQ-9", [2] * 9, "17/11/2026", "pre", TODAY, checklist=checklist_of(db))
    add_questionnaire(db, ref, "GAD-7", [2] * 7, "17/11/2026", "pre", TODAY, checklist=checklist_of(db))
    add_questionnaire(db, ref, "PHQ-9", [1] * 8 + [0], "20/11/2026", "post", TODAY, checklist=checklist_of(db))
    add_questionnaire(db, ref, "GAD-7", [0] * 7, "20/11/2026", "post", TODAY, checklist=checklist_of(db))
    data = outcomes(db, ref)
    phq = next(i for i in data["instruments"] if i["name"] == "PHQ-9")
    assert [p["value"] for p in phq["points"]] == [18, 8] and phq["change"]["recovery"] is True
    assert data["paired"]["reliable_recovery"] is True
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.push_screen(ClientScreen(ref))
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        text = str(app.screen.query_one("#outcomes-text").render())
        assert "PHQ-9" in text and "reliable improvement yes" in text and "recovery yes" in text
        assert "NHS Talking Therapies" in text and "PHQ-9 +10 better" in text


async def test_a_digit_after_the_last_item_is_refused_and_never_overwrites_the_risk_item(tmp_path):
    """Typing past the end used to overwrite the last item: for PHQ-9 that is item 9, so a stray 0 cleared the
    risk warning. Past the end, digits are refused; only an explicit move back edits an item."""
    path = tmp_path / "q.db"
    ref = _assessed_client(path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open_entry(pilot, app, ref, [])  # PHQ-9
        screen = app.screen
        entry = screen.query_one(ItemEntry)
        await pilot.press(*"12301-012")
        await pilot.pause()
        assert entry.typed == 9 and entry.items()[8] == 2
        assert "RISK ITEM ENDORSED (item 9)" in str(screen.query_one("#q-score").render())
        await pilot.press("0", "-")  # a stray digit and a stray '-' after the last item: both refused
        await pilot.pause()
        assert entry.items() == [1, 2, 3, 0, 1, None, 0, 1, 2]
        assert "refused: all 9 items typed" in str(screen.query_one("#q-message").render())
        assert "RISK ITEM ENDORSED (item 9)" in str(screen.query_one("#q-score").render())
        await pilot.press("up", "0")  # an explicit move back to item 9 lets it be changed
        await pilot.pause()
        assert entry.items()[8] == 0
        assert "RISK ITEM" not in str(screen.query_one("#q-score").render())
        await pilot.press("backspace")  # from past the end, backspace steps back onto item 9 and clears it
        await pilot.pause()
        assert entry.typed == 8 and entry.cursor == 8
        await pilot.press("3")
        await pilot.pause()
        assert entry.items()[8] == 3
        await pilot.press("home", "2")  # home goes back to item 1 for a correction
        await pilot.pause()
        assert entry.items()[0] == 2 and entry.items()[8] == 3


async def test_s_in_treatment_defaults_to_the_next_session_and_the_number_can_be_changed(tmp_path):
    """``s`` used to default to "pre" whatever the stage, so a mid-treatment form became a second baseline."""
    from tui.task_table import TaskTable

    path = tmp_path / "q.db"
    ref = _assessed_client(path)
    db = connect(path)
    casework.record_event(
        db, ref, "cl-decision", "18/11/2026", {"decision": "approved"}, TODAY, checklist=checklist_of(db)
    )
    casework.record_event(db, ref, "court-outcome", "19/11/2026",
                          {"outcome": "accepted", "order": "CO", "sessions": 12}, TODAY, checklist=checklist_of(db))
    casework.record_event(db, ref, "session", "19/11/2026", {"outcome": "attended"}, TODAY, checklist=checklist_of(db))
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ClientScreen(ref))
        await pilot.pause()
        table = app.screen.query_one(TaskTable)
        other = next(t for t in table.tasks.values() if t["status"] == "open" and t.get("action") != "score")
        table.keep_cursor(other["id"])  # not on a scoring task: the default comes from the stage
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # PHQ-9
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        assert screen.query_one("#q-timepoint").value == "session"
        number = screen.query_one("#q-session")
        assert number.value == "2" and not number.disabled  # one session logged yesterday: this is the second
        await pilot.press(*"000000000")
        await pilot.press("shift+tab")  # back from the items to the session number
        await pilot.pause()
        assert screen.focused is number
        await pilot.press("1", "4")  # the whole number is selected on focus, so typing replaces it
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
    [stored] = questionnaires_of_case(connect(path), 1)
    assert stored["timepoint"] == "session-14"


async def test_the_session_number_box_is_for_sessions_only(tmp_path):
    path = tmp_path / "q.db"
    ref = _assessed_client(path)
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(QuestionnaireScreen(ref, "GAD-7", "pre"))
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#q-session").disabled
        screen.query_one("#q-timepoint").value = "session"
        await pilot.pause()
        assert not screen.query_one("#q-session").disabled
