"""Small modal questions: one line of text (a reason, a date) or yes/no."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.fit import fit
from tui.lifecycle import LiveModal

# A prompt's text does not wrap by itself: the .dialog box (app.tcss) is 76 columns, less border and padding.
DIALOG_TEXT_WIDTH = 70


class TextPrompt(LiveModal[str | None]):
    """Ask for one line; ``check`` may refuse it with a message shown under the box (the prompt stays).

    ``subject`` names what the answer changes (the task a skip or a new date applies to), on a line of its own
    under the question. ``preview`` turns what is typed into a line shown under the box as it is typed, such as
    the date a phrase resolves to ("next fri -> Fri 11/12/2026"), so it can be read before it is saved.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        placeholder: str = "",
        value: str = "",
        check: Callable[[str], str | None] | None = None,
        *,
        subject: str = "",
        preview: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.value = value
        self.check = check
        self.subject = subject
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.subject:
                yield Static(Text(fit(self.subject, DIALOG_TEXT_WIDTH)), id="prompt-subject", classes="subject")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            if self.preview:
                yield Static(self._previewed(self.value), id="prompt-preview", classes="preview")
            yield Static("", id="prompt-error", classes="error")
            yield Static("enter: OK   escape: cancel", classes="hint")

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.preview:
            self.query_one("#prompt-preview", Static).update(self._previewed(event.value))
        self.query_one("#prompt-error", Static).update("")

    def _previewed(self, typed: str) -> Text:
        """The preview line for ``typed``, as plain text cut to the dialog's width."""
        return Text(fit(self.preview(typed.strip()), DIALOG_TEXT_WIDTH) if self.preview else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.check:
            problem = self.check(text)
            if problem:
                if self.preview and self.preview(text) == problem:
                    # the preview already says why (a date that cannot be read): said once, under the box
                    self.query_one("#prompt-preview", Static).update("")
                self.query_one("#prompt-error", Static).update(Text(problem))  # may quote what was typed
                return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmPrompt(LiveModal[bool]):
    """A yes/no question answered with y or n."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            yield Static("y: yes   n: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
