"""The footer every screen shows: the keys that work where you are, rebuilt only when they change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

from tui.lifecycle import is_live, while_live


class KeysFooter(Footer):
    """Textual's compact footer, rebuilt once per refresh and only when the keys it would show differ.

    Textual's own footer throws its key widgets away and builds them again every time a screen's bindings
    *may* have changed: focus moving, a view switched, a screen pushed or popped. Opening a client did that
    four times and opening the event form six, each rebuild costing 20-40 ms on a two-CPU laptop, which was
    most of those keys' response time (bench/RESULTS.md). What the footer shows is a function of the active
    bindings, so requests made within one refresh are folded into one, and a rebuild that would show the same
    keys is skipped.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown: tuple | None = None
        self._pending = False

    def _keys(self) -> tuple:
        """What the footer would show: each shown binding with whether it is enabled and its tooltip."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.key_display, binding.description, binding.action, binding.group, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if is_live(self) and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(while_live(self, self._rebuild))

    async def _rebuild(self) -> None:
        self._pending = False
        keys = self._keys()
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
