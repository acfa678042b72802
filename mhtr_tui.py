"""mhtr-tui: open the app, or run one command (see ``mhtr-tui --help``).

This module only parses the command line and hands over; heavy imports (Textual, dateparser, python-docx,
openpyxl) happen inside the command that needs them so that every command starts quickly.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

# Each command's module and the commands it registers (tests/test_speed.py checks the names against what each
# module registers). A command line naming one of them imports only its module (see ``build_parser``).
COMMAND_MODULES = {
    "cli.clients": ("client",),
    "cli.events": ("event",),
    "cli.tasks": ("tasks", "task"),
    "cli.score": ("score", "questionnaire"),
    "cli.demo": ("demo",),
    "cli.appointments": ("appointment",),
    "cli.share": ("share-week",),
    "cli.protection": ("init", "backup", "restore", "rekey", "audit", "sar"),
    "cli.export": ("export",),
    "cli.letters": ("letter", "assessment", "settings"),
    "cli.importer": ("import",),
}


def _command_named(argv: list[str]) -> str | None:
    """The command ``argv`` names (its first word that is not an option or the value of ``--db``), if any."""
    after_db = False
    for word in argv:
        if after_db:
            after_db = False
        elif word == "--db":
            after_db = True
        elif not word.startswith("-"):
            return word
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: with only the module of the command it names (importing and registering all
    eleven costs more than a quick read-only command's own work), or every command for help and mistakes.

    argparse is imported here, not at the top: opening the app reads its two options without it (``_app_only``)."""
    import argparse
    import importlib

    from cli.common import add_db_option

    class OneLineParser(argparse.ArgumentParser):
        """argparse, refusing a mistyped command line in one line on stderr (exit 2) like every other refusal, with
        where to read the command's usage instead of the usage itself. Every subcommand's parser is one of these."""

        def error(self, message: str):  # type: ignore[override]
            self.exit(2, f"mhtr-tui: {_one_line(message)} (see: {self.prog} --help)\n")

    named = _command_named(argv) if argv is not None else None
    modules = [m for m, commands in COMMAND_MODULES.items() if named in commands] or list(COMMAND_MODULES)
    parser = OneLineParser(
        prog="mhtr-tui",
        description="Caseload, checklist tasks, questionnaires and letters for Primary Care MHTR practitioners.",
    )
    parser.add_argument("--db", metavar="PATH", help="database file (default: MHTR_DB or the user data folder)")
    parser.add_argument("--demo", action="store_true", help="open the app on the demo database (made on first use)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(sub, add_db_option)
    return parser


def _open_app(args: argparse.Namespace | SimpleNamespace) -> int:
    from pathlib import Path

    from db.paths import default_path, demo_path

    if args.demo:
        path = Path(args.db).expanduser() if args.db else demo_path()
        from cli.common import CLOCK
        from demo.generator import ensure_demo
        from service.core import checklist_of

        ensure_demo(path, CLOCK.now(), checklist_of)
    else:
        path = Path(args.db).expanduser() if args.db else default_path()
    from tui.app import MhtrApp

    # With no database at the path yet, the app opens on a welcome screen that offers to create one.
    MhtrApp(db_path=path).run()
    return 0


def _app_only(argv: list[str]) -> SimpleNamespace | None:
    """``mhtr-tui [--db PATH] [--demo]``: the app's own arguments, read without argparse or any command's module
    (about 20 ms of the start-up); anything else (a command, --help, a mistake) goes to the full parser.

    Reads only the forms argparse reads the same way: ``--demo``, ``--db=PATH``, and ``--db PATH`` where PATH
    does not start with '-' (argparse would take that for an option); the last ``--db`` wins, as in argparse. Any
    other word, an abbreviation among them, is left to the full parser, which refuses it or runs the command."""
    args = SimpleNamespace(db=None, demo=False, command=None)
    words = iter(argv)
    for word in words:
        if word == "--demo":
            args.demo = True
        elif word.startswith("--db="):
            args.db = word[len("--db=") :]
        elif word == "--db":
            path = next(words, None)
            if path is None or path.startswith("-"):
                return None
            args.db = path
        else:
            return None
    return args


MAX_MESSAGE = 2000  # characters of a refusal: a line a person reads (paths and all), not megabytes of an argument


def _one_line(text: str) -> str:
    """A refusal as exactly one printable line: control characters and line breaks in what the user typed (a
    path, a name) are shown escaped, so they can neither split the message nor drive the terminal; an overlong
    one is cut short (it would only be repeating an argument back)."""
    from vocabulary.text import escape_for_terminal

    line = escape_for_terminal(text.strip(), keep_lines=False)
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def _not_text(argv: list[str]) -> str | None:
    """The refusal of a command line holding bytes that are not UTF-8 (Python keeps them as lone surrogates,
    which no database, document or terminal can take) or a NUL (which no path or record can hold; a shell cannot
    pass one, a script calling ``main`` can): one line naming the argument, before anything runs."""
    for n, arg in enumerate(argv, start=1):
        if any("\ud800" <= ch <= "\udfff" for ch in arg):
            return f"argument {n} holds bytes that are not UTF-8 text; retype it (nothing was done)"
        if "\x00" in arg:
            return f"argument {n} holds a NUL character, which no path or record can take; retype it (nothing was done)"
    return None


def main(argv: list[str] | None = None) -> int:
    import gc

    from tui.idle_collection import hold_until_first_frame

    words = sys.argv[1:] if argv is None else argv
    app = _app_only(words)
    if app is not None and not app.demo:
        hold_until_first_frame()  # opening the app: no collection until its first frame (tui.idle_collection)
    try:
        return _main(words, app)
    finally:
        gc.enable()  # whatever happened


def _main(words: list[str], args: argparse.Namespace | SimpleNamespace | None) -> int:
    from checklists.model import ChecklistError
    from db.crypto import driver_errors, no_core_dumps
    from db.errors import DatabaseError
    from db.transaction import refusal
    from vocabulary.identity import ValidationError

    no_core_dumps()  # before any key is read

    refused = _not_text(words)
    if refused:
        print(f"mhtr-tui: {refused}", file=sys.stderr)
        return 2
    if args is None:
        args = build_parser(words).parse_args(words)
    try:
        if args.command is None:
            return _open_app(args)
        from cli.common import READ_ONLY_WARNINGS, TerminalSafe  # not for the app: it imports no command module

        READ_ONLY_WARNINGS.clear()
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = TerminalSafe(stdout), TerminalSafe(stderr)  # a warning can quote a path too
        try:
            code = int(args.handler(args) or 0)
        finally:
            sys.stdout, sys.stderr = stdout, stderr
        if READ_ONLY_WARNINGS:
            print(f"mhtr-tui: warning: {_one_line(READ_ONLY_WARNINGS[0])}", file=sys.stderr)
        return code
    except (ValidationError, DatabaseError, ChecklistError) as exc:
        print(f"mhtr-tui: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except driver_errors("Error") as exc:  # the database refused something the checks above did not foresee
        print(f"mhtr-tui: {_one_line(refusal(exc))}; nothing was saved", file=sys.stderr)
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
