"""``mhtr-tui letter``, ``assessment`` and ``settings`` as a script uses them: output, --json, one-line refusals
with exit 2 that change nothing, and the letters folder beside the database.
"""

from __future__ import annotations

import io
import json
import stat
from datetime import date, timedelta

from db.connection import connect
from tests.conftest import snapshot_counts
from tests.letters_support import SETTINGS, docx_text


def _iso(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def _case(run) -> None:
    assert run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--nhs", "999 476 5914",
               "--gp-practice", "Parkway Surgery", "--gp-address", "2 Park Way, Peterborough")[0] == 0
    assert run("event", "MHTR-0001", "screening", "--date", _iso(-10))[0] == 0
    assert run("event", "MHTR-0001", "assessment", "--date", _iso(-9))[0] == 0
    assert run("questionnaire", "add", "MHTR-0001", "PHQ-9", *"222222210", "--date", _iso(-9))[0] == 0


def test_settings_then_gp_letter_accepted(run, tmp_path):
    for key, value in SETTINGS.items():
        code, out, err = run("settings", "set", key, value)
        assert code == 0, err
    code, out, _ = run("settings", "list", "--json")
    shown = {r["key"]: r for r in json.loads(out)}
    assert shown["practitioner"]["value"] == "Jamie Rowe, Assistant Psychologist"
    assert shown["letters_dir"]["effective"] == str(tmp_path / "letters")
    _case(run)
    assert run("event", "MHTR-0001", "cl-decision", "--approved", "--date", _iso(-8))[0] == 0
    assert run("event", "MHTR-0001", "court-outcome", "--accepted", "--order", "SSO", "--sessions", "10",
               "--length-months", "18", "--date", _iso(-1))[0] == 0
    code, out, err = run("letter", "gp", "MHTR-0001")
    assert code == 0, err
    first = out.splitlines()[0]
    path = tmp_path / "letters" / f"MHTR-0001-gp-letter-{date.today().isoformat()}.docx"
    assert first == f"GP letter: MHTR made saved: {path}"
    assert "  ✓ Letter to GP about the court outcome" in out
    text = docx_text(path)
    assert "Suspended Sentence Order with a Mental Health Treatment Requirement" in text
    assert "18 months" in text and "Planned sessions\n10" in text
    assert "PHQ-9 on" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    code, out, _ = run("tasks", "--client", "MHTR-0001", "--due", "all", "--json")
    task = next(t for t in json.loads(out) if t["key"] == "outcome.gp-letter")
    assert task["status"] == "done"
    # -o to a file, --json
    target = tmp_path / "out.docx"
    code, out, _ = run("letter", "consent", "MHTR-0001", "-o", str(target), "--json")
    result = json.loads(out)
    assert code == 0 and result["path"] == str(target) and len(result["sha256"]) == 64
    assert "Parkway Surgery, 2 Park Way, Peterborough" in docx_text(target)


def test_gp_letter_refused_before_any_decision(run, tmp_path):
    _case(run)
    db = connect(run.path)
    before = snapshot_counts(db)
    code, out, err = run("letter", "gp", "MHTR-0001")
    assert code == 2 and out == ""
    assert err.strip() == (
        "mhtr-tui: MHTR-0001: the GP letter follows a court outcome or a Clinical Lead decline, "
        "and no decision is recorded yet; nothing written"
    )
    assert snapshot_counts(db) == before
    assert not (tmp_path / "letters").exists()


def test_gp_letter_declined_by_clinical_lead_with_signposting(run, tmp_path):
    _case(run)
    assert run("event", "MHTR-0001", "cl-decision", "--declined", "--reason", "Needs secondary care",
               "--date", _iso(-8))[0] == 0
    code, out, _ = run("letter", "gp", "MHTR-0001", "--preview", "--json")
    preview = json.loads(out)
    assert code == 0 and preview["title"] == "GP letter: MHTR declined by the Clinical Lead"
    assert any("--signposting" in w for w in preview["warnings"])
    assert not (tmp_path / "letters").exists()  # a preview writes nothing
    code, out, err = run("assessment", "set", "MHTR-0001", "--signposting", "Talking Therapies & <Mind>; café")
    assert code == 0, err
    code, out, _ = run("letter", "gp", "MHTR-0001", "--json")
    text = docx_text(json.loads(out)["path"])
    assert "Reasons\nNeeds secondary care" in text
    assert "Talking Therapies & <Mind>; café" in text


def test_assessment_set_show_and_lock(run, monkeypatch):
    _case(run)
    monkeypatch.setattr("sys.stdin", io.StringIO("Line one\r\nLine two\x07\n"))
    code, _, err = run("assessment", "set", "MHTR-0001", "--presenting-problem", "Low mood", "--formulation", "-")
    assert code == 0, err
    code, out, _ = run("assessment", "show", "MHTR-0001", "--json")
    record = json.loads(out)
    assert record["fields"]["presenting_problem"] == "Low mood"
    assert record["fields"]["formulation"] == "Line one\nLine two"  # CRLF made \n, the bell removed
    assert record["locked"] is None
    assert run("event", "MHTR-0001", "cl-decision", "--approved", "--date", _iso(-8))[0] == 0
    assert run("event", "MHTR-0001", "court-report-sent", "--date", _iso(-7))[0] == 0
    db = connect(run.path)
    before = snapshot_counts(db)
    code, _, err = run("assessment", "set", "MHTR-0001", "--plan", "changed", "--end-risk", "low")
    assert code == 2 and "plan cannot change: the court report was sent on" in err
    assert snapshot_counts(db) == before
    code, _, err = run("assessment", "set", "MHTR-0001", "--end-risk", "low")
    assert code == 0, err
    code, out, _ = run("assessment", "show", "MHTR-0001")
    assert "locked: the court report was sent on" in out and "end_risk: low" in out


def test_refusals_are_one_line(run):
    _case(run)
    code, _, err = run("settings", "set", "colour", "blue")
    assert code == 2 and err.startswith("mhtr-tui: unknown setting 'colour'")
    code, _, err = run("settings", "set", "scoring.risk_threshold", "7")
    assert code == 2 and err.strip() == "mhtr-tui: scoring.risk_threshold is 1, 2 or 3"
    code, _, err = run("settings", "set", "suppress_below", "200")
    assert code == 2 and err.strip() == "mhtr-tui: suppress_below is a whole number from 0 to 100, not '200'"
    assert run("settings", "set", "suppress-below", "10")[0] == 0
    code, _, err = run("settings", "set", "checklist_file", "/nowhere.toml")
    assert code == 2 and "checklist_file: there is no file" in err
    code, _, err = run("assessment", "set", "MHTR-0001")
    assert code == 2 and err.strip() == "mhtr-tui: no assessment field given"
    code, _, err = run("letter", "completion", "MHTR-0001")
    assert code == 2 and "the completion letter follows completion" in err
    code, _, err = run("letter", "court-report", "MHTR-0404")
    assert code == 2 and err.strip() == "mhtr-tui: no case 'MHTR-0404'"
