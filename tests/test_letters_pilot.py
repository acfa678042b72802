"""The Letters menu and the assessment record form, driven with the keyboard at 80x24 (Textual Pilot)."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from db.connection import connect
from letters.assessment import get_assessment
from letters.documents import documents_of
from records import casework, clients
from service.core import checklist_of
from tests.letters_support import ASSESSED, SENTENCED, assessed_case, docx_text, fill_report, sentenced, set_service
from tui.app import MhtrApp
from tui.assessment_form import AssessmentForm
from tui.client import ClientScreen
from tui.letters import LettersScreen
from tui.task_table import TaskTable
from tui.today import TodayScreen

SIZE = (80, 24)


def _db(tmp_path, *, sentence: bool = True, report: bool = True) -> tuple[str, str]:
    path = tmp_path / "pilot.db"
    db = connect(path, create=True)
    set_service(db)
    ref = assessed_case(db)
    if report:
        fill_report(db, ref)
    if sentence:
        sentenced(db, ref)
    db.close()
    return str(path), ref


async def _client(pilot, app, ref: str) -> ClientScreen:
    await pilot.pause()
    app.push_screen(ClientScreen(ref))
    await pilot.pause()
    return app.screen


def _preview(app) -> str:
    return str(app.screen.query_one("#letter-preview", Static).render())


async def test_l_previews_then_writes_the_gp_letter(tmp_path):
    path, ref = _db(tmp_path)
    app = MhtrApp(db_path=path, today=SENTENCED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)
        await pilot.press("g")
        await pilot.pause()
        text = _preview(app)
        assert "GP letter: MHTR made" in text and "Nothing missing." in text
        assert "Client: Robin Synthetic" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        written = tmp_path / "letters" / f"{ref}-gp-letter-2026-09-10.docx"
        assert written.is_file()
        assert any(str(written) in n.message for n in app._notifications)
        assert "Robin Synthetic" in docx_text(written)
    db = connect(path)
    assert [d["kind"] for d in documents_of(db, ref)] == ["gp-letter"]
    case = clients.require_case(db, ref)
    task = db.execute(
        "SELECT status FROM tasks WHERE case_id = ? AND key = 'outcome.gp-letter'", [case["case_id"]]
    ).fetchone()
    assert task[0] == "done"


async def test_refused_letter_says_why_and_writes_nothing(tmp_path):
    path, ref = _db(tmp_path, sentence=False)
    app = MhtrApp(db_path=path, today=SENTENCED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("l", "c")
        await pilot.pause()
        assert "Not yet:" in _preview(app) and "the completion letter follows completion" in _preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)  # still open, nothing written
        assert any("follows completion" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
    assert not (tmp_path / "letters").exists()


async def test_task_action_opens_the_letter_it_asks_for(tmp_path):
    path, ref = _db(tmp_path)
    app = MhtrApp(db_path=path, today=SENTENCED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _client(pilot, app, ref)
        table = screen.query_one(TaskTable)
        gp_task = next(t for t in table.tasks.values() if t["key"] == "outcome.gp-letter")
        table.keep_cursor(gp_task["id"])
        await pilot.pause()
        assert table.current_task_id() == gp_task["id"]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen) and app.screen.kind == "gp-letter"


async def test_assessment_form_saves_and_locks_after_the_report_is_sent(tmp_path):
    path, ref = _db(tmp_path, sentence=False, report=False)
    app = MhtrApp(db_path=path, today=SENTENCED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentForm)
        assert app.focused.id == "a-presenting_problem"
        await pilot.press(*"Low mood")
        await pilot.press("tab")
        await pilot.press(*"Lives alone")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        # from the Letters menu, a opens the form and the court report preview follows what was typed
        await pilot.press("l", "r")
        await pilot.pause()
        assert "Presenting problem: Low mood" in _preview(app)
    db = connect(path)
    fields = get_assessment(db, ref)["fields"]
    assert fields["presenting_problem"] == "Low mood" and fields["social_circumstances"] == "Lives alone"
    casework.record_event(db, ref, "court-report-sent", SENTENCED, {}, SENTENCED, checklist=checklist_of(db))
    db.close()
    app = MhtrApp(db_path=path, today=SENTENCED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("A")
        await pilot.pause()
        form = app.screen
        assert "the court report was sent on" in str(form.query_one("#a-locked", Static).render())
        assert form.query_one("#a-presenting_problem", TextArea).read_only
        assert app.focused.id == "a-signposting"  # the first field still editable
        await pilot.press(*"See GP")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
    db = connect(path)
    fields = get_assessment(db, ref)["fields"]
    assert fields["signposting"] == "See GP" and fields["presenting_problem"] == "Low mood"


async def test_service_details_from_the_letters_menu(tmp_path):
    path, ref = _db(tmp_path)
    db = connect(path)
    from db import records as rec

    rec.set_setting(db, "service_name", None)
    rec.set_setting(db, "nps_contact", None)
    db.close()
    app = MhtrApp(db_path=path, today=SENTENCED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("l", "r")
        await pilot.pause()
        assert "no service name set" in _preview(app) and "no NPS contact set" in _preview(app)
        await pilot.press("s")
        await pilot.pause()
        assert app.focused.id == "s-service_name"
        await pilot.press(*"Fenland MHTR")
        for _ in range(6):
            await pilot.press("tab")
        assert app.focused.id == "s-nps_contact"
        await pilot.press(*"NPS Court Team")
        for _ in range(2):
            await pilot.press("tab")
        await pilot.press(*"/no/such/folder")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # a refused value keeps the form open, says why and saves none of them
        assert "templates_dir: there is no folder /no/such/folder" in str(app.screen.query_one("#form-error").render())
        app.screen.query_one("#s-templates_dir").value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)
        assert "no service name set" not in _preview(app) and "no NPS contact set" not in _preview(app)
        assert "From: Fenland MHTR" in _preview(app)
    db = connect(path)
    from db import records as rec

    assert rec.get_setting(db, "service_name") == "Fenland MHTR"
    assert rec.get_setting(db, "nps_contact") == "NPS Court Team"


async def test_preview_names_a_document_already_written(tmp_path):
    path, ref = _db(tmp_path)
    from letters.documents import write

    db = connect(path)
    first = write(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    db.close()
    app = MhtrApp(db_path=path, today=SENTENCED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("l", "g")
        await pilot.pause()
        assert "already written " in _preview(app) and f"({first.name})" in _preview(app)
        await pilot.press("r")
        await pilot.pause()
        assert "already written" not in _preview(app)


async def test_preview_names_a_draft_written_as_a_draft(tmp_path):
    """A draft is not the document sent: the preview says a draft was written, not that the document was."""
    path, ref = _db(tmp_path, sentence=False, report=False)
    from letters.documents import documents_of, write

    db = connect(path)
    draft = write(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db))
    assert "-draft-" in draft.name and [d["draft"] for d in documents_of(db, ref)] == [True]
    db.close()
    app = MhtrApp(db_path=path, today=ASSESSED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("l", "r")
        await pilot.pause()
        assert "a draft written " in _preview(app) and f"({draft.name})" in _preview(app)
        assert "already written" not in _preview(app)


async def test_court_report_task_on_today_opens_the_report(tmp_path):
    path, ref = _db(tmp_path, sentence=False)
    app = MhtrApp(db_path=path, today=ASSESSED)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(TaskTable)
        task = next(t for t in table.tasks.values() if t["key"] == "assessment.court-report")
        table.keep_cursor(task["id"])
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen) and app.screen.kind == "court-report"
        assert "Responsible Clinician's report" in _preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    assert (tmp_path / "letters" / f"{ref}-court-report-2026-09-01.docx").is_file()
    db = connect(path)
    assert db.execute("SELECT status FROM tasks WHERE id = ?", [task["id"]]).fetchone()[0] == "done"


async def test_re_issuing_the_court_report_after_sentence_asks_before_writing(tmp_path):
    path, ref = _db(tmp_path)
    app = MhtrApp(db_path=path, today=SENTENCED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("l", "r")
        await pilot.pause()
        assert "Write it again anyway? (enter twice)" in _preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)  # asked, nothing written
        assert not (tmp_path / "letters").exists()
        assert any("Press enter again" in n.message for n in app._notifications)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
    assert (tmp_path / "letters" / f"{ref}-court-report-2026-09-10.docx").is_file()


async def test_the_preview_lists_what_a_draft_is_missing(tmp_path):
    path, ref = _db(tmp_path, sentence=False, report=False)
    app = MhtrApp(db_path=path, today=ASSESSED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("l", "r")
        await pilot.pause()
        text = _preview(app)
        assert "Will be written as a DRAFT" in text and "• the presenting problem" in text


async def test_a_from_a_draft_opens_the_assessment_form_on_the_first_field_it_needs(tmp_path):
    """The presenting problem is written, the risk is not: `a` from the court report's preview opens the form on
    the risk box, not on the first box of the form, so the missing text goes where the document reads it."""
    from letters.assessment import save_assessment

    path, ref = _db(tmp_path, sentence=False, report=False)
    db = connect(path)
    save_assessment(db, ref, {"presenting_problem": "Low mood since a bereavement."}, ASSESSED)
    db.close()
    app = MhtrApp(db_path=path, today=ASSESSED)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("l", "r")
        await pilot.pause()
        assert "• the risk information" in _preview(app) and "the presenting problem" not in _preview(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentForm)
        assert app.focused is not None and app.focused.id == "a-risk"
        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(AssessmentForm(ref))  # opened from the Client screen: its first box, as before
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "a-presenting_problem"


async def test_after_sentence_the_menu_opens_on_the_gp_letter_and_marks_what_is_not_yet_possible(tmp_path):
    path, ref = _db(tmp_path)
    app = MhtrApp(db_path=path, today=SENTENCED)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _client(pilot, app, ref)
        table = screen.query_one(TaskTable)
        other = next(t for t in table.tasks.values() if not t.get("action"))  # a task that asks for no document
        table.keep_cursor(other["id"])
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen) and app.screen.kind == "gp-letter"
        assert "completion-letter" in app.screen.unsupported and "gp-letter" not in app.screen.unsupported
        await pilot.press("e")  # the client's end-of-treatment letter: not before completion
        await pilot.pause()
        assert "Not yet:" in _preview(app) and "follows completion" in _preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)
        assert any("follows completion" in n.message for n in app._notifications)
    assert not (tmp_path / "letters").exists()


async def test_local_services_for_the_clients_letter_are_typed_in_the_service_details(tmp_path):
    from db import records as rec
    from tests.letters_support import completed

    path = tmp_path / "pilot.db"
    db = connect(path, create=True)
    set_service(db)
    ref = sentenced(db, fill_report(db, assessed_case(db)))
    done = completed(db, ref)
    db.close()
    app = MhtrApp(db_path=str(path), today=done)
    async with app.run_test(size=SIZE) as pilot:
        await _client(pilot, app, ref)
        await pilot.press("l", "e")
        await pilot.pause()
        assert "• the local services" in _preview(app)
        await pilot.press("s")
        await pilot.pause()
        area = app.screen.query_one("#s-signposting_local", TextArea)
        assert app.screen.query_one("#s-retention_statement", TextArea).text.startswith("We retain your information")
        area.focus()
        await pilot.press(*"Mind: 01223 000000", "enter", *"Citizens Advice: 0808 000")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)
        assert "• the local services" not in _preview(app) and "Will be written as a DRAFT" not in _preview(app)
    db = connect(path)
    settings = rec.all_settings(db)
    assert settings["signposting_local"] == "Mind: 01223 000000\nCitizens Advice: 0808 000"
    assert not settings.get("retention_statement")  # the default wording, untouched, is not stored
