"""Screens that reload what they show when they come back from under another screen, if anything changed."""

from __future__ import annotations


class ReloadOnResume:
    """Mixed into a Screen that defines ``refresh_data()`` and calls ``shown_current()`` once its rows are loaded.

    While another screen covers it, what it shows may go stale; on coming back it reloads (not on first showing),
    unless nothing was written since it last loaded and the day and minute are the same (a cancelled form, a
    help screen, a look at another client): reloading a large list costs a visible moment for nothing.

    The reload happens only if the screen is the one shown when its resume is handled: ``t`` on a Client screen
    opened from Today resumes that Today and then replaces it with a fresh one, and reloading the old one (about
    to be removed) would only cost time, or reach widgets already gone (``tui.lifecycle``). A screen covered
    again at once stays marked out of date and reloads when it next comes back.
    """

    _current = False  # the rows shown are up to date (set by shown_current, cleared when another screen covers)
    _loaded_at: tuple | None = None  # the change token when the rows were loaded

    def _change_token(self) -> tuple:
        return (self.app.service.last_change(), self.app.today, self.app.clock.now().strftime("%H:%M"))

    def shown_current(self) -> None:
        """Call at the end of ``refresh_data``: what is shown is what the database holds now."""
        self._current = True
        self._loaded_at = self._change_token()

    def reload_if_changed(self) -> None:
        """Reload unless nothing changed since the last load."""
        if self._loaded_at is None or self._change_token() != self._loaded_at:
            self.refresh_data()
        else:
            self._current = True

    def on_screen_suspend(self) -> None:
        self._current = False

    def on_screen_resume(self) -> None:
        if not self._current and self._loaded_at is not None and self.is_active:
            self.reload_if_changed()
