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
    code, out, _ = _main(capsys, "score", "gad7", "1", "2", "3", "4", "0", "0", "0", "--json")
    assert code == 1 and json.loads(out)["error"] == "item_out_of_range"


def test_score_refuses_nonsense_in_one_line(capsys):
    code, out, err = _main(capsys, "score", "phq9", "1", "x")
    assert code == 2 and out == "" and err.count("\n") == 1 and "item 2: 'x'" in err
    code, _, err = _main(capsys, "score", "bdi", "1")
    assert code == 2 and "unknown questionnaire 'bdi'" in err


def test_questionnaire_add_stores_raw_items_and_raises_risk_task(tmp_path, capsys):
    db_path = str(tmp_path / "q.db")
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
    assert code == 2 and "PHQ-9: wrong item count" in err
    code, _, err = _main(capsys, "questionnaire", "add", "MHTR-0001", "GAD-7", "0000000", "--timepoint", "later",
                         "--db", db_path)
    assert code == 2 and "timepoint 'later'" in err
    assert snapshot_counts(db) == before
