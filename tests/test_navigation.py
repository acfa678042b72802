"""Switching screens after a write, the most common move of the day, never ends the app (Textual Pilot, 80x24).

Open a client from Today, tick something, then press t, c or w: the reload queued by the write used to land on
a screen that had gone and the app exited with a traceback (tui.lifecycle has the rule that stops it).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest

from db.connection import connect
from records.demo import fill_demo
from tui.app import MhtrApp
from tui.caseload import CaseloadScreen
from tui.client import ClientScreen
from tui.diary import DiaryScreen
from tui.today import TodayScreen

TODAY = date(2026, 11, 20)
SIZE = (80, 24)
ROOTS = {"t": TodayScreen, "c": CaseloadScreen, "w": DiaryScreen}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo caseload, built once for the module; each test works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = connect(path, create=True)
    fill_demo(db, 24, 7, TODAY, datetime(2026, 11, 20, 12, 0))
    db.close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    return path


@pytest.mark.parametrize("key", list(ROOTS))
async def test_tick_on_a_client_opened_from_today_then_switch(demo, key):
    app = MhtrApp(db_path=demo, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        await pilot.press("space")
        await pilot.pause()
        assert app.undo_stack, "the tick was not made"
        await pilot.press(key)
        await pilot.pause(0.2)
        assert app.is_running and isinstance(app.screen, ROOTS[key])
        assert len(app.screen_stack) == 2
