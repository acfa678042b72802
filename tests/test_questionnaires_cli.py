"""``mhtr-tui score`` and ``mhtr-tui questionnaire add`` as DESIGN.md sets them out."""

from __future__ import annotations

import json

import questionnaires
from db.connection import connect
from db.records import questionnaires_of_case
from mhtr_tui import main
from tests.conftest import snapshot_counts


def _main(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_score_json_prints_exactly_what_score_returns(capsys):
    code, out, err = _main(capsys, "score", "phq9", "1", "2", "3", "0", "1", "2", "-", "0", "1", "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == questionnaires.score("PHQ-9", [1, 2, 3, 0, 1, 2, None, 0, 1])
    assert json.loads(out)["total"] == 11 and json.loads(out)["prorated"] is True


def test_score_words_and_wsas_na(capsys):
    code, out, _ = _main(capsys, "score", "WSAS", "NA", "2", "3", "4", "5")
    assert code == 0 and out.strip() == "WSAS 18 (significant impairment, prorated, 1 missing)"


def test_an_unscorable_form_is_reported_with_exit_1(capsys):
    """Too many items missing is a result (the form is read, it just cannot be scored), not a refusal."""
    code, out, err = _main(capsys, "score", "gad7", "1", "2", "-", "-", "-", "0", "0", "--json")
    assert code == 1 and err == "" and json.loads(out)["error"] == "too_many_missing"


def test_a_response_out_of_range_is_refused_naming_the_item(capsys):
    code, out, err = _main(capsys, "score", "phq9", "1", "2", "3", "4", "0", "0", "0", "0", "0")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.strip() == "mhtr-tui: PHQ-9 not scored: item 4: 4 is outside 0-3"
    # with --json the scorer's object still goes to stdout (SPEC 13: an invalid form is a result), the reason to
    # stderr, and the exit code is the refusal's
    code, out, err = _main(capsys, "score", "gad7", "1", "2", "3", "4", "0", "0", "0", "--json")
    assert code == 2 and json.loads(out)["error"] == "item_out_of_range"
    assert err.strip() == "mhtr-tui: GAD-7 not scored: item 4: 4 is outside 0-3"


def test_a_refused_form_still_names_an_endorsed_risk_item(capsys):
    code, _, err = _main(capsys, "score", "phq9", "1", "2", "3", "9", "0", "0", "0", "0", "2")
    assert code == 2 and "item 4: 9 is outside 0-3" in err and "RISK: item 9 = 2" in err


def test_a_wrong_count_is_refused_saying_how_many(capsys):
    code, _, err = _main(capsys, "score", "phq9", "1", "2", "3")
    assert code == 2 and err.strip() == "mhtr-tui: PHQ-9 not scored: 3 responses given; PHQ-9 has 9 items"
    code, _, err = _main(capsys, "score", "gad7", "0000000000")  # one run of digits, one too many
    assert code == 2 and "10 responses given; GAD-7 has 7 items" in err
    code, _, err = _main(capsys, "score", "wsas", "1", "NA", "2", "3", "4")
    assert code == 2 and "item 2: NA (not applicable) is only for WSAS item 1" in err


def test_score_refuses_nonsense_in_one_line(capsys):
    code, out, err = _main(capsys, "score", "phq9", "1", "x")
    assert code == 2 and out == "" and err.count("\n") == 1 and "item 2: 'x'" in err
    code, _, err = _main(capsys, "score", "bdi", "1")
    assert code == 2 and "unknown questionnaire 'bdi'" in err


def test_questionnaire_add_stores_raw_items_and_raises_risk_task(tmp_path, capsys):
    db_path = str(tmp_path / "q.db")
    _main(capsys, "init", "--db", db_path)
    _main(capsys, "client", "add", "--name", "Sam Synthetic", "--dob", "01/01/1990", "--db", db_path)
    code, out, _ = _main(capsys, "questionnaire", "add", "MHTR-0001", "PHQ-9", "111111112", "--timepoint", "session 3",
                         "--json", "--db", db_path)
    stored = json.loads(out)
    assert code == 0 and stored["risk_items"] == [9] and stored["risk_task_id"] and stored["timepoint"] == "session-3"
    db = connect(db_path)
    [row] = questionnaires_of_case(db, 1)
    assert row["items"] == [1, 1, 1, 1, 1, 1, 1, 1, 2]
    before = snapshot_counts(db)
    code, _, err = _main(capsys, "questionnaire", "add", "MHTR-0001", "PHQ-9", "1", "1", "--db", db_path)
    assert code == 2 and err.strip() == "mhtr-tui: PHQ-9 not stored: 2 responses given; PHQ-9 has 9 items"
    code, _, err = _main(capsys, "questionnaire", "add", "MHTR-0001", "PHQ-9", "123401232", "--db", db_path)
    assert code == 2 and err.strip() == "mhtr-tui: PHQ-9 not stored: item 4: 4 is outside 0-3; RISK: item 9 = 2"
    code, _, err = _main(capsys, "questionnaire", "add", "MHTR-0001", "CORE-10", *"0000050000", "--db", db_path)
    assert code == 2 and "CORE-10 not stored: item 6: 5 is outside 0-4" in err
    code, _, err = _main(capsys, "questionnaire", "add", "MHTR-0001", "GAD-7", "0000000", "--timepoint", "later",
                         "--db", db_path)
    assert code == 2 and "timepoint 'later'" in err
    assert snapshot_counts(db) == before
