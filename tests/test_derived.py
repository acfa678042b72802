"""What is derived from a database's events (case states, the Caseload, the breach-clock candidates) is kept in
one declared object per open database (records.derived), never as loose attributes written onto it."""

from __future__ import annotations

import ast
from pathlib import Path

from db.connection import connect
from records.derived import derived
from records.views import adopt_case_states, case_states, case_states_ready
from tests.conftest import synthetic
from tests.sessions_support import sentenced_case

ROOT = Path(__file__).resolve().parents[1]
ABOVE_DB = ("vocabulary", "checklists", "questionnaires", "records", "letters", "exports", "importer", "service",
            "demo", "cli", "tui")


def test_no_code_above_db_writes_attributes_onto_a_database_object():
    offenders = []
    for package in ABOVE_DB:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                for target in targets:
                    if isinstance(target, ast.Attribute) and ast.unparse(target.value) in ("db", "other", "app.db",
                                                                                           "self.db", "self.app.db"):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(target)}")
                if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr" and node.args
                        and ast.unparse(node.args[0]) in ("db", "other", "app.db", "self.db", "self.app.db")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} setattr")
    assert offenders == []


def test_each_open_database_keeps_its_own_and_a_background_one_hands_its_states_over(tmp_path):
    path = tmp_path / "test.db"
    db = synthetic(connect(path, create=True))
    try:
        sentenced_case(db)
        other = connect(path)
        try:
            assert derived(other) is derived(other) and derived(other) is not derived(db)
            states = case_states(other)
            assert len(states) == 1 and case_states_ready(other)
            assert derived(db).states == {} and not case_states_ready(db)
            adopt_case_states(db, other)  # as the app takes what its background connection derived
            assert derived(db).states == derived(other).states and case_states_ready(db)
        finally:
            other.close()
    finally:
        db.close()
