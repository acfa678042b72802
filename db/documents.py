"""The record of documents the app has written for a case (kind, file, checksum, when, by whom)."""

from __future__ import annotations

from pathlib import Path

from db.connection import current_user
from db.database import Database, inserted_id
from db.records import now_iso


def insert_document(db: Database, case_id: int | None, kind: str, path: str, sha256: str) -> int:
    cur = db.execute(
        "INSERT INTO documents (case_id, kind, path, sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
        [case_id, kind, path, sha256, now_iso(), current_user()],
    )
    return inserted_id(cur)


def documents_of_case(db: Database, case_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM documents WHERE case_id = ? ORDER BY created_at, id", [case_id]))


def database_file(db: Database) -> Path | None:
    """The file the main database lives in (None for an in-memory database)."""
    for row in db.read("PRAGMA database_list").fetchall():
        if row[1] == "main":
            return Path(row[2]) if row[2] else None
    return None
