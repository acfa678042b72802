"""One registry of event kinds, both front ends drawn from it: the app's event form offers every detail that
``mhtr-tui event --help`` lists for a kind, and each records what the other does."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from textual.widgets import Checkbox, Input, Select, TextArea

from db.connection import connect
from db.records import events_of_case
from records import casework, clients
from service.core import checklist_of
from tests.conftest import TODAY, snapshot_counts
from tui.app import MhtrApp
from tui.forms import EventScreen
from vocabulary.event_kinds import KINDS, check_event
from vocabulary.identity import ValidationError
from vocabulary.stages import event_from_row


def _help_options() -> dict[str, set[str]]:
    """Per kind, the options the command line's help lists for it ("kinds and their options")."""
    import contextlib
    import io

    from mhtr_tui import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(["event", "--help"])
    text = out.getvalue().split("kinds and their options:\n", 1)[1]
    kinds: dict[str, set[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("  ") and not line.startswith("    "):
            current, _, rest = line.strip().partition(" ")
            kinds[current] = set()
        else:
            rest = line
        kinds[current] |= set(re.findall(r"--[a-z-]+", rest))
    return kinds


def _form_options(form: EventScreen) -> set[str]:
    """The options a kind's form stands for: one per field, or one per choice of a field the command line gives
    as flags (``--approved``/``--declined``), and ``--not-x`` for a yes/no field."""
    out = set()
    for widget in form.query(".event-field Input, .event-field Select, .event-field Checkbox, .event-field TextArea"):
        name = widget.id.removeprefix("e-")
        option = "--" + name.replace("_", "-")
        if isinstance(widget, Select):
            values = {v for _, v in widget._options if isinstance(v, str)}
            if values == {"yes", "no"}:
                out |= {option, f"--not-{option[2:]}"}
                continue
            flag_values = {f"--{v}" for v in values}
            spec = KINDS[form.kind].field(name)
            if spec is not None and spec.flags:
                out |= flag_values
                continue
        assert isinstance(widget, (Input, Select, Checkbox, TextArea))
        out.add(option)
    return out


async def test_the_event_form_offers_every_option_the_command_line_lists_for_every_kind(tmp_path):
    listed = _help_options()
    assert set(listed) == set(KINDS)
    db = connect(tmp_path / "k.db", create=True)
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, TODAY)
    db.close()
    app = MhtrApp(db_path=tmp_path / "k.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for kind, options in listed.items():
            form = EventScreen(ref, kind=kind)
            app.push_screen(form)
            await pilot.pause()
            assert _form_options(form) == options, kind
            form.dismiss(None)
            await pilot.pause()
        # changing the kind on the form lays out that kind's fields
        form = EventScreen(ref)
        app.push_screen(form)
        await pilot.pause()
        form.query_one("#e-kind", Select).value = "court-outcome"
        await pilot.pause()
        assert _form_options(form) == listed["court-outcome"]
        form.query_one("#e-kind", Select).value = "breach"
        await pilot.pause()
        assert _form_options(form) == listed["breach"]


def _sentenced(db, ref: str) -> None:
    for kind, day, data in (
        ("assessment", "2026-10-01", {}),
        ("cl-decision", "2026-10-02", {"decision": "approved"}),
        ("court-outcome", "2026-10-09", {"outcome": "accepted", "order": "CO", "sessions": 12}),
    ):
        casework.record_event(db, ref, kind, day, data, TODAY, checklist=checklist_of(db))


async def test_the_app_records_a_combined_order_and_a_breachs_relation_and_outcome(tmp_path):
    """What the command line could record and the app could not (the Month screen asks for them)."""
    path = tmp_path / "c.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, TODAY)
    for kind, day, data in (("assessment", "2026-10-01", {}), ("cl-decision", "2026-10-02", {"decision": "approved"})):
        casework.record_event(db, ref, kind, day, data, TODAY, checklist=checklist_of(db))
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = EventScreen(ref, kind="court-outcome")
        app.push_screen(form)
        await pilot.pause()
        form.query_one("#e-date", Input).value = "09/10/2026"
        form.query_one("#e-outcome", Select).value = "accepted"
        form.query_one("#e-combined", Select).value = "DRR"
        form.query_one("#e-length_months", Input).value = "24"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EventScreen)
        form = EventScreen(ref, kind="breach")
        app.push_screen(form)
        await pilot.pause()
        form.query_one("#e-reason", Input).value = "missed three appointments"
        form.query_one("#e-mhtr_related", Select).value = "yes"
        form.query_one("#e-outcome", Input).value = "order continued with a fine"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EventScreen)
    db = connect(path)
    rows = {r["kind"]: json.loads(r["data"]) for r in db.query("SELECT kind, data FROM events")}
    assert rows["court-outcome"]["combined"] == "DRR" and rows["court-outcome"]["length_months"] == 24
    assert rows["breach"] == {
        "reason": "missed three appointments",
        "mhtr_related": True,
        "outcome": "order continued with a fine",
    }
    db.close()


def test_the_command_line_takes_a_sessions_structured_log_and_prints_its_entry(run):
    db = connect(run.path)
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, date.today())
    sentence = date.today() - timedelta(days=20)
    for kind, day, data in (
        ("assessment", sentence - timedelta(days=9), {}),
        ("cl-decision", sentence - timedelta(days=8), {"decision": "approved"}),
        ("court-outcome", sentence, {"outcome": "accepted"}),
    ):
        casework.record_event(db, ref, kind, day, data, date.today(), checklist=checklist_of(db))
    db.close()
    code, out, err = run(
        "event", ref, "session", "--risk", "No thoughts of self-harm.", "--summary", "Worked on sleep.",
        "--plan", "Diary until next week.", "--duration", "50", "--date", "yesterday",
    )
    assert code == 0, err
    entry = out.split("--- health-system entry ---\n", 1)[1]
    assert "MHTR treatment session 1 of 12" in entry and "(50 min)" in entry
    assert "Risk: No thoughts of self-harm." in entry
    assert "Summary: Worked on sleep." in entry and "Plan: Diary until next week." in entry
    code, out, err = run("event", ref, "session", "--outcome", "attended", "--json")
    assert code == 0
    assert "Risk: [not entered]" in json.loads(out)["health_entry"]


def test_an_option_of_another_kind_is_refused_and_nothing_is_written(run):
    db = connect(run.path)
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, date.today())
    before = snapshot_counts(db)
    db.close()
    code, out, err = run("event", ref, "screening", "--final")
    assert (code, out) == (2, "")
    assert err.strip() == "mhtr-tui: --final is for session, not screening"
    code, _, err = run("event", ref, "screening", "--copy")
    assert code == 2 and "--copy is for recording a session" in err
    db = connect(run.path)
    assert snapshot_counts(db) == before
    db.close()


def test_a_kinds_rules_are_checked_before_anything_is_stored(db):
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, TODAY)
    _sentenced(db, ref)
    history = [event_from_row(r) for r in events_of_case(db, 1)]
    with pytest.raises(ValidationError, match="must be between 10 and 240"):
        check_event("session", TODAY, {"duration": 5}, history, TODAY)
    with pytest.raises(ValidationError, match="risk is longer than 4000 characters"):
        check_event("session", TODAY, {"risk": "x" * 4001}, history, TODAY)
    clean = check_event("session", TODAY, {"risk": "  Low.\n\n  Seen  today ", "extra": False}, history, TODAY)
    assert clean == {"outcome": "attended", "risk": "Low.\n\nSeen today", "final": False, "number": 1}
    clean = check_event("breach", TODAY, {"mhtr_related": "no", "outcome": " fine "}, history, TODAY)
    assert clean == {"mhtr_related": False, "outcome": "fine"}


async def test_a_choice_left_empty_on_the_event_form_is_refused_in_the_forms_words(tmp_path):
    """The app's refusal names the choice to make, not the command line's options (--approved, --breach...),
    and nothing is recorded."""
    path = tmp_path / "f.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, TODAY)
    casework.record_event(db, ref, "assessment", "2026-10-01", {}, TODAY, checklist=checklist_of(db))
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for kind in ("cl-decision", "court-outcome", "sentencer-feedback", "ro-decision"):
            before = snapshot_counts(app.db)
            form = EventScreen(ref, kind=kind)
            app.push_screen(form)
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            error = str(form.query_one("#form-error").render())
            assert isinstance(app.screen, EventScreen) and error, kind
            assert "--" not in error, (kind, error)
            assert snapshot_counts(app.db) == before
            form.dismiss(None)
            await pilot.pause()
