"""What a case's dates and reasons say is shown where the practitioner reads the case, not only stored: the reasons
given for a withdrawal, a breach, a Clinical Lead decline and a court decline; "sentenced on the day" as the dates
show it (the flag only overrides); the order's last day. On the Client screen (summary and timeline) and in
``client show`` (text and JSON) alike."""

from __future__ import annotations

import json
from datetime import date

from db.connection import connect
from records import casework, clients
from service.core import checklist_of
from tests.conftest import synthetic

TODAY = date(2026, 11, 30)


def _record(db, ref: str, kind: str, when: str, **data) -> None:
    casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))


def _client(db, name: str) -> str:
    return clients.add_client(db, {"name": name, "dob": "1988-04-02"}, TODAY)


def _caseload(db) -> dict[str, str]:
    """Four synthetic cases, one per path: sentenced the day after the assessment (no flag set) then breached and
    withdrawn; declined by the Clinical Lead; declined by the court; sentenced a week after the assessment."""
    refs = {}
    refs["on-day"] = ref = _client(db, "Pat Synthetic")
    _record(db, ref, "assessment", "2026-11-02")
    _record(db, ref, "consent", "2026-11-02")
    _record(db, ref, "cl-decision", "2026-11-02", decision="approved")
    _record(db, ref, "court-outcome", "2026-11-03", outcome="accepted", order="CO", length_months=6, sessions=12)
    _record(db, ref, "breach", "2026-11-10", reason="Failed to attend three times", mhtr_related=False)
    _record(db, ref, "withdrawal", "2026-11-12", reason="Moved out of the area")
    refs["cl-declined"] = ref = _client(db, "Lee Synthetic")
    _record(db, ref, "assessment", "2026-11-02")
    _record(db, ref, "cl-decision", "2026-11-04", decision="declined", reason="Needs secondary mental health care")
    refs["court-declined"] = ref = _client(db, "Sam Synthetic")
    _record(db, ref, "assessment", "2026-11-02")
    _record(db, ref, "cl-decision", "2026-11-03", decision="approved")
    _record(db, ref, "court-outcome", "2026-11-09", outcome="declined", reason="Custodial sentence given")
    refs["later"] = ref = _client(db, "Jo Synthetic")
    _record(db, ref, "assessment", "2026-11-02")
    _record(db, ref, "cl-decision", "2026-11-03", decision="approved")
    _record(db, ref, "court-outcome", "2026-11-09", outcome="accepted", order="SSO", length_months=12)
    return refs


def _words(text: str) -> str:
    """Printed text with its spacing and the terminal's line wrapping as single spaces."""
    return " ".join(text.split())


def _summaries(detail: dict) -> dict[str, str]:
    return {e["kind"]: e["summary"] for e in detail["events"]}


def test_client_show_gives_the_reasons_and_the_derived_sentenced_on_the_day(run, monkeypatch):
    import cli.common
    from service.clock import Clock

    monkeypatch.setattr(cli.common, "CLOCK", Clock.fixed(TODAY))
    db = synthetic(connect(run.path))
    refs = _caseload(db)
    db.close()

    _, out, _ = run("client", "show", refs["on-day"], "--json")
    shown = json.loads(out)
    court = next(e for e in shown["events"] if e["kind"] == "court-outcome")
    assert not court["data"].get("sentenced_on_day")  # nobody ticked it: the dates say it
    assert shown["sentenced_on_day"] is True and shown["order_end"] == "2027-05-02"
    assert _summaries(shown) == {
        "assessment": "", "consent": "", "cl-decision": "approved",
        "court-outcome": "MHTR made: Community Order, 6 months, 12 sessions, sentenced on the day",
        "breach": "Failed to attend three times; not MHTR-related",
        "withdrawal": "Moved out of the area",
    }
    code, text, err = run("client", "show", refs["on-day"])
    assert code == 0, err
    assert "Sentenced 03/11/2026 (on the day) sessions 0/12 order ends 02/05/2027" in _words(text)
    for line in ("Breach Failed to attend three times; not MHTR-related", "Consent withdrawn Moved out of the area"):
        assert line in _words(text)

    _, out, _ = run("client", "show", refs["later"], "--json")
    shown = json.loads(out)
    assert shown["sentenced_on_day"] is False  # a week after the assessment
    assert _summaries(shown)["court-outcome"] == "MHTR made: Suspended Sentence Order, 12 months, 12 sessions"
    _, text, _ = run("client", "show", refs["later"])
    assert "Sentenced 09/11/2026 sessions 0/12 order ends 08/11/2027" in _words(text)

    _, text, _ = run("client", "show", refs["cl-declined"])
    assert "Clinical Lead decision declined: Needs secondary mental health care" in _words(text)
    assert "Sentenced" not in text
    _, text, _ = run("client", "show", refs["court-declined"])
    assert "Court outcome MHTR declined by the court: Custodial sentence given" in _words(text)


def test_the_flag_overrides_dates_that_do_not_show_it(db):
    from records.views import case_detail

    ref = _client(db, "Jo Synthetic")
    _record(db, ref, "assessment", "2026-11-02")
    _record(db, ref, "cl-decision", "2026-11-03", decision="approved")
    _record(db, ref, "court-outcome", "2026-11-09", outcome="accepted", sentenced_on_day=True)
    detail = case_detail(db, ref, TODAY)
    assert detail["sentenced_on_day"] is True
    assert _summaries(detail)["court-outcome"].endswith("sentenced on the day")


async def test_the_client_screen_shows_the_reasons_the_order_end_and_sentenced_on_the_day(tmp_path):
    """At 80 columns with the keyboard: the timeline (2) cuts a long detail at a word with "…", and the line under
    it gives the highlighted event whole, row by row."""
    from textual.widgets import DataTable, Static

    from tests.conftest import made
    from tui.app import MhtrApp

    path = made(tmp_path / "pilot.db")
    db = connect(path)
    refs = _caseload(db)
    db.close()

    async def timeline(ref: str) -> tuple[str, list[str], list[str]]:
        """The summary, the timeline's rows and the line under it for each row, read moving down the rows."""
        app.open_client(ref)
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#timeline", DataTable)
        rows = [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        under = []
        for _ in rows:
            under.append(str(app.screen.query_one("#timeline-detail", Static).render()))
            await pilot.press("down")
            await pilot.pause()
        summary = str(app.screen.query_one("#client-summary", Static).render())
        await pilot.press("1")
        await pilot.pause()
        assert not app.screen.query_one("#timeline-detail").display  # only under the timeline
        await pilot.press("escape")
        await pilot.pause()
        return summary, rows, under

    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        summary, rows, under = await timeline(refs["on-day"])
        assert "order ends 02/05/2027" in summary
        assert rows[3] == "03/11/2026 | Court outcome | MHTR made: Community Order, 6 months…", rows
        assert "03/11/2026  Court outcome: MHTR made: Community Order, 6 months, 12 sessions, sentenced on the day" \
            in under
        assert "10/11/2026  Breach: Failed to attend three times; not MHTR-related" in under
        assert "12/11/2026  Consent withdrawn: Moved out of the area" in under
        assert under[0] == "02/11/2026  Assessment"
        _, _, under = await timeline(refs["later"])
        assert "09/11/2026  Court outcome: MHTR made: Suspended Sentence Order, 12 months, 12 sessions" in under
        _, rows, under = await timeline(refs["cl-declined"])
        assert "04/11/2026 | Clinical Lead decision | declined: Needs secondary mental…" in rows
        assert "04/11/2026  Clinical Lead decision: declined: Needs secondary mental health care" in under
        _, _, under = await timeline(refs["court-declined"])
        assert "09/11/2026  Court outcome: MHTR declined by the court: Custodial sentence given" in under


async def test_the_caseload_shows_when_each_order_ends(tmp_path):
    """Wide, a column "Order ends"; at 80 columns, the line under the table for the highlighted case. A case with
    no order (declined) shows none."""
    from textual.widgets import DataTable, Static

    from tests.conftest import made
    from tui.app import MhtrApp

    path = made(tmp_path / "caseload.db")
    db = connect(path)
    refs = _caseload(db)
    db.close()

    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("h")  # the withdrawn and declined cases too
        await pilot.pause()
        table = app.screen.query_one("#caseload", DataTable)
        assert [str(c.label) for c in table.ordered_columns][6] == "Order ends"
        ends = {r.key.value: str(table.get_row(r.key)[6]) for r in table.ordered_rows}
        assert ends == {refs["on-day"]: "02/05/2027", refs["cl-declined"]: "", refs["court-declined"]: "",
                        refs["later"]: "08/11/2027"}
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        table = app.screen.query_one("#caseload", DataTable)
        under = {}
        for _ in range(table.row_count):
            ref = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            under[ref] = str(app.screen.query_one("#caseload-next", Static).render())
            await pilot.press("down")
            await pilot.pause()
        assert under[refs["later"]].endswith("Order ends 08/11/2027")
        assert under[refs["on-day"]].endswith("Order ends 02/05/2027")
        assert "Order ends" not in under[refs["cl-declined"]]


def test_a_stage_named_in_a_sentence_keeps_its_abbreviations(run, monkeypatch):
    import cli.common
    from service.clock import Clock
    from vocabulary.stages import STAGE_LABELS, in_sentence

    assert in_sentence(STAGE_LABELS["cl-declined"]) == "declined by CL"
    assert in_sentence(STAGE_LABELS["approved"]) == "CL approved"
    assert in_sentence(STAGE_LABELS["withdrawn"]) == "consent withdrawn"
    monkeypatch.setattr(cli.common, "CLOCK", Clock.fixed(TODAY))
    run("client", "add", "--name", "Lee Synthetic", "--dob", "02/04/1988")
    run("event", "MHTR-0001", "assessment", "--date", "2026-11-02")
    code, out, err = run("event", "MHTR-0001", "cl-decision", "--declined", "--reason", "Needs secondary care",
                         "--date", "2026-11-04")
    assert code == 0, err
    assert "stage now declined by CL" in out
    code, _, err = run("event", "MHTR-0001", "consent", "--date", "2026-11-05")
    assert code != 0 and "this case is closed (declined by CL)" in err


def test_a_short_date_says_its_year_when_it_is_not_the_nearest_such_day():
    from vocabulary.dates import short_uk

    assert short_uk("2026-12-24", TODAY) == "24/12"
    assert short_uk(date(2026, 9, 1), TODAY) == "01/09"  # three months ago: read as this September, rightly
    assert short_uk("2027-09-22", TODAY) == "Sep27"  # ten months on: "22/09" would read as a day long past
    assert short_uk("2025-10-01", TODAY) == "Oct25"
    assert short_uk(None, TODAY) == "" and short_uk("", TODAY) == ""


async def test_the_caseload_gives_the_year_of_a_task_due_next_year(tmp_path):
    """A next task due ten months on shows "Sep27", not "22/09" (in November, a day long past); one due soon keeps
    its day and month."""
    from textual.widgets import DataTable

    from records import task_actions
    from records.views import tasks
    from tests.conftest import made
    from tui.app import MhtrApp

    path = made(tmp_path / "caseload.db")
    db = connect(path)
    far = _client(db, "Ash Synthetic")
    near = _client(db, "Kit Synthetic")
    for ref in (far, near):
        _record(db, ref, "screening", "2026-11-30")
    for t in tasks(db, TODAY, "all", checklist=checklist_of(db)):
        if t["client"] == far and t["status"] == "open":
            task_actions.reschedule(db, t["id"], "2027-09-22", TODAY)
    db.close()

    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        table = app.screen.query_one("#caseload", DataTable)
        due = {r.key.value: str(table.get_row(r.key)[5]) for r in table.ordered_rows}
        assert due == {far: "Sep27", near: "30/11"}
