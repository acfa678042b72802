"""Questionnaire entry: a digit per item, straight from the paper form, with the score updating as you type.

A digit sets the item under the cursor and moves on, so a whole form can be typed as one run of digits;
``-`` marks an item missing, ``n`` is WSAS item 1's "not applicable", backspace steps back and clears. A key
outside the item's range is refused on the spot with a bell and a message, never stored. After the last item
the cursor rests past the end, where responses are refused the same way: a stray extra digit must never
overwrite the last item (on PHQ-9 the risk item, where it would silently clear the warning); up, backspace
or home go back to change one. The score, band, caseness and risk flags come from ``questionnaires`` after
every key; saving goes through ``records.questionnaire_records.add_questionnaire``, which also raises the
urgent risk task.
"""

from __future__ import annotations

import re
from datetime import date

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from tui.fit import fit
from tui.footer import KeysFooter
from tui.lifecycle import LiveModal, LiveScreen
from vocabulary.identity import ValidationError

UNSET = object()  # an item not yet typed (distinct from None, "typed as missing")


PICKER_WIDTH = 66  # the picker's box at 80 columns, less its border, padding and the list's own frame


def picker_line(ins) -> str:
    """'PHQ-9    Patient Health Questionnaire · 9 items, 0-3': the name once (a title that repeats it in brackets,
    or is only the name, gives just the rest), on one line."""
    title = re.sub(r"\s*\([^)]*\)\s*$", "", ins.title) if ins.name in ins.title else ins.title
    title = "" if title == ins.name else title
    items = f"{ins.n_items} items, {ins.range_text}"
    head = f"{ins.name:<8} "
    return head + (f"{fit(title, PICKER_WIDTH - len(head) - len(items) - 3)} · {items}" if title else items)


class InstrumentPicker(LiveModal[str | None]):
    """Choose which questionnaire to enter."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        from questionnaires import INSTRUMENTS

        options = [Option(picker_line(i), id=i.name) for i in INSTRUMENTS.values()]
        with Static(classes="dialog"):
            yield Label("Which questionnaire?", classes="dialog-title")
            yield OptionList(*options, id="instrument-list")
        yield KeysFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ItemEntry(Widget, can_focus=True):
    """The items of one form, a cursor on one of them; keys set values (see the module docstring)."""

    DEFAULT_CSS = "ItemEntry { height: 1fr; padding: 0 1; }"
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    class Changed(Message):
        """An item's value changed."""

    class Moved(Message):
        """The cursor moved without changing a value (the score line says whether it is past the end)."""

    class Refused(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, name: str, **kwargs) -> None:
        from questionnaires import INSTRUMENTS

        super().__init__(**kwargs)
        self.ins = INSTRUMENTS[name]
        self.values: list = [UNSET] * self.ins.n_items
        self.cursor = 0

    # -- values ------------------------------------------------------------------------------------------------
    def items(self) -> list:
        """The form as the scorer takes it: untyped items count as missing."""
        return [None if v is UNSET else v for v in self.values]

    @property
    def typed(self) -> int:
        return sum(v is not UNSET for v in self.values)

    @property
    def past_end(self) -> bool:
        """The cursor has moved on from the last item: there is no item under it to set."""
        return self.cursor >= self.ins.n_items

    def set_current(self, value) -> None:
        """Set the item under the cursor and move on; after the last item the cursor goes past the end (not
        back onto the last item, where the next key would overwrite it)."""
        self.values[self.cursor] = value
        self.cursor += 1
        self.post_message(self.Changed())
        self.refresh()

    def type_key(self, char: str) -> bool:
        """Apply one typed character; returns False (and says why) when it is refused."""
        number = self.cursor + 1
        if self.past_end and (char.isdigit() or char == "-" or char.lower() == "n"):
            self.post_message(self.Refused(
                f"{char!r} refused: all {self.ins.n_items} items typed; ctrl+s saves, up or backspace changes one"))
            return False
        if char.isdigit():
            value = int(char)
            if not self.ins.low <= value <= self.ins.high:
                self.post_message(self.Refused(
                    f"{value} is not a response to {self.ins.name} item {number}: use {self.ins.range_text}, "
                    "'-' for missing"))
                return False
            self.set_current(value)
            return True
        if char == "-":
            self.set_current(None)
            return True
        if char.lower() == "n" and self.ins.name == "WSAS" and self.cursor == 0:
            self.set_current("NA")
            return True
        return False

    def on_key(self, event) -> None:
        char = event.character or ""
        if event.key == "backspace":
            event.stop()
            if self.past_end or (self.values[self.cursor] is UNSET and self.cursor > 0):
                self.cursor -= 1
            self.values[self.cursor] = UNSET
            self.post_message(self.Changed())
            self.refresh()
            return
        if len(char) == 1 and char.isprintable() and char != " ":
            # Every printable key belongs to the form here, so a stray letter cannot jump to another screen
            # and lose what was typed.
            event.stop()
            event.prevent_default()
            if not self.type_key(char):
                if not (char.isdigit() or char == "-" or self.past_end):
                    self.post_message(self.Refused(f"{char!r} is not a response: type {self.ins.range_text}, "
                                                   "'-' for missing" + (", n for not applicable" if
                                                                         self.ins.name == "WSAS" else "")))
                self.app.bell()

    def action_move(self, step: int) -> None:
        """Up and down stay on the items: moving is how an item is chosen for a change, so it never lands past
        the end (up from past the end lands on the last item)."""
        self.cursor = max(0, min(self.ins.n_items - 1, self.cursor + step))
        self.post_message(self.Moved())
        self.refresh()

    def action_jump(self, where: int) -> None:
        self.cursor = where % self.ins.n_items
        self.post_message(self.Moved())
        self.refresh()

    # -- drawing -------------------------------------------------------------------------------------------------
    def render(self) -> Table:
        height = max(1, self.size.height)
        n = self.ins.n_items
        start = max(0, min(self.cursor - height // 2, n - height))
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=3, justify="right")
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(width=4, justify="center")
        risk = set(self.ins.risk_items)
        for i in range(start, min(n, start + height)):
            v = self.values[i]
            shown = "·" if v is UNSET else ("-" if v is None else str(v))
            label = ("⚠ " if i + 1 in risk else "") + self.ins.items[i]  # before the text: long items are cut
            style = "reverse bold" if i == self.cursor and self.has_focus else ("bold" if i == self.cursor else "")
            table.add_row(Text(f"{i + 1}.", style=style), Text(label, style=style), Text(f"[{shown}]", style=style))
        return table


class QuestionnaireScreen(LiveScreen):
    """Enter one administration for a case; ctrl+s saves, escape leaves without saving.

    ``timepoint`` is the default the caller worked out (``session-5`` included); the head of the form shows it
    as a choice plus a session number box, so any timepoint the command line takes can be chosen here too.
    """

    DEFAULT_CSS = "#q-session { width: 5; margin-left: 1; }"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("f2", "focus_date", "Date/timepoint"),
    ]

    def __init__(self, ref: str, instrument: str, timepoint: str = "pre", today: date | None = None) -> None:
        super().__init__()
        self.ref = ref.upper()
        self.instrument = instrument
        self.timepoint = timepoint
        self.today = today

    def compose(self) -> ComposeResult:
        from records.questionnaire_records import TIMEPOINT_LABELS, split_timepoint

        today = self.today or self.app.today
        kind, number = split_timepoint(self.timepoint)
        yield Header()
        with Horizontal(id="q-head", classes="q-head"):
            yield Label(f"{self.ref}  {self.instrument}  ", classes="q-title")
            yield Input(value=f"{today:%d/%m/%Y}", id="q-date", compact=True, classes="q-date")
            yield Select([(label, key) for key, label in TIMEPOINT_LABELS.items()], value=kind,
                         allow_blank=False, id="q-timepoint", compact=True)
            yield Input(value=str(number or ""), placeholder="no.", id="q-session", compact=True, restrict=r"\d{0,2}",
                        max_length=2, disabled=kind != "session", tooltip="Session number")
        yield Static(self._period(), id="q-period", classes="hint-line")
        yield ItemEntry(self.instrument, id="q-items")
        yield Static(id="q-score", classes="q-score")
        yield Static(id="q-message", classes="error")
        yield KeysFooter()

    def _period(self) -> str:
        from questionnaires import INSTRUMENTS

        ins = INSTRUMENTS[self.instrument]
        labels = "  ".join(f"{ins.low + i}={r}" for i, r in enumerate(ins.responses) if r)
        return f"{labels}   -=missing" + ("   n=not applicable (item 1)" if ins.name == "WSAS" else "")

    def on_mount(self) -> None:
        self.query_one(ItemEntry).focus()
        self._show_score()

    def on_select_changed(self, event: Select.Changed) -> None:
        """The session number box is for sessions only."""
        if event.select.id == "q-timepoint":
            self.query_one("#q-session", Input).disabled = event.value != "session"

    def on_item_entry_changed(self, _message: ItemEntry.Changed) -> None:
        self.query_one("#q-message", Static).update("")
        self._show_score()

    def on_item_entry_moved(self, _message: ItemEntry.Moved) -> None:
        self._show_score()

    def on_item_entry_refused(self, message: ItemEntry.Refused) -> None:
        self.query_one("#q-message", Static).update(message.text)

    def _show_score(self) -> None:
        import questionnaires

        entry = self.query_one(ItemEntry)
        result = questionnaires.score(self.instrument, entry.items(), self._options())
        text = Text()
        text.append(f"{entry.typed} of {entry.ins.n_items} typed" + (", end of form (up to change)" if entry.past_end
                                                                    else "") + "   ", style="dim")
        text.append(questionnaires.summary_line(result).replace(questionnaires.risk_words(result), "").rstrip("; "))
        risk = questionnaires.risk_items(self.instrument, entry.items(), self._options())
        if risk:
            text.append("\n⚠ RISK ITEM ENDORSED (item " + ", ".join(map(str, risk)) + "): saving creates an urgent "
                        "task to complete the risk assessment and crisis plan today", style="bold red")
        self.query_one("#q-score", Static).update(text)

    def _options(self):
        if not hasattr(self, "_opts"):
            try:
                self._opts = self.app.service.scoring
            except ValidationError:
                from questionnaires import DEFAULT

                self._opts = DEFAULT
        return self._opts

    def action_focus_date(self) -> None:
        self.query_one("#q-date", Input).focus()

    def action_save(self) -> None:

        entry = self.query_one(ItemEntry)
        if entry.typed < entry.ins.n_items:
            left = [str(i + 1) for i, v in enumerate(entry.values) if v is UNSET]
            self.query_one("#q-message", Static).update(
                f"items {', '.join(left)} not typed yet: type a response or '-' for missing")
            self.app.bell()
            return
        when = self.query_one("#q-date", Input).value
        timepoint = str(self.query_one("#q-timepoint", Select).value)
        number = self.query_one("#q-session", Input).value.strip()
        if timepoint == "session" and number:
            timepoint = f"session {number}"  # as the command line takes it; add_questionnaire checks it

        def done(stored: dict) -> None:
            if stored["risk_task_id"]:
                self.app.notify(f"{self.ref}: risk item endorsed on {self.instrument}. Urgent task added: complete "
                                "the risk assessment and crisis plan today.", severity="warning", timeout=10)
            else:
                self.app.notify(f"{self.ref}: {stored['summary']}", timeout=5)
            self.dismiss(stored)

        if not self.app.attempt(
            lambda: self.app.service.add_questionnaire(self.ref, self.instrument, entry.items(), when, timepoint),
            done,
        ):
            self.query_one("#q-message", Static).update("not saved: see the message above")

    def action_cancel(self) -> None:
        self.dismiss(None)


def enter_questionnaire(app, ref: str, timepoint: str = "pre", then=None) -> None:
    """Ask which questionnaire, then open the entry screen; ``then`` runs when it closes."""

    def picked(name: str | None) -> None:
        if name:
            app.push_screen(QuestionnaireScreen(ref, name, timepoint), lambda stored: then and then(stored))

    app.push_screen(InstrumentPicker(), picked)
