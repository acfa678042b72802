"""Text fields hold text: control characters, bidi overrides and zero-width characters are refused with the
field's name (command line, app, import), and everything a command prints is escaped before it reaches the
terminal."""

from __future__ import annotations

import json

import pytest

from records import task_actions
from service.core import checklist_of
from tests.conftest import TODAY, snapshot_counts
from vocabulary.identity import ValidationError
from vocabulary.text import check_text, escape_for_terminal, text_problem

ESC_TITLE = "Robin \x1b]0;pwned\x07Synthetic"  # retitles the terminal
CLEAR = "Robin\x1b[2J\x1b[HSynthetic"  # clears it
BIDI = "Robin \u202eoitehtnyS"  # reads as "Robin Synthetio" reversed
ZERO_WIDTH = "Ro\u200bbin Synthetic"  # looks like Robin Synthetic
C1 = "Robin \x9b31mSynthetic"  # the 8-bit CSI


@pytest.mark.parametrize("value", [ESC_TITLE, CLEAR, BIDI, ZERO_WIDTH, C1, "Robin\x00Synthetic", "Robin\u2028X"])
def test_characters_that_are_not_text_are_refused_with_the_fields_name(value):
    assert "the name holds a character that is not text (U+" in text_problem(value, "name")
    with pytest.raises(ValidationError, match="GP practice"):
        check_text(value, "GP practice")


def test_tab_and_line_breaks_only_where_a_field_has_several_lines():
    assert text_problem("line one\nline two", "name") == "the name must be on one line"
    assert text_problem("line one\r\nline two\tindented", "notes", multiline=True) is None
    assert check_text("a\r\nb", "notes", multiline=True) == "a\nb"
    assert text_problem("a\rb", "notes", multiline=True) is not None  # a bare carriage return overwrites a line
    assert text_problem("Zoë O'Brien-Łukasz 陳", "name") is None


def test_escaping_shows_every_control_as_what_it_is():
    shown = escape_for_terminal(ESC_TITLE + "\n" + BIDI)
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "\\x1b]0;pwned\\x07" in shown and "\\u202e" in shown and "\n" in shown
    assert escape_for_terminal("a\nb", keep_lines=False) == "a\\nb"


@pytest.mark.parametrize("value", [ESC_TITLE, BIDI, ZERO_WIDTH])
def test_the_command_line_refuses_them_and_changes_nothing(run, value):
    code, out, err = run("client", "add", "--name", value, "--dob", "14/03/1987")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "the name holds a character that is not text" in err and "\x1b" not in err and "\u202e" not in err
    code, out, err = run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--gp-practice", value)
    assert code == 2 and "the GP practice holds a character" in err


def test_task_appointment_and_archive_reasons_are_checked_too(db):
    from records.appointments import book_appointment
    from records.archive import archive_case
    from tests.sessions_support import at, sentenced_case

    ref = sentenced_case(db, "2026-10-01")
    task = db.execute("SELECT id FROM tasks WHERE status = 'open' ORDER BY id").fetchone()[0]
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="the reason holds a character"):
        task_actions.skip(db, task, BIDI)
    with pytest.raises(ValidationError, match="the note holds a character"):
        book_appointment(
            db, ref, at("2026-11-24 10:00"), mode="phone", note=CLEAR, now=at("2026-11-20 09:00"),
            checklist=checklist_of(db)
        )
    with pytest.raises(ValidationError, match="the place holds a character"):
        book_appointment(
            db, ref, at("2026-11-24 10:00"), place=ZERO_WIDTH, now=at("2026-11-20 09:00"), checklist=checklist_of(db)
        )
    with pytest.raises(ValidationError, match="the reason holds a character"):
        archive_case(db, ref, ESC_TITLE, now=at("2026-11-20 09:00"))
    assert snapshot_counts(db) == before


def test_what_is_already_held_prints_escaped(run):
    """A name stored before the check existed (written straight into the file) cannot drive the terminal."""
    from db.connection import connect

    assert run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987")[0] == 0
    db = connect(run.path)
    db.execute("UPDATE clients SET name = ?", [ESC_TITLE + " [/b] [red]"])
    db.close()
    for args in (("client", "list"), ("client", "show", "MHTR-0001"), ("tasks", "--due", "all")):
        code, out, err = run(*args)
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out, args
    code, out, _ = run("client", "show", "MHTR-0001")
    assert "\\x1b]0;pwned" in out and "[/b] [red]" in out  # shown as written, markup and all
    code, out, _ = run("client", "list", "--json")
    assert json.loads(out)[0]["name"] == ESC_TITLE + " [/b] [red]"  # JSON is data: escaped by JSON itself
    assert "\x1b" not in out


async def test_the_app_refuses_them_in_the_new_client_form_and_keeps_what_was_typed(tmp_path):
    from textual.widgets import Input

    from tests.conftest import made
    from tui.app import MhtrApp

    app = MhtrApp(db_path=made(tmp_path / "app.db"), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        before = snapshot_counts(app.db)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#f-name", Input).value = ZERO_WIDTH  # pasted from somewhere
        await pilot.press("tab", *"14/03/1987")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#form-error").render())
        assert "the name holds a character that is not text (U+200B ZERO WIDTH SPACE)" in error
        assert app.screen.query_one("#f-name", Input).value == ZERO_WIDTH
        assert snapshot_counts(app.db) == before


def test_an_events_reason_and_notes_are_checked_naming_the_field(run):
    assert run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987")[0] == 0
    assert run("event", "MHTR-0001", "screening", "--date", "02/11/2026")[0] == 0
    code, out, err = run("event", "MHTR-0001", "not-eligible", "--date", "02/11/2026", "--reason", CLEAR)
    assert code == 2 and err.count("\n") == 1 and "reason holds a character that is not text (U+001B" in err
    code, out, err = run("event", "MHTR-0001", "not-eligible", "--date", "02/11/2026", "--reason", "a\nb")
    assert code == 2 and "must be on one line" in err
