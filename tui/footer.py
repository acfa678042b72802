"""The footer every screen shows: the keys that work where you are, drawn as one line by one widget.

Textual's own ``Footer`` is a row of widgets, one ``FooterKey`` per binding, and it throws them away and mounts
them again whenever a screen's bindings may have changed: focus moving, a client's view switched, a screen
pushed or popped. Mounting and styling a dozen widgets cost more than anything else in switching a client's
view (60-80% of it) and a good part of opening a screen (bench/RESULTS.md). What the footer shows is a
function of the active bindings, so this widget works that out and draws the line itself: a change of keys
repaints one line, with nothing to mount, lay out or style.

It draws exactly what Textual's compact footer draws (``tests/test_footer.py`` compares the two on every
screen at 80 and 120 columns): each key in the key colours, its description after a space, one space between
keys; keys of one group (``Binding.Group``) as their keys alone, then the group's name and a space (the gap
the app gave Textual's footer, so "t c w n m i screens" does not run into the next key); the command palette's
key at the right-hand edge behind a thin bar, over whatever did not fit. A click on a key presses it, and
hovering over a key shows its tooltip, as on Textual's footer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from tui.lifecycle import is_live, while_live

PALETTE_BAR = "▏"


@dataclass(frozen=True)
class _Item:
    """One thing on the footer line: a key (with its description), a group's name, or the palette key."""

    x: int
    text: tuple[tuple[str, Style], ...]
    key: str | None = None  # the key a click presses
    tooltip: str = ""
    unit: tuple[int, int] = (0, 0)  # shown or left out together: a key and its description; a group's keys and name

    @property
    def width(self) -> int:
        return sum(len(t) for t, _ in self.text)


class KeysFooter(Widget):
    """The keys that work on the screen, in one line (see the module docstring)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer--palette-bar"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer--palette-bar {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple | None = None
        self._items: list[_Item] = []
        self._palette: _Item | None = None
        self._pending = False

    async def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        await self._rebuild()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen) -> None:
        """The screen's bindings may have changed: look again as soon as what changed them is done (requests made
        meanwhile are folded into one), so the frame that shows the change shows its keys too. Looking again after
        the next refresh, as Textual's footer does, left the old keys on that frame and cost a frame of its own."""
        if is_live(self) and screen is self.screen and not self._pending:
            self._pending = True
            self.call_next(while_live(self, self._rebuild))

    def _keys_now(self) -> tuple:
        """What the footer shows: each shown binding, whether it is enabled, its tooltip; and the palette's."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    async def _rebuild(self) -> None:
        self._pending = False
        bindings = self._keys_now()
        shown = tuple((k, b.key_display, b.description, b.action, b.group, e, t) for k, b, e, t in bindings)
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    async def recompose(self) -> None:
        """Work the line out again from the screen's bindings (there are no child widgets to build)."""
        self._items, self._palette = self._arrange_keys(self._keys_now())
        self.refresh()

    def _key_styles(self, enabled: bool) -> tuple[Style, Style]:
        key = self.get_component_rich_style("footer-key--key")
        description = self.get_component_rich_style("footer-key--description")
        if not enabled:
            key, description = key + Style(dim=True), description + Style(dim=True)
        return key, description

    def _arrange_keys(self, bindings: tuple) -> tuple[list[_Item], _Item | None]:
        """Where each key goes, as Textual's compact footer places its widgets: a key is followed by one space; a
        group's keys sit one space apart after a space of their own, then the group's name and a space."""
        app = self.app
        by_action: defaultdict[str, list] = defaultdict(list)
        palette = None
        for key, binding, enabled, tooltip in bindings:
            if key == app.COMMAND_PALETTE_BINDING and not binding.show:
                palette = (binding, enabled)
                continue
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        items: list[_Item] = []
        x = 0
        for unit, (group, runs) in enumerate(groupby(by_action.values(), lambda run: run[0][0].group)):
            runs = list(runs)
            if group is not None and len(runs) > 1:
                between = 0 if group.compact else 1  # a compact group's keys touch
                x += 1
                for run in runs:
                    binding, enabled, tooltip = run[0]
                    key_style, _ = self._key_styles(enabled)
                    items.append(_Item(x, ((app.get_key_display(binding), key_style),), binding.key,
                                       tooltip or binding.description, (unit, -1)))
                    x += items[-1].width + between
                x += 1 - between
                _, label_style = self._key_styles(True)
                items.append(_Item(x, ((group.description, label_style),), unit=(unit, -1)))
                x += items[-1].width + 1
            else:
                for run in runs:
                    binding, enabled, tooltip = run[0]
                    key_style, description_style = self._key_styles(enabled)
                    text = [(app.get_key_display(binding), key_style)]
                    if binding.description:
                        text.append((" " + binding.description, description_style))
                    items.append(_Item(x, tuple(text), binding.key, tooltip, unit=(unit, len(items))))
                    x += items[-1].width + 1
        palette_item = None
        if palette is not None and app.ENABLE_COMMAND_PALETTE:
            binding, enabled = palette
            key_style, description_style = self._key_styles(enabled)
            bar = self.get_component_rich_style("footer--palette-bar")
            text = ((PALETTE_BAR, bar), (app.get_key_display(binding), key_style),
                    (" " + binding.description, description_style))
            palette_item = _Item(0, text, binding.key, binding.tooltip or binding.description)
        return items, palette_item

    def _placed(self) -> list[_Item]:
        """The items where they are drawn at the current width (the palette key at the right-hand edge).

        Unlike Textual's footer, a key that would run under the palette key is left out, with every key after it
        (a group's keys go with its name): a half-covered key ("A▏^p palette") reads as a key that is not there,
        and the tail of one showed past the palette key in the last column. What is left out is in the help (?)
        and the palette.
        """
        width = self.size.width
        if self._palette is None:
            return self._fitting(width)
        bar = width - 1 - self._palette.width
        palette = _Item(bar, self._palette.text, self._palette.key, self._palette.tooltip)
        return [*self._fitting(bar), palette]

    def _fitting(self, edge: int) -> list[_Item]:
        """The items, up to the first whose unit does not end before column ``edge``."""
        ends: dict[tuple[int, int], int] = {}
        for item in self._items:
            ends[item.unit] = max(ends.get(item.unit, 0), item.x + item.width)
        kept = []
        for item in self._items:
            if ends[item.unit] > edge:
                break
            kept.append(item)
        return kept

    def render_line(self, y: int) -> Strip:
        """The line, cell for cell as Textual's footer draws it. Each piece of text also carries, as Textual's
        widgets do, its place in its own widget (``offset`` meta, which Textual uses for mouse selection): a
        screenshot combines neighbouring cells only where both agree, so it comes out the same as with
        Textual's footer, segment for segment."""
        width = self.size.width
        gap = Style(bgcolor=self.background_colors[1].rich_color)
        cells: list[tuple[str, Style, int | None]] = [(" ", gap, None)] * width
        for item in self._placed():
            x, offset = item.x, 0
            for text, style in item.text:
                if text == PALETTE_BAR:  # drawn as the palette key's border, not its content
                    place, offset = None, -1
                else:
                    place = offset
                for ch in text:
                    if 0 <= x < width:
                        cells[x] = (ch, style, place)
                    x += 1
                offset += len(text)
        segments = []
        for (style, place), run in groupby(cells, key=lambda cell: (cell[1], cell[2])):
            text = "".join(ch for ch, _, _ in run)
            segments.append(Segment(text, style if place is None else style + Style.from_meta({"offset": (place, 0)})))
        return Strip(segments, width)

    def _item_at(self, x: int) -> _Item | None:
        for item in reversed(self._placed()):  # the palette key is drawn over the others
            if item.x <= x < item.x + item.width:
                return item
        return None

    def on_click(self, event: events.Click) -> None:
        item = self._item_at(event.x)
        if item is not None and item.key is not None:
            self.app.simulate_key(item.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self._item_at(event.x)
        self.tooltip = item.tooltip if item is not None and item.tooltip else None

    def on_resize(self, _event: events.Resize) -> None:
        self.refresh()
