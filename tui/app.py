"""The mhtr-tui application: holds the database, the clock, the service and the undo stack, and switches between
screens. Opening the database is ``tui.start_up``; the task keys are ``tui.task_keys``.

Screens never write to the database themselves: they call the service (``app.service``, through ``attempt``
here) and show the one-line message of any ``ValidationError``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from service.clock import Clock
from service.core import Service
from tui.commands import MhtrCommands
from tui.idle_collection import IdleCollection
from tui.start_up import StartUp
from tui.task_keys import TaskKeys
from tui.unexpected import CarryOn
from vocabulary.identity import ValidationError


class MhtrApp(IdleCollection, StartUp, TaskKeys, CarryOn, App):
    """Keyboard-driven caseload and checklist app."""

    CSS_PATH = "app.tcss"
    TITLE = "mhtr-tui · ? keys"  # in the header, so the way to every key is on screen at any width
    # The screens are one group in the footer ("t c w n m i  screens") so that, at 80 columns, each screen's
    # own keys and "? keys" still fit; the help screen and the palette name every screen.
    SCREENS_GROUP = Binding.Group("screens")
    BINDINGS = [
        Binding("question_mark", "help", "Keys"),
        Binding("t", "show_today", "Today", group=SCREENS_GROUP),
        Binding("c", "show_caseload", "Cases", group=SCREENS_GROUP),
        Binding("w", "show_diary", "Diary", group=SCREENS_GROUP),
        Binding("n", "new_client", "New client", group=SCREENS_GROUP),
        Binding("m", "show_export", "Month", group=SCREENS_GROUP),
        Binding("i", "show_import", "Import", group=SCREENS_GROUP),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("q", "back_or_quit", "Back/quit", show=False),
    ]
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {MhtrCommands}
    # An error nothing expected is logged and shown as one line, and the app carries on (tui.unexpected); the
    # test suite sets this so that such an error fails the test that met it instead.
    RAISE_UNEXPECTED = False

    def __init__(self, db_path: Path | str, today: date | None = None, clock: Clock | None = None) -> None:
        """``clock`` is the run's clock (the wall clock by default); ``today`` is short for ``Clock.fixed(today)``."""
        super().__init__()
        self.db_path = Path(db_path)
        self.clock = clock or (Clock.fixed(today) if today else Clock())
        self._db = None
        self.service: Service | None = None
        self.undo_stack: list = []
        self._roots: dict[str, object] = {}  # Today, the Caseload, the Diary: built once, kept (see _base)
        self._reporting = False

    @property
    def db(self):
        return self._db

    @db.setter
    def db(self, database) -> None:
        """Opening the database builds the run's one ``Service`` on it (the screens call its actions)."""
        self._db = database
        self.service = None if database is None else Service(database, self.clock)

    @property
    def today(self) -> date:
        return self.clock.today()

    # ---- messages -------------------------------------------------------------------------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a message, replacing the information messages still showing: ticking down a list used to stack a
        toast per task over the very rows being worked on. Warnings and errors stay until they time out."""
        if severity == "information":
            for shown in [n for n in self._notifications if n.severity == "information"]:
                self._unnotify(shown, refresh=False)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # ---- errors nothing expected (tui.unexpected) --------------------------------------------------------
    def report_unexpected(self, error: BaseException) -> None:
        """Log ``error`` beside the database and say so in one line; the app stays open.

        Before any screen of the app is up (a fault while opening) there is nothing to stay open for: the app
        ends with that one line instead of a traceback.
        """
        from tui.unexpected import one_line, write_log

        if self._reporting:  # the report itself failed: nothing more can be said safely
            return
        self._reporting = True
        try:
            where = type(self.screen).__name__ if self.screen_stack else "start-up"
            log = write_log(self.db_path, error, where)
            logged = f"details in {log.name} beside the database" if log else "it could not be logged"
            if len(self.screen_stack) <= 1:
                self.exit(message=f"mhtr-tui: unexpected error: {one_line(error)} ({logged})", return_code=2)
                return
            self.bell()
            self.notify(
                f"Unexpected error: {one_line(error)}. Nothing was half-saved; {logged}.",
                severity="error",
                timeout=10,
                markup=False,
            )
        finally:
            self._reporting = False

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort, which would end the app with a traceback: report instead (tui.unexpected)."""
        if self.RAISE_UNEXPECTED:
            super()._handle_exception(error)
        else:
            self.report_unexpected(error)

    # ---- navigation -----------------------------------------------------------------------------------
    def _base(self, screen_cls, name: str) -> None:
        """Show the root screen ``name`` (Today, the Caseload, the Diary) with nothing stacked above it.

        Each root is built the first time and kept while the app runs (an installed screen, which Textual does
        not remove when it is popped). Showing it again puts it back as a new one would start (its list from the
        top, no filter) and reloads only if something changed since it last loaded (``tui.reload``): building the
        screen again and reading 5,000 cases again was most of the time of ``c``, ``t`` and ``w``.
        """
        root = self._roots.get(name)
        while len(self.screen_stack) > 1 and self.screen is not root:
            self.pop_screen()
        if root is None:
            root = self._roots[name] = screen_cls()
            root.id = name  # type: ignore[attr-defined]
            self.install_screen(root, name)  # type: ignore[arg-type]
        else:
            root.start_again()  # type: ignore[attr-defined]
        if self.screen is not root:
            self.push_screen(root)  # type: ignore[arg-type]

    def action_show_today(self) -> None:
        if self.db is None:
            return
        from tui.today import TodayScreen

        self._base(TodayScreen, "today")

    def action_show_caseload(self) -> None:
        if self.db is None:
            return
        from tui.caseload import CaseloadScreen

        self._base(CaseloadScreen, "caseload")

    def action_show_diary(self) -> None:
        if self.db is None:
            return
        from tui.diary import DiaryScreen

        self._base(DiaryScreen, "diary")

    def open_client(self, ref: str) -> None:
        from tui.client import ClientScreen

        self.push_screen(ClientScreen(ref))

    def action_new_client(self) -> None:
        if self.db is None:
            return
        from tui.forms import AddClientScreen

        def done(ref: str | None) -> None:
            if ref:
                self.notify(f"{ref} added. Record the screening or assessment with e.")
                self.open_client(ref)

        self.push_screen(AddClientScreen(), done)

    def action_show_export(self) -> None:
        """The Month screen: preview and write the monthly data return (exports.preview)."""
        if self.db is None:
            return
        from tui.export_screen import ExportScreen

        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen())

    def action_show_import(self) -> None:
        """The Import screen: bring in an existing caseload spreadsheet (importer)."""
        if self.db is None:
            return
        from tui.import_screen import ImportScreen

        if not isinstance(self.screen, ImportScreen):
            self.push_screen(ImportScreen())

    def open_letter(self, kind: str) -> None:
        """The Letters menu on document ``kind`` (the palette's "Letter: ..."): for the client on screen, else for
        a client asked for by case reference."""
        from tui.client import ClientScreen
        from tui.letters import open_letters
        from tui.prompts import TextPrompt

        if self.db is None:
            return
        screen = self.screen
        if isinstance(screen, ClientScreen):
            open_letters(self, screen.ref, kind, screen.reload_if_changed)
            return

        def known(text: str) -> str | None:
            try:
                self.service.case(text)
            except ValidationError as exc:
                return str(exc)
            return None

        def chosen(ref: str | None) -> None:
            if ref:
                open_letters(self, ref.upper(), kind, getattr(self.screen, "refresh_data", lambda: None))

        self.push_screen(TextPrompt("Which client is the letter for?", "case reference, e.g. MHTR-0007",
                                    check=known), chosen)

    def share_week(self) -> None:
        """The Diary, asking where to write this week's share with probation (the Diary's s)."""
        if self.db is None:
            return
        self.action_show_diary()
        diary = self.screen
        diary.after_refresh(diary.action_share)  # once the Diary has its week

    def backup_now(self) -> None:
        """A checked backup of the database now, into the backups folder beside it (``mhtr-tui backup``)."""
        from db.backup import backup

        if self.db is not None:
            self.attempt(lambda: backup(self.db), lambda path: self.notify(f"Backup made: {path}", timeout=8,
                                                                             markup=False))

    def action_help(self) -> None:
        from tui.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_back_or_quit(self) -> None:
        """q goes back, as escape does: to the screen before, and from the Caseload or the Diary (opened with c or
        w) to Today; only on Today does it quit. (On the Caseload it used to quit at once, in the middle of the
        day's list, when every other screen went back.) Nothing is lost by quitting: every change is saved as it
        is made."""
        from tui.today import TodayScreen

        if len(self.screen_stack) > 2:
            self.pop_screen()
        elif not isinstance(self.screen, TodayScreen):
            self.action_show_today()
        else:
            self.exit()

    # ---- doing things ---------------------------------------------------------------------------------
    def attempt(self, work: Callable[[], object], done: Callable[[object], None] | None = None) -> bool:
        """Run one domain action; show a refusal as a message and change nothing. Returns success."""
        from db.errors import DatabaseError

        try:
            result = work()
        except (ValidationError, DatabaseError) as exc:
            self.notify(str(exc), severity="error", timeout=6, markup=False)  # may quote what was typed
            return False
        if done:
            done(result)
        return True
