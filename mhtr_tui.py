"""mhtr-tui: open the app, or run one command (see ``mhtr-tui --help``).

This module only parses the command line and hands over; heavy imports (Textual, dateparser, python-docx,
openpyxl) happen inside the command that needs them so that every command starts quickly.
"""

from __future__ import annotations

import argparse
import sys

COMMAND_MODULES = (
    "cli.clients",
    "cli.events",
    "cli.tasks",
    "cli.score",
    "cli.demo",
    "cli.appointments",
    "cli.share",
    "cli.protection",
    "cli.export",
    "cli.letters",
    "cli.importer",
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    from cli.common import add_db_option

    parser = argparse.ArgumentParser(
        prog="mhtr-tui",
        description="Caseload, checklist tasks, questionnaires and letters for Primary Care MHTR practitioners.",
    )
    parser.add_argument("--db", metavar="PATH", help="database file (default: MHTR_DB or the user data folder)")
    parser.add_argument("--demo", action="store_true", help="open the app on the demo database (made on first use)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, add_db_option)
    return parser


def _open_app(args: argparse.Namespace) -> int:
    from pathlib import Path

    from db.connection import default_path, demo_path

    if args.demo:
        path = Path(args.db).expanduser() if args.db else demo_path()
        from cli.common import CLOCK
        from records.demo import ensure_demo
        from service.core import checklist_of

        ensure_demo(path, CLOCK.now(), checklist_of)
    else:
        path = Path(args.db).expanduser() if args.db else default_path()
    from tui.app import MhtrApp

    # With no --db and no database yet, the app opens on a welcome screen that says how to begin.
    MhtrApp(db_path=path, create=bool(args.db or args.demo)).run()
    return 0


def _app_only(argv: list[str]) -> argparse.Namespace | None:
    """``mhtr-tui [--db PATH] [--demo]``: the app's own arguments, read without importing every command's module
    (about 20 ms of the start-up); anything else (a command, --help, a mistake) goes to the full parser."""
    class Quiet(argparse.ArgumentParser):
        def error(self, message: str):  # type: ignore[override]
            raise ValueError(message)

    p = Quiet(prog="mhtr-tui", add_help=False, allow_abbrev=False)
    p.add_argument("--db")
    p.add_argument("--demo", action="store_true")
    try:
        args, rest = p.parse_known_args(argv)
    except ValueError:
        return None
    if rest:
        return None
    args.command = None
    return args


def _one_line(text: str) -> str:
    """A refusal as exactly one printable line: control characters and line breaks in what the user typed (a
    path, a name) are shown escaped, so they can neither split the message nor drive the terminal."""
    import unicodedata

    return "".join(
        ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" or unicodedata.category(ch) == "Zs"
        else ch.encode("unicode_escape").decode("ascii")
        for ch in text.strip()
    )


def main(argv: list[str] | None = None) -> int:
    from checklists.model import ChecklistError
    from db.connection import DatabaseError
    from records.identity import ValidationError

    args = _app_only(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return _open_app(args)
        return int(args.handler(args) or 0)
    except (ValidationError, DatabaseError, ChecklistError) as exc:
        print(f"mhtr-tui: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mhtr-tui: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file or folder the command was pointed at cannot be used: one line, no traceback
        where = f": {exc.filename}" if exc.filename else ""
        print(f"mhtr-tui: {_one_line(f'{exc.strerror or exc}{where}')}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
