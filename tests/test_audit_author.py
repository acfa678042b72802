"""Who the audit trail names: read once when a write transaction begins and named for every row written in it,
read for each row of a write made outside one, and never carried from one transaction into the next."""

from __future__ import annotations

import pytest

from db import connection
from db.transaction import transaction
from records.clients import add_client
from tests.conftest import TODAY, synthetic


@pytest.fixture
def asked(monkeypatch):
    """Every time the audit trail asks who is writing, with the name it is given (``MHTR_USER``, as the app reads
    it), recorded; and a database opened after the count starts."""
    calls: list[str] = []

    def counting() -> str:
        calls.append(name := connection.os.environ["MHTR_USER"])
        return name

    monkeypatch.setattr(connection, "current_user", counting)
    monkeypatch.setenv("MHTR_USER", "ap.first")
    return calls


def _who(db, since: int = 0) -> list[str]:
    return [r[0] for r in db.read("SELECT who FROM audit WHERE id > ? ORDER BY id", [since])]


def _last_id(db) -> int:
    return db.read("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]


def test_a_transaction_asks_who_is_writing_once_and_names_them_on_every_row(tmp_path, asked):
    db = synthetic(connection.connect(tmp_path / "t.db", create=True))
    try:
        start, before = _last_id(db), len(asked)
        with transaction(db):
            add_client(db, {"name": "Corin Ashby", "dob": "03/04/1980"}, TODAY)
            add_client(db, {"name": "Delphine Moor", "dob": "05/06/1975"}, TODAY)
        rows = _who(db, start)
        assert len(rows) >= 4 and set(rows) == {"ap.first"}
        assert len(asked) - before == 1
    finally:
        db.close()


def test_each_write_is_named_for_whoever_was_writing_when_it_began(tmp_path, asked, monkeypatch):
    db = synthetic(connection.connect(tmp_path / "t.db", create=True))
    try:
        start = _last_id(db)
        add_client(db, {"name": "Corin Ashby", "dob": "03/04/1980"}, TODAY)
        middle = _last_id(db)
        monkeypatch.setenv("MHTR_USER", "ap.second")
        add_client(db, {"name": "Delphine Moor", "dob": "05/06/1975"}, TODAY)
        assert set(_who(db, start)[: middle - start]) == {"ap.first"}
        assert set(_who(db, middle)) == {"ap.second"}
        # A write made straight on the connection, outside any transaction, asks for its own row.
        monkeypatch.setenv("MHTR_USER", "ap.third")
        before = len(asked)
        db.execute("UPDATE clients SET gp_practice = 'Fenland Surgery' WHERE id = 1")
        assert _who(db, _last_id(db) - 1) == ["ap.third"] and len(asked) == before + 1
    finally:
        db.close()


def test_a_write_that_fails_leaves_no_name_behind_for_the_next(tmp_path, asked, monkeypatch):
    db = synthetic(connection.connect(tmp_path / "t.db", create=True))
    try:
        add_client(db, {"name": "Corin Ashby", "dob": "03/04/1980"}, TODAY)
        with pytest.raises(RuntimeError), transaction(db):
            add_client(db, {"name": "Delphine Moor", "dob": "05/06/1975"}, TODAY)
            raise RuntimeError("stopped")
        monkeypatch.setenv("MHTR_USER", "ap.second")
        start = _last_id(db)
        db.execute("UPDATE clients SET gp_practice = 'Fenland Surgery' WHERE id = 1")  # outside any transaction
        assert _who(db, start) == ["ap.second"]
    finally:
        db.close()
