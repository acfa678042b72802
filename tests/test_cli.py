"""The command line contract of DESIGN.md: outputs, --json shapes, one-line refusals with exit 2."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from db.connection import connect
from mhtr_tui import main
from tests.conftest import snapshot_counts


def _iso(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def test_a_case_from_screening_to_sentence(run):
    code, out, _ = run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--nhs", "999 476 5914",
                       "--gp-practice", "Parkway Surgery", "--offence", "theft", "--referral-source", "Probation")
    assert code == 0 and out.strip() == "MHTR-0001"
    assert run("event", "MHTR-0001", "screening", "--date", _iso(-10))[0] == 0
    assert run("event", "MHTR-0001", "assessment", "--date", _iso(-9))[0] == 0
    assert run("event", "MHTR-0001", "cl-decision", "--approved", "--date", _iso(-8))[0] == 0
    code, out, _ = run("event", "MHTR-0001", "court-outcome", "--accepted", "--order", "SSO", "--sessions", "10",
                       "--length-months", "12", "--sentenced-on-day", "--date", _iso(-2), "--json")
    result = json.loads(out)
    assert result["stage"] == "sentenced"
    assert {c["key"] for c in result["created"]} >= {"outcome.gp-letter", "outcome.case-meeting"}
    code, out, _ = run("client", "show", "MHTR-0001", "--json")
    shown = json.loads(out)
    assert shown["stage"] == "sentenced"
    assert [e["kind"] for e in shown["events"]] == ["screening", "assessment", "cl-decision", "court-outcome"]
    assert shown["events"][-1]["date"] == _iso(-2)
    assert shown["offence_type"] == "Theft"
    code, out, _ = run("client", "list", "--json")
    assert json.loads(out)[0]["sessions"] == "0/10"


def test_tasks_json_has_the_contract_fields_and_task_commands_work(run):
    run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987")
    run("event", "MHTR-0001", "screening", "--date", _iso(-3))
    code, out, _ = run("tasks", "--json")
    rows = json.loads(out)
    assert code == 0 and rows
    for row in rows:
        assert {"id", "client", "stage", "key", "title", "due", "status", "overdue"} <= set(row)
    court = [r for r in rows if r["client"] == "MHTR-0001"]
    assert all(r["overdue"] and r["status"] == "open" and r["stage"] == "at-court" for r in court)
    first = court[0]["id"]
    assert run("task", "done", str(first))[0] == 0
    assert run("task", "skip", str(court[1]["id"]), "--reason", "done by L&D")[0] == 0
    assert run("task", "due", str(court[2]["id"]), "in", "2", "weeks")[0] == 0
    rows = {r["id"]: r for r in json.loads(run("tasks", "--client", "MHTR-0001", "--due", "all", "--json")[1])}
    assert rows[first]["status"] == "done"
    assert rows[court[1]["id"]]["status"] == "skipped"
    assert rows[court[2]["id"]]["due"] == _iso(14)
    practitioner = json.loads(run("tasks", "--due", "week", "--json")[1])
    assert any(r["client"] is None and r["key"] == "weekly.diary" for r in practitioner)
    # The table says which are done and skipped (and why), so --due all does not read as all open.
    table = run("tasks", "--client", "MHTR-0001", "--due", "all")[1]
    rows_shown = [line.split(maxsplit=1) for line in table.splitlines() if line.split() and line.split()[0].isdigit()]
    marks = {task_id: rest[:3] for task_id, rest in rows_shown}
    assert marks[str(first)] == "[✓]" and marks[str(court[1]["id"])] == "[-]" and marks[str(court[2]["id"])] == "[ ]"
    assert "(done by L&D)" in " ".join(table.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("event", "MHTR-0404", "screening"), "no case 'MHTR-0404'"),
        (("client", "add", "--name", "X Y", "--dob", "31/02/2026"), "February 2026 has 28 days"),
        (("client", "add", "--name", "X Y", "--dob", "01/01/2099"), "in the future"),
        (("client", "add", "--name", "X Y", "--dob", "01/01/87"), "(01/01/1987 or 01/01/2087?)"),
        (("client", "add", "--name", "X Y", "--dob", "01/01/1990", "--nhs", "1234567890"), "check digit"),
        (("event", "MHTR-0001", "court-outcome", "--accepted"), "needs an assessment first"),
        (("event", "MHTR-0001", "party"), "unknown event kind 'party'"),
        (("task", "done", "9999"), "no task 9999"),
        (("task", "due", "1", "someday"), "not a date"),
        (("tasks", "--client", "MHTR-0404"), "no case"),
    ],
)
def test_refusals_are_one_line_exit_2_and_change_nothing(run, args, message):
    run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987")
    run("event", "MHTR-0001", "screening")
    db = connect(run.path)
    before = snapshot_counts(db)
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert snapshot_counts(db) == before


def test_demo_fills_a_database_of_its_own(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert main(["demo", "--clients", "14", "--db", str(path)]) == 0
    capsys.readouterr()
    assert main(["client", "list", "--json", "--db", str(path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    stages = {r["stage"] for r in rows}
    assert {"screened", "not-eligible", "assessed", "approved", "awaiting-court", "cl-declined", "court-declined",
            "sentenced", "in-treatment", "completed", "withdrawn", "closed"} <= stages


def test_demo_refuses_a_real_database(run):
    run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987")
    code, _, err = run("demo")
    assert code == 2 and "database of its own" in err
