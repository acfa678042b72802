"""Full garbage collections wait for a pause in the keys while the app runs (tui.idle_collection)."""

from __future__ import annotations

import gc

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui import idle_collection
from tui.idle_collection import DEFERRED, IdleCollection


class Idle(IdleCollection, App):
    def compose(self) -> ComposeResult:
        yield Static("reading")


@pytest.fixture
def full_collections():
    """Every collection of the oldest generation from now on."""
    seen: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(info["generation"])

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def _young_collections(n: int) -> None:
    """Make Python run ``n`` collections of the middle generation."""
    for _ in range(n):
        gc.collect(1)


async def test_the_oldest_generation_waits_for_a_pause_and_the_thresholds_come_back(full_collections, monkeypatch):
    monkeypatch.setattr(idle_collection, "IDLE_S", 0.3)
    before = gc.get_threshold()
    app = Idle()
    async with app.run_test() as pilot:
        assert gc.get_threshold() == (before[0], before[1], DEFERRED)
        await pilot.press("a")
        _young_collections(idle_collection.DUE)
        full_collections.clear()
        for _ in range(6):  # typing: a key every 0.1 s
            await pilot.press("a")
            await pilot.pause(0.1)
            assert app.collect_if_idle() is False
        assert full_collections == []
        await pilot.pause(0.5)  # a pause: the timer examines the oldest generation
        assert full_collections and gc.get_count()[2] < idle_collection.DUE
    assert gc.get_threshold() == before


async def test_without_a_pause_the_oldest_generation_is_examined_once_long_overdue(full_collections):
    app = Idle()
    async with app.run_test() as pilot:
        await pilot.press("a")
        _young_collections(idle_collection.DUE)
        full_collections.clear()
        assert app.collect_if_idle() is False and full_collections == []  # due, but a key came just now
        _young_collections(idle_collection.BACKSTOP)
        assert app.collect_if_idle() is True and full_collections == [2]
        assert app.collect_if_idle() is False


async def test_the_app_collects_only_in_pauses():
    from tui.app import MhtrApp

    assert issubclass(MhtrApp, IdleCollection) and MhtrApp.__mro__.index(IdleCollection) < MhtrApp.__mro__.index(App)
