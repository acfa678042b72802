"""An error the app did not expect is logged and shown as one line; the app stays open.

Refusals (``ValidationError``, ``DatabaseError``) are expected and shown where they happen. Anything else is a
fault in the app. Textual's own answer to one is to end the app and print a traceback, which loses whatever the
practitioner was doing and puts code on the screen. Here the traceback goes to a log beside the database
(``db.paths.error_log_path``, owner-only), the screen gets one line naming the error and the log, and the
app carries on: every write is one transaction (``db.transaction.transaction``) and every file is written whole
or not at all (``db.files``), so a fault part-way through leaves nothing half-done to lose.

Two routes reach here. Textual hands an error nothing caught to ``App._handle_exception`` (overridden by the
app). But an error inside a message handler also stops that node's message loop for good, so the app and every
screen (``CarryOn``) catch errors from their own handlers first, which keeps the loop, and with it the screen's
keys, working. Tests set ``RAISE_UNEXPECTED`` on the app so that an error fails the test instead of being
logged (tests/conftest.py); the tests of this module turn it off.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.worker import WorkerFailed


def cause(error: BaseException) -> BaseException:
    """The error itself: a failed worker's error rather than Textual's wrapper round it."""
    return error.error if isinstance(error, WorkerFailed) and isinstance(error.error, BaseException) else error


def one_line(error: BaseException) -> str:
    """'NoMatches: No nodes match ...' cut to one line, to be shown and to head the log entry."""
    error = cause(error)
    text = " ".join(str(error).split())
    text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return text if len(text) <= 100 else text[:99] + "…"


def log_entry(error: BaseException, where: str, now: datetime | None = None) -> str:
    """The log's record of one error: when, on which screen, the error, and its traceback (no local values: the
    log sits beside the records, but it need not copy them)."""
    error = cause(error)
    stamp = (now or datetime.now()).isoformat(timespec="seconds")
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return f"--- {stamp}  on {where}\n{one_line(error)}\n{trace}\n"


def write_log(db_path: Path, error: BaseException, where: str) -> Path | None:
    """Append the error to the log beside the database; None if even that cannot be written (a full disk)."""
    from db.files import append_private
    from db.paths import error_log_path

    try:
        return append_private(error_log_path(db_path), log_entry(error, where))
    except OSError:
        return None


class CarryOn:
    """Mixed into the app and into every screen (``tui.lifecycle``): an error in one of their own message handlers
    (a key's action, a form's save, a reload) is reported through the app's ``report_unexpected`` and the node's
    message loop goes on, instead of stopping for good (Textual ends the loop of a node whose handler raised).
    Outside this app (a bare Textual app in a test), or when the app says to raise, the error goes on as before.
    """

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:
            app = _app_of(self)
            if app is None or getattr(app, "RAISE_UNEXPECTED", True) or not hasattr(app, "report_unexpected"):
                raise
            app.report_unexpected(error)


def _app_of(node: Any) -> Any:
    """The app ``node`` belongs to (``node`` itself for the app), or None once it belongs to none."""
    if hasattr(node, "report_unexpected"):
        return node
    try:
        return node.app
    except Exception:  # detached: no app to report to
        return None
