"""The footer draws the line Textual's own compact footer draws, without a widget per key (tui/footer.py).

Each walk below goes through the app's screens twice, once with Textual's ``Footer`` in place of ours, and the
footer line of every screen must come out the same: the same characters, styles and segments (so a
screenshot is the same too), with one difference on purpose: where Textual's line runs under the palette key,
ours leaves out the keys that would be cut (``_same_or_cut_whole``). A small app adds what the real screens do
not show today: a disabled key, a compact group, a key without a description, a line too long for the terminal.
"""

from __future__ import annotations

import sys
from datetime import date, datetime

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from db.connection import connect
from demo.generator import fill_demo
from service.core import checklist_of
from tui.app import MhtrApp
from tui.footer import KeysFooter

TODAY = date(2026, 11, 20)
# Each step: keys to press, then the footer line is compared. Covers every screen with a footer.
WALK = [
    (), ("enter",), ("2",), ("3",), ("4",), ("6",), ("e",), ("escape",), ("A",), ("escape",), ("l",), ("escape",),
    ("escape",), ("c",), ("slash",), ("escape",), ("w",), ("m",), ("escape",), ("i",), ("escape",), ("n",),
]


class TextualFooter(Footer):
    """What the app used before: Textual's compact footer, with a space after a group's name."""

    SCOPED_CSS = False
    DEFAULT_CSS = """
    TextualFooter.-compact FooterLabel {
        margin: 0 1 0 0;
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)


async def _settle(pilot) -> None:
    """Until what a key started has been drawn (the footer redraws after the refresh that changed the keys):
    round after round until the footer line has stayed the same for three rounds (never a fixed sleep)."""
    last, same = None, 0
    for _ in range(200):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        line = _footer_line(pilot.app)
        same = same + 1 if line == last else 0
        last = line
        if same >= 3:
            return


def _cells(line: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(ch, style) for text, style in line for ch in text]


def _same_or_cut_whole(ours: list[tuple[str, str]], theirs: list[tuple[str, str]]) -> bool:
    """Our line is Textual's, segment for segment; or, where Textual's runs under the palette key, the same up to
    the end of the last key that fits whole, then gap up to the palette key (and in the last column), and the
    palette key itself the same."""
    if ours == theirs:
        return True
    a, b = _cells(ours), _cells(theirs)
    assert len(a) == len(b)
    bar = next(i for i, (ch, _) in enumerate(b) if ch == "▏")
    assert a[bar:-1] == b[bar:-1], "the palette key"
    cut = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
    assert cut <= bar and (cut == 0 or b[cut - 1][0] == " "), f"cut at {cut}, inside a key"
    assert all(ch == " " for ch, _ in a[cut:bar]) and a[-1][0] == " ", "gap from the cut to the palette key"
    assert any(ch != " " for ch, _ in b[cut:bar]), "a key that fitted was left out"
    return True


def _footer_line(app: App) -> list[tuple[str, str]]:
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens, simplify=True)
    return [(seg.text, str(seg.style)) for strip in update.strips[-1] for seg in strip]


async def _walk(path, width: int, footer: type, monkeypatch) -> list[tuple[str, list]]:
    for name, module in list(sys.modules.items()):
        if name.startswith("tui.") and getattr(module, "KeysFooter", None) is not None:
            monkeypatch.setattr(module, "KeysFooter", footer)
    app = MhtrApp(db_path=path, today=TODAY)
    lines = []
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        for keys in WALK:
            if keys:
                await pilot.press(*keys)
            await _settle(pilot)
            lines.append((f"{type(app.screen).__name__} after {keys}", _footer_line(app)))
    monkeypatch.undo()
    return lines


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("footer") / "demo.db"
    db = connect(path, create=True)
    fill_demo(db, 24, 7, TODAY, datetime(2026, 11, 20, 9, 30), checklist=checklist_of(db))
    db.close()
    return path


@pytest.mark.parametrize("width", [80, 120])
async def test_every_screens_footer_is_the_line_textuals_footer_draws(demo_path, width, monkeypatch):
    ours = await _walk(demo_path, width, KeysFooter, monkeypatch)
    theirs = await _walk(demo_path, width, TextualFooter, monkeypatch)
    assert [where for where, _ in ours] == [where for where, _ in theirs]
    for (where, line), (_, expected) in zip(ours, theirs, strict=True):
        assert _same_or_cut_whole(line, expected), where
    assert {where.split()[0] for where, _ in ours} >= {
        "TodayScreen", "ClientScreen", "EventScreen", "AssessmentForm", "LettersScreen", "CaseloadScreen",
        "DiaryScreen", "ExportScreen", "ImportScreen", "AddClientScreen",
    }


class _Keys(Screen):
    TOOLS = Binding.Group("tools", compact=True)
    VIEWS = Binding.Group("views")
    BINDINGS = [
        Binding("a", "noop('a')", "Alpha"),
        Binding("b", "noop('b')", "Beta"),  # disabled below
        Binding("c", "noop('c')", ""),  # no description
        Binding("d", "noop('d')", "Tool d", group=TOOLS),
        Binding("e", "noop('e')", "Tool e", group=TOOLS),
        Binding("f", "noop('f')", "View f", group=VIEWS),
        Binding("g", "noop('g')", "View g", group=VIEWS),
        Binding("h", "noop('h')", "A rather long description that runs under the palette key"),
    ]

    def __init__(self, footer: type) -> None:
        super().__init__()
        self.footer = footer
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("keys")
        yield self.footer()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return None if parameters == ("b",) else True

    def action_noop(self, name: str) -> None:
        self.pressed.append(name)


class _KeysApp(App):
    def __init__(self, footer: type) -> None:
        super().__init__()
        self.footer = footer

    def on_mount(self) -> None:
        self.push_screen(_Keys(self.footer))


@pytest.mark.parametrize("width", [60, 100, 140])
async def test_disabled_keys_groups_and_a_line_too_long_match_textuals_footer(width):
    lines = []
    for footer in (KeysFooter, TextualFooter):
        app = _KeysApp(footer)
        async with app.run_test(size=(width, 5)) as pilot:
            await _settle(pilot)
            lines.append(_footer_line(app))
    assert _same_or_cut_whole(lines[0], lines[1])


async def test_a_click_on_a_key_presses_it_and_hovering_shows_its_tooltip():
    app = _KeysApp(KeysFooter)
    async with app.run_test(size=(100, 5)) as pilot:
        await _settle(pilot)
        text = "".join(t for t, _ in _footer_line(app))
        await pilot.click(KeysFooter, offset=(text.index("Alpha"), 0))
        await pilot.click(KeysFooter, offset=(text.index(" f ") + 1, 0))
        assert app.screen.pressed == ["a", "f"]
        await pilot.hover(KeysFooter, offset=(text.index(" f ") + 1, 0))
        assert app.screen.query_one(KeysFooter).tooltip == "View f"


async def test_the_footer_shows_the_new_keys_in_the_frame_that_shows_the_change(demo_path):
    """The footer works its line out again as soon as the keys change (a focus moving, a screen opening), so the
    frame that shows the change shows the keys that go with it; worked out after that frame, the old keys stayed
    on screen for a frame and the new ones cost a frame of their own (on every screen opened)."""
    from tui.caseload import CaseloadScreen

    app = MhtrApp(db_path=demo_path, today=TODAY)
    frames: list[tuple[bool, tuple]] = []
    real = app._display

    def display(screen, renderable) -> None:
        real(screen, renderable)
        if renderable is not None and isinstance(screen, CaseloadScreen):
            footer = screen.query_one(KeysFooter)
            frames.append((screen.query_one("#filter").has_focus, tuple(i.key for i in footer._items)))

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await _settle(pilot)
        before = tuple(i.key for i in app.screen.query_one(KeysFooter)._items)
        frames.clear()
        await pilot.press("slash")  # the filter box takes the keys: the footer's line changes
        await _settle(pilot)
        focused, after = frames[-1]
        assert focused and after != before
        assert [keys for focused, keys in frames if focused] == [after] * len(frames)
