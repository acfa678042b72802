"""Where the app keeps its databases, and the refusal of a path where there is none."""

from __future__ import annotations

import os
from pathlib import Path

from db.errors import DatabaseError

APP_NAME = "mhtr-tui"


def data_dir() -> Path:
    """The per-user data folder. Not created here: the database's folder is made owner-only (missing parents
    included) when ``init`` or ``demo`` makes the database, and a command refused for want of one leaves none."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_path() -> Path:
    """``MHTR_DB`` if set, else ``mhtr.db`` in the user data folder."""
    env = os.environ.get("MHTR_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "mhtr.db"


def demo_path() -> Path:
    """The demo database lives beside the real one so synthetic people never mix with real records."""
    return default_path().with_name("mhtr-demo.db")


def error_log_path(db_path: Path | str) -> Path:
    """Where the app logs an error it did not expect: beside the database it had open (``mhtr.db`` ->
    ``mhtr-errors.log``), so the demo's errors and the real database's stay apart and the log is kept, backed up
    and protected like the records it sits with."""
    path = Path(db_path)
    return path.with_name(f"{path.stem}-errors.log")


class NoDatabase(DatabaseError):
    """The path names no database, and only ``init`` and ``demo`` make one."""


def no_database(path: Path) -> NoDatabase:
    """The refusal of a command (or the app) pointed at a path where there is no database.

    Nothing is created: a mistyped ``--db`` must not become a new, empty (and unencrypted) database that then
    quietly receives a client's name. The command that creates one is named, with ``--db`` when the path is not
    the default one, so it can be pasted as it is.
    """
    import shlex

    where = "" if path == default_path() else f" --db {shlex.quote(str(path))}"
    return NoDatabase(f"no database at {path}; create one with `mhtr-tui init --encrypt{where}`")
