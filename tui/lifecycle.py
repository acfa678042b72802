"""Work queued for a screen runs only while that screen is still on the app's stack.

A screen queues work to run later: the rest of a reload after the first paint, a count after typing stops, a
result from a worker thread, a reload when it comes back from under another screen. By the time that work runs
the screen may have gone: ``t`` pops the Client screen (which resumes the Today beneath it and starts its
reload) and then pops that Today too, to push a fresh one. Textual stops a removed screen's timers and drops
its later messages, but not all of this: a ``call_after_refresh`` callback is handed to whichever screen is
current when it runs, a ``call_from_thread`` result runs on the app, and a ``ScreenResume`` already queued is
still handled. Work that then looked up a widget of the gone screen raised ``NoMatches`` and ended the app.

One rule for every screen, kept here: a screen is *live* while it is on the app's screen stack and attached
(covered by another screen still counts: what it queued applies to its own widgets, which are all there).
Every screen in the app derives from ``LiveScreen`` or ``LiveModal`` and queues work through their methods
(``after_refresh``, ``later``, ``timer``, ``from_worker``), which drop the work if the screen is no longer live
when its turn comes. A reload on resume runs only on the screen actually shown (``ReloadOnResume``); one
covered again at once reloads when it next comes back. ``tests/test_architecture.py`` checks that screens
derive from these bases and that nothing in ``tui/`` queues screen work around them.

Result callbacks of ``push_screen`` need no guard: Textual calls one only when the screen pushed is dismissed,
and that screen sits above the one that asked, which is therefore still on the stack.

The same bases give every screen the app's rule for an error nothing expected (``tui.unexpected.CarryOn``): it is
reported and the screen goes on answering keys.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.types import NoActiveAppError

from tui.unexpected import CarryOn

ResultType = TypeVar("ResultType")


def is_live(node: DOMNode) -> bool:
    """Whether ``node`` is attached and its screen is on the app's screen stack (shown, or covered)."""
    if not node.is_attached:
        return False
    try:
        screen = node if isinstance(node, Screen) else node.screen
        return screen in node.app.screen_stack
    except Exception:  # no app or no screen any more (being torn down): not live
        return False


def while_live(node: DOMNode, callback: Callable[..., Any]) -> Callable[..., Any]:
    """``callback`` made to do nothing unless ``node`` is live when it is called."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        if is_live(node):
            return callback(*args, **kwargs)
        return None

    return run


class _Live(CarryOn):
    """What ``LiveScreen`` and ``LiveModal`` share: the ways to queue work that respect the screen's life, and an
    error in a handler reported without stopping the screen (``tui.unexpected.CarryOn``)."""

    @property
    def is_live(self) -> bool:
        """On the app's screen stack and attached (see the module docstring)."""
        return is_live(self)  # type: ignore[arg-type]

    def after_refresh(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run ``callback(*args)`` once the screen has been painted, if the screen is still live then."""
        self.call_after_refresh(while_live(self, callback), *args)  # type: ignore[attr-defined]

    def later(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run ``callback(*args)`` after the messages already queued, if the screen is still live then."""
        self.call_later(while_live(self, callback), *args)  # type: ignore[attr-defined]

    def timer(self, delay: float, callback: Callable[[], Any]) -> Timer:
        """Run ``callback()`` after ``delay`` seconds, if the screen is still live then (stop() cancels it)."""
        return self.set_timer(delay, while_live(self, callback))  # type: ignore[attr-defined]

    def from_worker(self, callback: Callable[..., Any], *args: Any) -> None:
        """From a worker thread: run ``callback(*args)`` on the app's thread, if the screen is still live then.

        A worker thread finds the app through the screen's parents (it has no app of its own), so a screen already
        removed has none: its result is dropped here, as it would be on arrival.
        """
        try:
            app = self.app  # type: ignore[attr-defined]
        except NoActiveAppError:
            return
        app.call_from_thread(while_live(self, callback), *args)


class LiveScreen(_Live, Screen):
    """A full screen of the app (see the module docstring)."""


class LiveModal(_Live, ModalScreen[ResultType]):
    """A dialog or form drawn over another screen (see the module docstring)."""
