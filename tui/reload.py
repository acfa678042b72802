"""Screens that reload their rows when they come back from under another screen."""

from __future__ import annotations


class ReloadOnResume:
    """Mixed into a Screen that defines refresh_data() and sets ``_current = True`` once its rows are loaded.

    While another screen covers it, what it shows may go stale; on coming back it reloads (not on first showing).
    """

    _current = False  # the rows shown are up to date (set by refresh_data, cleared when another screen covers)

    def on_screen_suspend(self) -> None:
        self._current = False

    def on_screen_resume(self) -> None:
        if not self._current:
            self.refresh_data()
