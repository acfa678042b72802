"""First start with no database: say how to begin."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tui.footer import KeysFooter
from tui.lifecycle import LiveScreen
from tui.markup import plain


class WelcomeScreen(LiveScreen):
    BINDINGS = [
        Binding("e", "create_encrypted", "Encrypted"),
        Binding("c", "create", "Unencrypted"),
        Binding("d", "demo", "Demo"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                "[b]Welcome to mhtr-tui[/b]\n\n"
                f"There is no database yet at\n  {plain(str(self.path))}\n\n"
                "  [b]e[/b]  create it encrypted (you choose a key): for real client data\n"
                "  [b]c[/b]  create it unencrypted: to try things out (rekey encrypts later)\n"
                "  [b]d[/b]  open the demo: synthetic people, kept in a file of their own"
            )
        yield KeysFooter()

    def action_create(self) -> None:
        from db.crypto import KEY_ENV, key_in_environment

        if key_in_environment():  # the key in the environment says these records are meant to be encrypted
            self.notify(f"{KEY_ENV} is set, so the database must be encrypted: press e", severity="error", timeout=8)
            return
        self.app.pop_screen()
        self.app.open_database(create=True)

    def action_create_encrypted(self) -> None:
        from tui.key_prompt import NewKeyPrompt

        def chosen(key: str | None) -> None:
            from db.connection import connect
            from db.errors import DatabaseError

            if not key:
                return
            try:
                self.app.db = connect(self.path, create=True, key=key, encrypt=True)
            except DatabaseError as exc:
                self.notify(str(exc), severity="error", timeout=8)
                return
            self.app.pop_screen()
            self.app._opened()  # the same start as opening an existing database

        self.app.push_screen(NewKeyPrompt(self.path), chosen)

    def action_demo(self) -> None:
        from db.paths import demo_path
        from demo.generator import ensure_demo
        from service.core import checklist_of

        path = demo_path()
        ensure_demo(path, self.app.clock.now(), checklist_of)
        self.app.db_path = path
        self.app.pop_screen()
        self.app.open_database()
