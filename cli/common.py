"""What every command shares: opening the database named by --db (and the service on it), the command's clock,
JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from service.clock import Clock

if TYPE_CHECKING:
    from db.database import Database

# The command's one clock: every date and time a command passes to the domain comes from here.
CLOCK = Clock()
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
    from db.paths import default_path

    return Path(args.db).expanduser() if getattr(args, "db", None) else default_path()


def open_db(args: argparse.Namespace, *, daily_backup: bool = True) -> Database:
    """Open the database (asking for its key if it is encrypted) and make the day's first backup if due.

    A missing database is refused (``db.paths.NoDatabase``): only ``init`` and ``demo`` make one.
    """
    from cli.keys import ask_key
    from db.connection import connect
    from db.errors import DatabaseError
    from db.transaction import read_only_reason

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


def open_service(args: argparse.Namespace, *, daily_backup: bool = True):
    """The command's ``service.Service``: the database ``open_db`` opens, on the command's clock."""
    from service.core import Service

    return Service(open_db(args, daily_backup=daily_backup), CLOCK)


def today() -> date:
    return CLOCK.today()


def now() -> datetime:
    """The command's clock, to the minute, as the app's (``MhtrApp.clock``): today at the current time.

    Passed to the domain wherever the time of day matters (an outcome only once its appointment has started).
    """
    return CLOCK.now()


def print_json(value) -> None:
    """``value`` as JSON on stdout. Characters a terminal would act on are written as JSON escapes (``\\u001b``,
    ``\\u202e``): the same data for a program reading it, inert on a terminal."""
    from vocabulary.text import escape_for_terminal

    text = json.dumps(value, indent=2, default=str, ensure_ascii=False)
    sys.stdout.write(escape_for_terminal(text, json_escapes=True) + "\n")


class TerminalSafe:
    """Standard output for a command: everything written is passed through ``vocabulary.text.escape_for_terminal``,
    so a name, a note or a file name holding an escape sequence is shown as written and never drives the
    terminal (retitles it, clears it, hides text). Installed by ``mhtr_tui.main`` around every command."""

    def __init__(self, stream) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        from vocabulary.text import escape_for_terminal

        self.raw.write(escape_for_terminal(text))
        return len(text)

    def __getattr__(self, name: str):  # flush, isatty, encoding, fileno...: the stream's own
        return getattr(self.raw, name)


def console():
    """A rich console for a command's tables and styled lines: it writes to the real standard output (its own
    colours reach the terminal), reads no markup in what it is given (a name with ``[/b]`` is shown as typed, and
    cannot break the output), and escapes every piece of text it renders as ``TerminalSafe`` does."""
    from rich.console import Console, RenderHook
    from rich.segment import Segment

    from vocabulary.text import escape_for_terminal

    class Escaped:
        def __init__(self, renderable) -> None:
            self.renderable = renderable

        def __rich_console__(self, con, options):
            for seg in con.render(self.renderable, options):
                yield seg if seg.control else Segment(escape_for_terminal(seg.text), seg.style)

    class EscapeAll(RenderHook):
        def process_renderables(self, renderables):
            return [Escaped(r) for r in renderables]

    out = sys.stdout.raw if isinstance(sys.stdout, TerminalSafe) else sys.stdout
    con = Console(file=out, markup=False, highlight=False, emoji=False)
    con.push_render_hook(EscapeAll())
    return con
