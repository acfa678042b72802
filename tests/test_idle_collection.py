"""Full garbage collections wait for a pause in the keys while the app runs (tui.idle_collection)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui import idle_collection
from tui.idle_collection import DEFERRED, IdleCollection

ROOT = Path(__file__).resolve().parents[1]


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


# --- the garbage collector, held off until the first frame -----------------------------------------------------


def test_the_collector_is_off_while_the_app_starts_and_on_again_when_it_ends(tmp_path):
    """Off from the first import of the app's start (``mhtr_tui.main``) to the first frame; on for a command and for
    the demo (made before the app opens), which make and drop many objects; on again when the app ends."""
    code = (
        "import gc, sys, mhtr_tui, tui.app\n"
        "seen = []\n"
        "tui.app.MhtrApp.run = lambda self: seen.append(gc.isenabled())\n"
        f"assert mhtr_tui.main(['--db', {str(tmp_path / 'a.db')!r}]) == 0\n"
        "seen.append(gc.isenabled())\n"
        "mhtr_tui._main = lambda words, args: seen.append(gc.isenabled()) or 0\n"
        "for argv in (['tasks', '--json'], ['--demo'], ['--db', 'x.db']):\n"
        "    mhtr_tui.main(argv)\n"
        "print(seen)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[False, True, True, True, False]"


def test_the_first_frame_turns_the_collector_on_with_what_the_start_made_set_aside(tmp_path):
    """As the real start does (``mhtr_tui``): the collector off, then the app's first frame (the welcome screen
    here, with no database yet) turns it on, with the objects made so far frozen out of its passes."""
    code = (
        "import asyncio, gc, sys\n"
        "from tui.app import MhtrApp\n"
        "gc.disable()\n"
        "async def run():\n"
        "    async with MhtrApp(db_path=sys.argv[1]).run_test() as pilot:\n"
        "        await pilot.pause()\n"
        "        print(gc.isenabled(), gc.get_freeze_count() > 1000)\n"
        "asyncio.run(run())\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "none.db")], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_a_collector_already_running_is_left_as_it_is():
    from tui.idle_collection import first_frame_painted

    frozen = gc.get_freeze_count()
    first_frame_painted()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_the_collector_is_held_off_before_textual_is_imported():
    """The hold comes first: the start's imports (Textual's among them) are where the collector's passes were."""
    code = (
        "import sys\n"
        "import tui.idle_collection as ic\n"
        "seen = []\n"
        "ic.hold_until_first_frame = lambda: seen.append(sorted(m for m in sys.modules\n"
        "                                                       if m.split('.')[0] in ('textual', 'rich')))\n"
        "import mhtr_tui\n"
        "mhtr_tui._main = lambda words, args: 0\n"
        "mhtr_tui.main(['--db', 'x.db'])\n"
        "print(seen)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[[]]"
