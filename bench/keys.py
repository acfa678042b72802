"""Response to each key, from key press to screen updated, driven by Textual's Pilot.

    .venv/bin/python -m bench.keys --db PATH [--repeat 5] [--json OUT]

The app runs headless at 120x36. Every frame the compositor produces is timed (``App._display``, where a real
terminal write happens); in headless mode Textual skips turning the frame into terminal bytes, so this app does
that work too, as a terminal would need it. A key's response is the time from posting the key event to the last
frame it caused (the screen has been quiet for 60 ms after it). Keys are pressed in pairs that undo each other
(tick / ctrl+z, open / back) so that every repeat starts from the same screen.

The floor is a bare Textual app whose ``space`` rewrites one line, timed the same way.
Runs in its own process (``bench.run`` starts it) so that its memory and warm caches do not leak into others.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

SIZE = (120, 36)
QUIET_S = 0.06


def _timed(cls):
    """``cls`` with every displayed frame timed (and rendered to terminal bytes, as a real terminal needs)."""
    from textual._compositor import CompositorUpdate

    class Timed(cls):
        frames: list[float]
        cpu_at_frame: list[float]  # the process's processor time at each frame (what a busy machine does not inflate)

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is None:
                return
            if self.is_headless and isinstance(renderable, CompositorUpdate):
                renderable.render_segments(self.console)
            self.frames.append(time.perf_counter())
            self.cpu_at_frame.append(time.process_time())

    Timed.__name__ = f"Timed{cls.__name__}"
    if isinstance(cls.CSS_PATH, str):  # relative to the module that defines the app, not this one
        import inspect

        Timed.CSS_PATH = str(Path(inspect.getfile(cls)).parent / cls.CSS_PATH)
    return Timed


async def _quiet(app, deadline: float) -> None:
    """Wait until no frame has come for QUIET_S."""
    seen, quiet_from = len(app.frames), time.perf_counter()
    while time.perf_counter() - quiet_from < QUIET_S and time.perf_counter() < deadline:
        await asyncio.sleep(0.004)
        if len(app.frames) != seen:
            seen, quiet_from = len(app.frames), time.perf_counter()


async def settled(app) -> None:
    """Wait until the app's start-up work is done before timing any key: its workers have finished (the warm-up
    thread derives every case's state and makes the day's first backup) and no frame has come for QUIET_S. A key
    pressed before then was timed with that work running beside it: on the ten-year service the first tick took
    1.5 s, nearly all of it the warm-up's, which no later tick pays."""
    await asyncio.wait_for(app.workers.wait_for_complete(), timeout=120)
    await _quiet(app, time.perf_counter() + 5)


async def _press(pilot, key: str) -> tuple[float, float]:
    """Seconds from the key event to the last frame it caused, and the processor seconds the app used meanwhile.

    Notifications are cleared and the screen left quiet first, so that no toast timing out or earlier
    repaint is counted against this key. The processor time is the app's own work (its threads included), which
    other programs on a shared machine do not inflate the way they do the wall clock.
    """
    app = pilot.app
    app.clear_notifications()
    await _quiet(app, time.perf_counter() + 5)
    before = len(app.frames)
    t0, c0 = time.perf_counter(), time.process_time()
    await pilot.press(key)
    returned, c_returned = time.perf_counter(), time.process_time()
    await _quiet(app, t0 + 20)
    if len(app.frames) > before:
        return app.frames[-1] - t0, app.cpu_at_frame[-1] - c0
    return returned - t0, c_returned - c0


# label -> cProfile.Profile, for ``--profile LABEL`` (where does a slow key's time go?)
# The event loop's own frames (waiting for the next event, passing messages on) head every profile by cumulative
# time and say nothing about where a key's time went: the profile lists what is left.
EVENT_LOOP_LEFT_OUT = r"^(?!(base_events|selectors|events|_callback|message_pump|timer)\.py|\{method '(poll|run)')"
PROFILES: dict = {}


class Recorder:
    def __init__(self, pilot, repeat: int) -> None:
        self.pilot = pilot
        self.repeat = repeat
        self.results: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    async def key(self, label: str, key: str) -> float:
        prof = PROFILES.get(label)
        if prof is not None:
            prof.enable()
        dt, cpu = await _press(self.pilot, key)
        if prof is not None:
            prof.disable()
        self.results.setdefault(label, []).append(dt)
        self.cpu.setdefault(label, []).append(cpu)
        return dt

    def screen_id(self) -> str:
        return type(self.pilot.app.screen).__name__


async def _mhtr(db: Path, repeat: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    from tui.app import MhtrApp

    app = _timed(MhtrApp)(db_path=db)
    app.frames, app.cpu_at_frame = [], []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.3)
        await settled(app)
        r = Recorder(pilot, repeat)
        assert r.screen_id() == "TodayScreen", r.screen_id()
        # --- Today ---
        for _ in range(repeat):
            await r.key("Today j (down)", "j")
            await r.key("Today k (up)", "k")
        for _ in range(repeat):
            await r.key("Today space (tick, list reloads)", "space")
            await r.key("Today ctrl+z (undo, list reloads)", "ctrl+z")
        for _ in range(repeat):
            await r.key("Today x (skip: asks why)", "x")
            await r.key("Prompt escape (cancel)", "escape")
            await r.key("Today d (reschedule: asks date)", "d")
            await r.key("Prompt escape (cancel)", "escape")
        for _ in range(repeat):
            await r.key("Today r (refresh)", "r")
            await r.key("Today ? (help)", "question_mark")
            await r.key("Help escape (close)", "escape")
        # --- Client, from Today ---
        for _ in range(repeat):
            await r.key("Today enter (open client)", "enter")
            assert r.screen_id() == "ClientScreen", r.screen_id()
            await r.key("Client j (down)", "j")
            await r.key("Client k (up)", "k")
            await r.key("Client 2 (timeline)", "2")
            await r.key("Client 3 (details)", "3")
            await r.key("Client 1 (checklist)", "1")
            await r.key("Client space (tick, checklist reloads)", "space")
            await r.key("Client ctrl+z (undo)", "ctrl+z")
            await r.key("Client e (event form)", "e")
            await r.key("Form escape (cancel)", "escape")
            await r.key("Client escape (back to Today)", "escape")
            assert r.screen_id() == "TodayScreen", r.screen_id()
        # --- Caseload ---
        for _ in range(repeat):
            await r.key("Today c (open Caseload)", "c")
            assert r.screen_id() == "CaseloadScreen", r.screen_id()
            await r.key("Caseload t (back to Today)", "t")
        await r.key("Today c (open Caseload)", "c")
        for _ in range(repeat):
            await r.key("Caseload j (down)", "j")
            await r.key("Caseload k (up)", "k")
        for _ in range(repeat):
            await r.key("Caseload / (filter box)", "slash")
            await r.key("Caseload filter: type 1st letter", "a")
            await r.key("Caseload filter: type 2nd letter", "s")
            await r.key("Caseload filter: type 3rd letter", "h")
            await r.key("Caseload filter: backspace", "backspace")
            await r.key("Caseload escape (clear filter)", "escape")
        for _ in range(repeat):
            await r.key("Caseload h (show closed cases)", "h")
            await r.key("Caseload h (hide closed cases)", "h")
        for _ in range(repeat):
            await r.key("Caseload enter (open client)", "enter")
            assert r.screen_id() == "ClientScreen", r.screen_id()
            await r.key("Client escape (back to Caseload)", "escape")
        await _diary(r, app, repeat)
    return r.results, r.cpu


async def _diary(r: Recorder, app, repeat: int) -> None:
    """The Diary screen, if the app has one by now: open it and use its own movement keys."""
    binding = next((b for b in app.BINDINGS if "diary" in getattr(b, "action", "")), None)
    if binding is None:
        return
    key = binding.key.split(",")[0]
    await r.key(f"Today/Caseload {key} (open Diary)", key)
    screen = app.screen
    if "Diary" not in type(screen).__name__:
        return
    wanted = ("down", "up", "next", "prev", "previous", "week", "day", "today")
    keys = []
    for b in getattr(type(screen), "BINDINGS", []):
        action = getattr(b, "action", "") if not isinstance(b, tuple) else b[1]
        bkey = getattr(b, "key", "") if not isinstance(b, tuple) else b[0]
        if any(w in action for w in wanted) and "(" not in bkey:
            keys.append((bkey.split(",")[0], action))
    for _ in range(repeat):
        for k, action in keys:
            await r.key(f"Diary {k} ({action})", k)
    for _ in range(repeat):
        await r.key("Diary j (down)", "j")
        await r.key("Diary k (up)", "k")


async def _bare(repeat: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    from bench.bare_app import BareKeysApp

    app = _timed(BareKeysApp)()
    app.frames, app.cpu_at_frame = [], []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.2)
        r = Recorder(pilot, repeat)
        for _ in range(repeat * 2):
            await r.key(FLOOR_LINE, "space")
        for _ in range(repeat * 2):
            await r.key(FLOOR_CURSOR, "j")
        for _ in range(repeat * 2):
            await r.key(FLOOR_CELL, "u")
        for _ in range(repeat):
            await r.key(FLOOR_MODAL, "p")
            await r.key(FLOOR_MODAL_CLOSE, "escape")
        for _ in range(repeat):
            await r.key(FLOOR_SCREEN, "s")
            await r.key(FLOOR_SCREEN_BACK, "escape")
    return r.results, r.cpu


FLOOR_LINE = "rewrite one line"
FLOOR_CURSOR = "move a table cursor"
FLOOR_CELL = "change one table cell"
FLOOR_MODAL = "open a modal prompt"
FLOOR_MODAL_CLOSE = "close a modal prompt"
FLOOR_SCREEN = "push a screen (header, 80-row table, footer)"
FLOOR_SCREEN_BACK = "pop back to the first screen"

# Which floor each of the app's keys is compared with (the same kind of change on screen).
FLOOR_OF = {
    "j (down)": FLOOR_CURSOR,
    "k (up)": FLOOR_CURSOR,
    "space": FLOOR_CELL,
    "ctrl+z": FLOOR_CELL,
    "r (refresh)": FLOOR_CELL,
    "x (skip": FLOOR_MODAL,
    "d (reschedule": FLOOR_MODAL,
    "? (help)": FLOOR_MODAL,
    "e (event form)": FLOOR_MODAL,
    "Prompt escape": FLOOR_MODAL_CLOSE,
    "Help escape": FLOOR_MODAL_CLOSE,
    "Form escape": FLOOR_MODAL_CLOSE,
    "escape (back": FLOOR_SCREEN_BACK,
    "enter (open client)": FLOOR_SCREEN,
    "c (open Caseload)": FLOOR_SCREEN,
    "t (back to Today)": FLOOR_SCREEN,
    "open Diary": FLOOR_SCREEN,
    "filter": FLOOR_CELL,
    "backspace": FLOOR_CELL,
    "h (": FLOOR_CELL,
    "/ (filter box)": FLOOR_LINE,
    "Client 1": FLOOR_LINE,
    "Client 2": FLOOR_LINE,
    "Client 3": FLOOR_LINE,
    "Diary": FLOOR_CURSOR,
}


def floor_for(label: str) -> str:
    for needle, floor in FLOOR_OF.items():
        if needle in label:
            return floor
    return FLOOR_LINE


def summarise(results: tuple[dict[str, list[float]], dict[str, list[float]]]) -> list[dict]:
    wall, cpu = results
    return [
        {
            "key": label,
            "n": len(xs),
            "median_ms": round(statistics.median(xs) * 1000, 1),
            "max_ms": round(max(xs) * 1000, 1),
            "cpu_ms": round(statistics.median(cpu[label]) * 1000, 1),
        }
        for label, xs in wall.items()
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--json", type=Path)
    p.add_argument("--profile", action="append", default=[], metavar="LABEL", help="cProfile the keys so labelled")
    p.add_argument("--only-app", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    import cProfile

    for label in args.profile:
        PROFILES[label] = cProfile.Profile()
    bare = ({}, {}) if args.only_app else asyncio.run(_bare(args.repeat))
    app = asyncio.run(_mhtr(args.db, args.repeat))
    out = {"floor": summarise(bare), "keys": summarise(app)}
    for label, prof in PROFILES.items():
        import pstats

        print(f"=== profile: {label}", file=sys.stderr)
        stats = pstats.Stats(prof, stream=sys.stderr).strip_dirs().sort_stats("cumulative")
        stats.print_stats(EVENT_LOOP_LEFT_OUT, 30)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    else:
        for row in out["floor"] + out["keys"]:
            print(f"{row['key']:45} median {row['median_ms']:7.1f} ms   max {row['max_ms']:7.1f} ms   "
                  f"processor {row['cpu_ms']:7.1f} ms  (n={row['n']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
