"""The audit trail: every audited table records inserts and updates in the same transaction, the trail refuses
UPDATE and DELETE, clinical tables refuse DELETE, and a client's trail reads as who changed what, from what to
what, and when (reliability anchors section 5, goals 14, 15, 16 and 19)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from db.connection import connect
from db.crypto import driver_errors
from db.schema import AUDITED, NO_DELETE
from db.transaction import transaction
from records.audit_trail import audit_for_case, changes, uk_time
from records.casework import record_event
from records.clients import add_client, update_client
from records.task_actions import tick
from service.core import checklist_of
from tests.conftest import TODAY, snapshot_counts

ROOT = Path(__file__).resolve().parents[1]
PARENTS = {
    "client_id": "clients",
    "case_id": "cases",
    "event_id": "events",
    "moved_to": "appointments",
    "corrects": "events",
}


_serial: list[int] = []


def _insert_minimal(db, table: str, ids: dict[str, int]) -> int:
    """A row with every required column filled (foreign keys pointing at rows made earlier)."""
    row = {}
    _serial.append(len(_serial))
    for col in db.execute(f'PRAGMA table_info("{table}")').fetchall():
        name, notnull, default, pk = col[1], col[3], col[4], col[5]
        if pk:
            continue
        if name in PARENTS and PARENTS[name] in ids:
            row[name] = ids[PARENTS[name]]
        elif notnull and default is None:
            row[name] = (
                "2026-11-20" if name in ("date", "due", "dob", "starts_at") else f"{table}-{name}-{len(_serial)}"
            )
    if table == "settings":
        row["key"] = "audit-test"
    cols = ", ".join(f'"{c}"' for c in row)
    cur = db.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" for _ in row)})', list(row.values()))
    return cur.lastrowid


def _one_of_each(db) -> dict[str, int]:
    ids: dict[str, int] = {}
    for table in AUDITED:
        with transaction(db):
            ids[table] = _insert_minimal(db, table, ids)
    return ids


def _audit(db, table: str, row_id: int) -> list[tuple]:
    return db.execute(
        "SELECT action, who, at, old IS NOT NULL, new IS NOT NULL FROM audit WHERE tbl = ? AND row_id = ? ORDER BY id",
        [table, row_id],
    ).fetchall()


def test_every_audited_table_records_insert_and_update_with_who_and_when(db, monkeypatch):
    monkeypatch.setenv("MHTR_USER", "ap.tester")
    ids = _one_of_each(db)
    for table, row_id in ids.items():
        text_col = next(
            c[1]
            for c in db.execute(f'PRAGMA table_info("{table}")').fetchall()
            if c[2].upper() == "TEXT" and c[1] not in ("status", "mode", "date", "due", "dob", "starts_at")
        )
        with transaction(db):
            db.execute(f'UPDATE "{table}" SET "{text_col}" = ? WHERE rowid = ?', ["changed", row_id])
        rows = _audit(db, table, row_id)
        assert [r[0] for r in rows] == ["insert", "update"], table
        assert all(r[1] == "ap.tester" for r in rows)
        assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$", r[2]) for r in rows)
        assert rows[0][3:] == (0, 1) and rows[1][3:] == (1, 1)


def test_a_change_and_its_audit_row_are_one_transaction(db):
    ids = _one_of_each(db)
    before = snapshot_counts(db)
    for table in AUDITED:
        with pytest.raises(RuntimeError), transaction(db):
            _insert_minimal(db, table, ids | {"settings": 0}) if table != "settings" else db.execute(
                "INSERT INTO settings (key, value) VALUES ('other', 'x')"
            )
            assert db.execute("SELECT count(*) FROM audit").fetchone()[0] > before["audit"]
            raise RuntimeError("fails after the insert")
    assert snapshot_counts(db) == before


@pytest.mark.parametrize("encrypted", [False, True])
def test_the_audit_trail_refuses_update_and_delete(tmp_path, encrypted, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    db = connect(tmp_path / "a.db", create=True, key="audit key 123" if encrypted else None, encrypt=encrypted)
    add_client(db, {"name": "Audra Vell", "dob": "1981-02-03"}, TODAY)
    before = db.execute("SELECT * FROM audit ORDER BY id").fetchall()
    assert before
    for sql in (
        "UPDATE audit SET who = 'someone else'",
        "UPDATE audit SET new = NULL WHERE id = 1",
        "DELETE FROM audit",
        "DELETE FROM audit WHERE id = 1",
    ):
        with pytest.raises(driver_errors("IntegrityError"), match="append-only"):
            db.execute(sql)
    assert db.execute("SELECT * FROM audit ORDER BY id").fetchall() == before


def test_clinical_tables_refuse_delete(db):
    ids = _one_of_each(db)
    before = snapshot_counts(db)
    for table in NO_DELETE:
        with pytest.raises(driver_errors("IntegrityError"), match="archived, never deleted"):
            db.execute(f'DELETE FROM "{table}" WHERE rowid = ?', [ids[table]])
        with pytest.raises(driver_errors("IntegrityError")):
            db.execute(f'DELETE FROM "{table}"')
    assert snapshot_counts(db) == before


def test_no_code_deletes_from_clinical_tables():
    pattern = re.compile(r"DELETE\s+FROM\s+\"?(\w+)", re.IGNORECASE)
    offenders = []
    for package in ("db", "vocabulary", "records", "cli", "letters", "exports", "checklists", "questionnaires", "demo"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for m in pattern.finditer(path.read_text(encoding="utf-8")):
                if m.group(1) in NO_DELETE:
                    offenders.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert offenders == []


def test_a_clients_trail_reads_who_changed_what_and_leaves_others_out(db, monkeypatch):
    monkeypatch.setenv("MHTR_USER", "ap.jones")
    ref = add_client(db, {"name": "Corin Ashby", "dob": "03/04/1980"}, TODAY)
    other = add_client(db, {"name": "Delphine Moor", "dob": "05/06/1975"}, TODAY)
    monkeypatch.setenv("MHTR_USER", "ap.smith")
    update_client(db, ref, {"dob": "04/03/1980", "gp_practice": "Fenland Surgery"}, TODAY)
    record_event(db, ref, "screening", "2026-11-19", {}, TODAY, checklist=checklist_of(db))
    record_event(db, other, "screening", "2026-11-19", {}, TODAY, checklist=checklist_of(db))
    task_id = db.execute(
        "SELECT tasks.id FROM tasks JOIN cases ON cases.id = tasks.case_id WHERE cases.ref = ? ORDER BY tasks.id",
        [ref],
    ).fetchone()[0]
    tick(db, task_id)

    trail = audit_for_case(db, ref)
    assert trail == audit_for_case(db, ref.lower())
    tables = {r["table"] for r in trail}
    assert tables >= {"clients", "cases", "events", "tasks"}
    text = repr(trail)
    assert "Delphine" not in text and other not in text
    dob = next(r for r in trail if r["table"] == "clients" and r["action"] == "update")
    assert {"field": "dob", "old": "1980-04-03", "new": "1980-03-04"} in dob["changes"]
    assert dob["who"] == "ap.smith" and "dob: 1980-04-03 -> 1980-03-04" in dob["summary"]
    ticked = next(r for r in trail if r["table"] == "tasks" and r["action"] == "update")
    assert ticked["record"] == f"task {task_id} ({ref})"
    assert {"field": "status", "old": "open", "new": "done"} in ticked["changes"]
    added = trail[0]
    assert added["action_label"] == "added" and added["who"] == "ap.jones" and "Corin Ashby" in added["summary"]
    assert [r["id"] for r in trail] == sorted(r["id"] for r in trail)


def test_readable_pieces():
    assert changes({"a": 1, "b": 2}, {"a": 1, "b": 3}) == [{"field": "b", "old": 2, "new": 3}]
    assert changes(None, {"a": None, "b": "x"}) == [{"field": "b", "old": None, "new": "x"}]
    assert uk_time("2026-07-01T08:30:00.000Z") == "01/07/2026 09:30"  # British Summer Time
    assert uk_time("2026-12-01T08:30:00.000Z") == "01/12/2026 08:30"
