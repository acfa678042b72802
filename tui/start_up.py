"""Opening the database when the app starts: the welcome screen when there is none, the key of an encrypted one,
Today, then the start-up check of the audit trail (a read-only database said so in the header), the weekly and
monthly tasks and, in the background, every case's stage and the day's first backup.

The file's health check (``quick_check``) runs before anything is read from it; the audit trail's check (about
10-20 ms on a ten-year service, most of it counting the trail) runs right after Today's first frame, and every
write waits for it (``db.database.Database.hold_writes``): a key that writes before then runs the check first and
goes ahead, or is refused with the finding, as it is after the check.

A mixin of ``tui.app.MhtrApp``, which holds the database, the clock and the service these methods use.
"""

from __future__ import annotations

from service.core import Service
from vocabulary.identity import ValidationError


class StartUp:
    """The app's start-up, from the database file to Today on screen."""

    def on_mount(self) -> None:
        """The first screen is chosen and shown just after Textual's own start. The app is mounted inside one batch
        of updates: a screen pushed from here was laid out and rendered in it, that frame thrown away at the batch's
        end, and the screen drawn again only at the next update tick (a second full render, about 17 ms later).
        Pushed once the batch is over, its first render is the first frame on screen."""
        self.call_later(self._show_first_screen)

    def _show_first_screen(self) -> None:
        # No database there (a first start, or a mistyped --db): the welcome screen offers to create one; nothing
        # is ever created without being asked.
        if not self.db_path.exists() or self.db_path.stat().st_size == 0:
            from tui.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.db_path))
            return
        self.open_database()

    def open_database(self, *, create: bool = False) -> None:
        """Open ``db_path`` (``create``: the welcome screen's "create it unencrypted") and show Today."""
        import os

        from db.connection import connect, needs_key
        from db.crypto import KEY_ENV, WrongKey
        from db.errors import DatabaseError

        if needs_key(self.db_path) and not os.environ.get(KEY_ENV):
            self._ask_key()
            return
        try:
            self.db = connect(self.db_path, create=create, hold_audit_check=True)
        except WrongKey as exc:  # MHTR_KEY is set but does not open this database: ask rather than give up
            self._ask_key(f"{exc} (the key in {KEY_ENV}); type the key")
            return
        except (DatabaseError, ValidationError) as exc:
            self.exit(message=f"mhtr-tui: {exc}", return_code=2)
            return
        self._opened()

    def _ask_key(self, problem: str = "") -> None:
        """An encrypted database: ask for its key (hidden), again after a wrong one; escape quits."""
        from db.connection import connect
        from db.crypto import WrongKey
        from db.errors import DatabaseError
        from tui.key_prompt import KeyPrompt

        def try_key(key: str) -> str | None:
            try:
                self.db = connect(self.db_path, key=key, hold_audit_check=True)
            except WrongKey as exc:
                return f"{exc}; type it again"
            except (DatabaseError, ValidationError) as exc:  # damaged, newer schema...: nothing to retry
                self.exit(message=f"mhtr-tui: {exc}", return_code=2)
                return str(exc)
            return None

        def answered(opened: bool | None) -> None:
            if opened:
                self._opened()
            elif self.db is None and self.return_code is None:
                self.exit(message="mhtr-tui: no key given; nothing was opened", return_code=1)

        self.push_screen(KeyPrompt(self.db_path, try_key, problem), answered)

    def _opened(self) -> None:
        self.sub_title = str(self.db_path.name)
        self.action_show_today()
        self.after_first_frame(self._check_audit_trail)

    def _check_audit_trail(self) -> None:
        """Once Today is on screen: the audit trail's start-up check (unless a write has run it already), then the
        weekly and monthly tasks, made after the first frame too: their due dates need the bank holidays (about
        0.1 s to load), and on most starts there is nothing new to make."""
        from db.errors import DatabaseError
        from db.transaction import read_only_reason

        if self.db is None:
            return
        try:
            self.db.settle()
        except DatabaseError as exc:
            self.exit(message=f"mhtr-tui: {exc}", return_code=2)
            return
        reason = read_only_reason(self.db)
        if reason is not None:
            # The audit trail failed the start-up check: the records can be read, nothing can be saved, and the
            # header says so for as long as the app is open.
            self.sub_title = f"{self.db_path.name} · READ-ONLY"
            self.notify(reason, title="Read-only", severity="error", timeout=60)
            return
        self._ensure_recurring()

    def _ensure_recurring(self) -> None:
        from checklists.model import ChecklistError
        from db.errors import DatabaseError

        try:
            made = self.service.ensure_recurring()
        except (DatabaseError, ValidationError, ChecklistError) as exc:
            self.exit(message=f"mhtr-tui: {exc}", return_code=2)
            return
        refresh = getattr(self.screen, "refresh_data", None)
        if made and refresh:
            refresh()
        self.run_worker(self._derive_case_states, thread=True, group="warm-up", exit_on_error=False)

    def _derive_case_states(self) -> None:
        """Derive every case's stage in the background (own connection), so the Caseload opens at once; then
        make the day's first backup if none exists yet.

        The second connection opens with the key the app's own connection was opened with (typed at the prompt,
        held in memory only), so an encrypted database works without ``MHTR_KEY``.
        """
        from checklists.workdays import bank_holiday_name
        from db.backup import daily_backup_if_due
        from db.connection import connect
        from db.crypto import key_of
        from db.errors import DatabaseError

        db = connect(self.db_path, key=key_of(self.db))
        worker = Service(db, self.clock)
        try:
            worker.case_states()
            service = self.service
            if service is not None:  # on the app's thread, before the backup: its screens read the same cache
                self.call_from_thread(service.adopt_case_states, worker)
                bank_holiday_name(self.today)  # the calendar loaded here rather than on the app's thread
                self.call_from_thread(self._case_states_ready)
            try:
                daily_backup_if_due(db)
            except DatabaseError as exc:
                self.call_from_thread(
                    self.notify, f"The daily backup was not made: {exc}", severity="warning", timeout=8
                )
        finally:
            db.close()

    def _case_states_ready(self) -> None:
        """Every case is derived: Today can show its diary line (held back on a large service, see today.py)."""
        from tui.today import TodayScreen

        for screen in {*self.screen_stack, *self._roots.values()}:  # a kept Today off the stack too
            if isinstance(screen, TodayScreen):
                screen.show_diary()
