"""Shared fixtures: a fresh database file per test and a fixed 'today' so dates are reproducible."""

from __future__ import annotations

import os
from datetime import date

import pytest

from checklists.model import DEFAULT_FILE, load
from db.connection import connect

TODAY = date(2026, 11, 20)  # a Friday
CHECKLIST = load(DEFAULT_FILE)  # the bundled C&P checklist, as a service that has not changed it uses
BREACH_KEY = "session.breach-decision"  # its clock of the RO's breach decision


def synthetic(database):
    """Mark a test's database as holding synthetic people only, as the demo's is: the one kind of database that
    takes NHS test numbers (999...), which is what every test uses (``records.clients.test_numbers_allowed``)."""
    from records.clients import mark_synthetic

    mark_synthetic(database)
    return database


@pytest.fixture
def db(tmp_path):
    database = synthetic(connect(tmp_path / "test.db", create=True))
    yield database
    database.close()


def made(path):
    """``path`` with a database of synthetic people made there (as ``mhtr-tui init`` makes one, then marked as the
    tests' databases are) if there is none yet: the app and every command refuse a missing database, so a test
    that opens one on a fresh path makes it first."""
    if not path.exists():
        synthetic(connect(path, create=True)).close()
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

    path = made(tmp_path / "cli.db")

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


@pytest.fixture(autouse=True)
def unexpected_errors_fail_tests(monkeypatch):
    """The app logs an error it did not expect and carries on (tui.unexpected); under test the error fails the test
    that met it instead. The tests of the carrying on turn this off."""
    from tui.app import MhtrApp

    monkeypatch.setattr(MhtrApp, "RAISE_UNEXPECTED", True)
