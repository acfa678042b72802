"""Python's full garbage collections, moved from under the keys to the pauses between them.

Python looks for reference cycles in three generations. The oldest is examined whenever enough younger
collections have passed, and examining it walks every object the app holds: Textual's widgets and caches and,
on a large service, the Caseload's 5,000 cases, about 150,000 objects, 50-100 ms of processor time (twice that
on a busy machine). That pause fell on whichever key happened to be pressed then: a letter typed in the
Caseload's filter, a client opened, the Diary opened (bench/: the same key 80-200 ms slower when it did).
While the app runs, the oldest generation is examined only once no key or click has come for ``IDLE_S``
(the person is reading), or, for someone who never pauses, once ``BACKSTOP`` younger collections have passed
without one. The young generations are collected as before. The thresholds are put back when the app ends.
"""

from __future__ import annotations

import gc
import time

from textual import events

IDLE_S = 1.0  # no key or click for this long: the person is reading, not typing
CHECK_S = 0.25  # how often the app looks
DUE = 10  # younger collections after which Python would have examined the oldest generation (its threshold)
BACKSTOP = 100  # ... and after which it is examined even without a pause
DEFERRED = 1_000_000  # the oldest generation's threshold while the app runs: never reached


class IdleCollection:
    """Mixed into the App, before textual's App: full collections wait for a pause in the keys."""

    _gc_thresholds: tuple[int, int, int] | None = None
    _last_input = 0.0

    def on_mount(self) -> None:
        first, second, _oldest = self._gc_thresholds = gc.get_threshold()
        gc.set_threshold(first, second, DEFERRED)
        self._last_input = time.monotonic()
        self.set_interval(CHECK_S, self.collect_if_idle, name="idle-collection")  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        if self._gc_thresholds is not None:
            gc.set_threshold(*self._gc_thresholds)
            self._gc_thresholds = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._last_input = time.monotonic()
        await super().on_event(event)  # type: ignore[misc]

    def collect_if_idle(self) -> bool:
        """Examine the oldest generation if it is due and nobody is typing (or it is long overdue); True if it was."""
        due = gc.get_count()[2]
        if due >= BACKSTOP or (due >= DUE and time.monotonic() - self._last_input >= IDLE_S):
            gc.collect()
            return True
        return False
