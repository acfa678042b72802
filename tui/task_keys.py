"""The task keys of Today and the Client screen: tick, skip (asks why), move (asks a date), do the task's work, and
undo the last change.

A mixin of ``tui.app.MhtrApp``, which holds the undo stack and the service these methods call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date


class TaskKeys:
    """What a task key does, the same on every screen that lists tasks."""

    def task_action(self, verb: str, task_id: int, refresh: Callable[[], None]) -> None:
        """Tick, skip (asks a reason), reschedule (asks a date) or act on a task, then ``refresh``.

        The skip and date prompts name the task they change, and the date prompt shows the day a phrase resolves
        to as it is typed ("next fri -> Fri 11/12/2026"); a day already past is asked about once before saving.
        """
        from tui.prompts import TextPrompt

        service = self.service

        def record(change) -> None:
            self.undo_stack.append(change)
            self.notify(f"{change.verb}: {change.title}", timeout=3, markup=False)
            refresh()

        task = service.find_task(task_id) if verb in ("skip", "reschedule") else None
        subject = f"{task['ref'] or 'Your task'}: {task['title']}" if task else ""
        if verb == "tick":
            self.attempt(lambda: service.tick(task_id), record)
        elif verb == "skip":

            def skipped(reason: str | None) -> None:
                if reason:
                    self.attempt(lambda: service.skip(task_id, reason), record)

            self.push_screen(
                TextPrompt(
                    "Skip this task: why is it not needed?",
                    "reason",
                    check=lambda s: None if s else "a reason is needed",
                    subject=subject,
                ),
                skipped,
            )
        elif verb == "reschedule":
            self._ask_due(task_id, subject, "", record)
        elif verb == "act":
            self.run_task_action(task_id, refresh)

    def _ask_due(self, task_id: int, subject: str, typed: str, record: Callable[[object], None]) -> None:
        """Ask the task's new due date; a day before today is confirmed once (y), else asked again."""
        from tui.prompts import ConfirmPrompt, TextPrompt
        from vocabulary.dates import DUE_DATE, DateError, parse_date

        def resolve(text: str) -> date | str:
            try:
                return parse_date(text, self.today, DUE_DATE)  # what reschedule will accept
            except DateError as exc:
                return str(exc)

        def preview(text: str) -> str:
            if not text:
                return ""
            day = resolve(text)
            if isinstance(day, str):
                return day
            past = "  (in the past)" if day < self.today else ""
            return f"{text} → {day:%a %d/%m/%Y}{past}"

        def check(text: str) -> str | None:
            day = resolve(text)
            return day if isinstance(day, str) else None

        def move(day: date) -> None:
            self.attempt(lambda: self.service.reschedule(task_id, day), record)

        def moved(text: str | None) -> None:
            if not text:
                return
            day = resolve(text)
            if isinstance(day, str):
                return
            if day >= self.today:
                move(day)
                return

            def answer(yes: bool | None) -> None:
                if yes:
                    move(day)
                else:
                    self._ask_due(task_id, subject, text, record)

            self.push_screen(ConfirmPrompt(f"{day:%a %d/%m/%Y} is in the past. Set it as the due date anyway?"), answer)

        self.push_screen(
            TextPrompt(
                "New due date",
                "e.g. next fri, 20/12/2026, in 2 weeks",
                value=typed,
                check=check,
                subject=subject,
                preview=preview,
            ),
            moved,
        )

    def run_task_action(self, task_id: int, refresh: Callable[[], None]) -> None:
        """Open the screen that does a task's work (score, write a letter, log a session...)."""
        from tui.actions import open_action

        task = self.service.find_task(task_id)
        if task is None:
            return
        if not open_action(self, task, refresh):
            self.notify("Nothing in the app does this one: tick it (space) when it is done.", timeout=4)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", timeout=2)
            return
        change = self.undo_stack.pop()

        def undone(_) -> None:
            self.notify(f"Undone: {change.title}", timeout=3, markup=False)
            refresh = getattr(self.screen, "refresh_data", None)
            if refresh:
                refresh()

        self.attempt(lambda: self.service.undo(change), undone)
