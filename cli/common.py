"""What every command shares: opening the database named by --db, JSON output, dates."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

import sqlite_utils

# Why a database this command opened is read-only (its audit trail failed the start-up check): printed once on
# stderr after a command that only reads; a write is refused with the same words instead.
READ_ONLY_WARNINGS: list[str] = []


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file (default: MHTR_DB or the user data folder)",
    )


def db_path(args: argparse.Namespace) -> Path:
    from db.connection import default_path

    return Path(args.db).expanduser() if getattr(args, "db", None) else default_path()


def open_db(args: argparse.Namespace, *, daily_backup: bool = True) -> sqlite_utils.Database:
    """Open the database (asking for its key if it is encrypted) and make the day's first backup if due.

    A missing database is refused (``db.connection.NoDatabase``): only ``init`` and ``demo`` make one.
    """
    from cli.keys import ask_key
    from db.connection import DatabaseError, connect, read_only_reason

    db = connect(db_path(args), key=ask_key)
    reason = read_only_reason(db)
    if reason is not None:  # what only reads still runs; ``mhtr_tui.main`` says why once it has
        READ_ONLY_WARNINGS.append(reason)
    if daily_backup:
        from db.backup import daily_backup_if_due

        try:
            daily_backup_if_due(db)
        except DatabaseError as exc:  # the command itself can still run; say so once
            print(f"mhtr-tui: warning: the daily backup was not made ({exc})", file=sys.stderr)
    return db


def today() -> date:
    return date.today()


def now() -> datetime:
    """The command's clock, to the minute, as the app's (``tui.diary.app_now``): today at the current time.

    Passed to the domain wherever the time of day matters (an outcome only once its appointment has started).
    """
    from records.dates import at_this_minute

    return at_this_minute(today())


def print_json(value) -> None:
    json.dump(value, sys.stdout, indent=2, default=str, ensure_ascii=False)
    sys.stdout.write("\n")
