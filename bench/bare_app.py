"""Floors: bare Textual apps that do what mhtr-tui does on screen and nothing else.

* ``BareApp`` paints one static screen (header, one line, footer): the floor for start-up. It pays what every
  Textual app pays (interpreter, ``import textual``, CSS, first layout and frame) and nothing of mhtr-tui.
* ``BareKeysApp`` is the floor for keys, one per kind of screen change the app makes: rewrite a line, move a
  table cursor, change a table cell, open and close a modal prompt, switch to another full screen.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

MARKER = "Bare Textual app: one static screen"
ROWS = [
    (f"MHTR-{i:04d}", f"Client {i:04d}", "In treatment", f"{i % 12}/12", f"Session {i % 12} admin: save documents",
     "23/11")
    for i in range(80)
]


class BareApp(App):
    BINDINGS = [Binding("space", "bump", "Bump"), Binding("q", "quit", "Quit")]

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(MARKER, id="line")
        yield Footer(compact=True)

    def action_bump(self) -> None:
        self.n += 1
        self.query_one("#line", Static).update(f"{MARKER} ({self.n})")


def _table(rows: int) -> DataTable:
    table = DataTable(cursor_type="row")
    for name in ("Ref", "Name", "Stage", "Sess", "Next task", "Due"):
        table.add_column(name)
    for r in ROWS[:rows]:
        table.add_row(*r)
    return table


class Prompt(ModalScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("A question")
            yield Input(placeholder="an answer")


class Other(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield _table(80)
        yield Footer(compact=True)


class BareKeysApp(App):
    BINDINGS = [
        Binding("space", "bump", "Bump"),
        Binding("u", "update_cell", "Cell"),
        Binding("p", "prompt", "Prompt"),
        Binding("s", "switch", "Screen"),
        Binding("j", "down", "Down"),
        Binding("k", "up", "Up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(MARKER, id="line")
        yield _table(80)
        yield Footer(compact=True)

    def action_bump(self) -> None:
        self.n += 1
        self.query_one("#line", Static).update(f"{MARKER} ({self.n})")

    def action_update_cell(self) -> None:
        self.n += 1
        table = self.query_one(DataTable)
        table.update_cell_at((0, 4), f"changed {self.n}")

    def action_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_prompt(self) -> None:
        self.push_screen(Prompt())

    def action_switch(self) -> None:
        self.push_screen(Other())


if __name__ == "__main__":
    BareApp().run()
