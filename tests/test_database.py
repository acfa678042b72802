"""The database handle (db.database.Database): reads straight on the connection, the rest through sqlite-utils on
the same connection, made only when something needs it."""

from __future__ import annotations

from db.connection import connect
from db.database import unique_names


def test_reads_give_rows_as_sqlite_utils_did_and_writes_go_through_sqlite_utils(tmp_path):
    connect(tmp_path / "m.db", create=True).close()  # made (and migrated, through sqlite-utils)
    db = connect(tmp_path / "m.db")
    try:
        rows = list(db.query("SELECT 1 AS id, 2 AS id, 3 AS id_2, 'x' AS name"))
        assert rows == [{"id": 1, "id_3": 2, "id_2": 3, "name": "x"}]  # as sqlite_utils.utils.dedupe_keys names them
        assert db.read("SELECT count(*) FROM clients").fetchone()[0] == 0
        assert db.read("PRAGMA recursive_triggers").fetchone()[0] == 1  # as sqlite-utils has always set it
        db.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        assert db.utils.conn is db.conn  # sqlite-utils's Database, on the same connection
        assert "settings" in db.table_names() and "hash" in db["audit"].columns_dict
        assert getattr(db, "_not_kept_here", None) is None  # the app's own attributes never go to sqlite-utils
    finally:
        db.close()


def test_unique_names_match_sqlite_utils():
    from sqlite_utils.utils import dedupe_keys

    for names in (["a"], ["a", "a"], ["a", "a", "a_2"], ["id", "x", "id", "id", "id_3"], []):
        assert unique_names(names) == dedupe_keys(names)
