"""Shared fixtures: a fresh database file per test and a fixed 'today' so dates are reproducible."""

from __future__ import annotations

import os
from datetime import date

import pytest

from db.connection import connect

TODAY = date(2026, 11, 20)  # a Friday


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "test.db", create=True)
    yield database
    database.close()


def made(path):
    """``path`` with an empty database made there (as ``mhtr-tui init`` makes one) if there is none yet: the app and
    every command refuse a missing database, so a test that opens one on a fresh path makes it first."""
    if not path.exists():
        connect(path, create=True).close()
    return path


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.db"


def snapshot_counts(db) -> dict[str, int]:
    """Row counts of every table, to prove a refused action changed nothing."""
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in db.table_names()}


@pytest.fixture
def run(tmp_path, capsys):
    """The command line on a fresh database file: run(*args) gives (exit code, stdout, stderr); run.path is the file.

    The file is made first, as ``mhtr-tui init`` makes it: no other command creates a database.
    """
    from mhtr_tui import main

    path = tmp_path / "cli.db"
    connect(path, create=True).close()

    def _run(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--db", str(path)])
        out = capsys.readouterr()
        return code, out.out, out.err

    _run.path = path
    return _run


@pytest.fixture
def umask_022():
    """The usual umask of a laptop (group and others may read): what the app creates must be owner-only anyway."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)
