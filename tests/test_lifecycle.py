"""Work a screen queues (tui.lifecycle) runs while the screen is on the stack and never after it has gone."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.lifecycle import LiveScreen, is_live


class Counting(LiveScreen):
    """Records each queued callback that ran, reaching into its own widget as the app's screens do."""

    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="box")

    def note(self, what: str) -> None:
        self.query_one("#box", Static).update(what)  # raises NoMatches once the screen's widgets are gone
        self.ran.append(what)


class Host(App):
    pass


async def _until(pilot, event: threading.Event) -> None:
    """Let the app run until a worker thread sets ``event`` (blocking here would stall its call_from_thread)."""
    for _ in range(500):
        if event.is_set():
            await pilot.pause(0.05)  # and the timer queued with it fires
            return
        await pilot.pause(0.01)
    raise AssertionError("the worker never finished")


async def _queue_everything(pilot, screen: Counting) -> None:
    screen.after_refresh(screen.note, "after_refresh")
    screen.later(screen.note, "later")
    screen.timer(0.01, lambda: screen.note("timer"))
    done = threading.Event()

    def worker() -> None:
        screen.from_worker(screen.note, "from_worker")
        done.set()

    screen.run_worker(worker, thread=True)
    await _until(pilot, done)


async def test_queued_work_runs_while_the_screen_is_shown_or_covered():
    app = Host()
    async with app.run_test() as pilot:
        screen = Counting()
        await app.push_screen(screen)
        await _queue_everything(pilot, screen)
        assert sorted(screen.ran) == ["after_refresh", "from_worker", "later", "timer"]

        covered = Counting()
        await app.push_screen(covered)
        await app.push_screen(LiveScreen())  # another screen on top: covered is still live, its widgets are there
        assert is_live(covered) and not covered.is_active
        await _queue_everything(pilot, covered)
        assert sorted(covered.ran) == ["after_refresh", "from_worker", "later", "timer"]


async def test_queued_work_is_dropped_once_the_screen_has_gone():
    """The crash of 't' after a write: work queued by a screen that is then popped, in the same turn (before
    Textual has removed it) and after, never runs, so it never reaches widgets that have gone."""
    app = Host()
    async with app.run_test() as pilot:
        popped_at_once = Counting()
        await app.push_screen(popped_at_once)
        popped_at_once.after_refresh(popped_at_once.note, "after_refresh")
        popped_at_once.later(popped_at_once.note, "later")
        popped_at_once.timer(0.01, lambda: popped_at_once.note("timer"))
        app.pop_screen()
        await app.push_screen(LiveScreen())
        assert not is_live(popped_at_once)
        await pilot.pause(0.1)
        assert popped_at_once.ran == []

        removed = Counting()
        await app.push_screen(removed)
        release, finished = threading.Event(), threading.Event()

        def slow_worker() -> None:  # a result that arrives after the screen has been closed
            release.wait(5)
            removed.from_worker(removed.note, "from_worker")
            finished.set()

        removed.run_worker(slow_worker, thread=True)
        removed.timer(0.2, lambda: removed.note("timer"))
        await app.pop_screen()
        await pilot.pause()
        assert not removed.is_attached and not is_live(removed)
        release.set()
        await _until(pilot, finished)
        await pilot.pause(0.3)
        assert removed.ran == []
        assert app.return_code is None
