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


def test_rows_are_named_tuples_with_the_names_query_gives_made_once_per_shape(tmp_path):
    from db.database import row_class

    connect(tmp_path / "m.db", create=True).close()
    db = connect(tmp_path / "m.db")
    try:
        sql = "SELECT 1 AS id, 2 AS id, 3 AS id_2, 'x' AS name, 5 AS \"from\", count(*) FROM settings"
        [row] = db.rows(sql)
        assert row.id == 1 and row.id_3 == 2 and row.id_2 == 3 and row.name == "x"
        assert tuple(row) == (1, 2, 3, "x", 5, 0)  # a keyword or an expression is reached by its position
        assert {k: v for k, v in row._asdict().items() if not k.startswith("_")} == {
            k: v for k, v in next(db.query(sql)).items() if k not in ("from", "count(*)")}
        again = db.rows(sql)
        assert type(again[0]) is type(row) and row_class.cache_info().hits >= 1  # the class is made once
        assert type(db.rows("SELECT 1 AS a")[0]) is not type(row)
        assert db.rows("SELECT key FROM settings WHERE key = 'none such'") == []
    finally:
        db.close()
