"""First start with no database: say how to begin."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static


class WelcomeScreen(Screen):
    BINDINGS = [
        Binding("c", "create", "Create a database"),
        Binding("d", "demo", "Open the demo"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                "[b]Welcome to mhtr-tui[/b]\n\n"
                f"There is no database yet at\n  {self.path}\n\n"
                "  [b]c[/b]  create it now (empty) and start with your first client\n"
                "  [b]d[/b]  open the demo: synthetic people at every stage, kept in a file of its own\n\n"
                "For real client data, create an encrypted database from the command line:\n"
                "  mhtr-tui init --encrypt"
            )
        yield Footer(compact=True)

    def action_create(self) -> None:
        self.app.pop_screen()
        self.app.open_database()

    def action_demo(self) -> None:
        from db.connection import demo_path
        from records.demo import ensure_demo

        path = demo_path()
        ensure_demo(path)
        self.app.db_path = path
        self.app.pop_screen()
        self.app.open_database()
