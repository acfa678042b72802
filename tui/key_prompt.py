"""Asking for the key of an encrypted database when the app starts.

The key is typed into a hidden box and handed straight to the opener; it is never shown, stored or logged. A
wrong key keeps the prompt open with one line saying so, so the practitioner can simply type it again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.footer import KeysFooter
from tui.lifecycle import LiveModal


class KeyPrompt(LiveModal[bool]):
    """Ask for the key of ``path``; ``try_key(key)`` opens the database and returns a problem, or None.

    Dismissed with True once the database is open, False if the user gives up (escape).
    """

    BINDINGS = [Binding("escape", "give_up", "Quit")]

    def __init__(self, path: Path, try_key: Callable[[str], str | None], problem: str = "") -> None:
        super().__init__()
        self.path = path
        self.try_key = try_key
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("This database is encrypted", classes="dialog-title")
            yield Static(f"{self.path}\nType its key (it is not shown as you type).", markup=False)
            yield Input(password=True, placeholder="key", id="key-input")
            yield Static(self.problem, id="key-error", classes="error", markup=False)
            yield Static("enter: open   escape: quit", classes="hint")
        yield KeysFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        box = event.input
        problem = self.try_key(event.value) if event.value else "type the key, or escape to quit"
        box.value = ""  # the typed key does not stay on screen or in the widget
        if problem:
            self.query_one("#key-error", Static).update(problem)
            return
        self.dismiss(True)

    def action_give_up(self) -> None:
        self.dismiss(False)


class NewKeyPrompt(LiveModal[str | None]):
    """Choose the key of a new encrypted database: typed twice, at least 8 characters; dismissed with it.

    Escape gives up (None). The rule is ``db.crypto.check_new_key``, the same as ``mhtr-tui init --encrypt``.
    """

    BINDINGS = [Binding("escape", "give_up", "Cancel")]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Choose a key for the new encrypted database", classes="dialog-title")
            yield Static(
                f"{self.path}\nAt least 8 characters. It is never stored: keep it somewhere safe, because the "
                "records cannot be opened without it.",
                markup=False,
            )
            yield Input(password=True, placeholder="key", id="new-key")
            yield Input(password=True, placeholder="the same key again", id="new-key-again")
            yield Static("", id="key-error", classes="error", markup=False)
            yield Static("enter: next / create   escape: cancel", classes="hint")
        yield KeysFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from db.crypto import BadNewKey, check_new_key

        first = self.query_one("#new-key", Input)
        again = self.query_one("#new-key-again", Input)
        if event.input is first:
            again.focus()
            return
        try:
            key = check_new_key(first.value, again.value)
        except BadNewKey as exc:
            first.value = again.value = ""
            first.focus()
            self.query_one("#key-error", Static).update(str(exc).replace("; nothing was changed", "; type it again"))
            return
        self.dismiss(key)

    def action_give_up(self) -> None:
        self.dismiss(None)
