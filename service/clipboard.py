"""Putting text (the health-system entry) on the clipboard, from the app or the command line.

Textual's ``App.copy_to_clipboard`` sends the text to the terminal (OSC 52), which some terminals ignore
without saying so; where a system clipboard tool is installed the text is handed to it as well, so one key
works in either case. Nothing here imports Textual: the app passes its own copy function in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable

from db.crypto import child_environment

TIMEOUT_S = 3


def system_clipboard_command() -> list[str] | None:
    """The command that reads stdin into the system clipboard here, or None if there is none."""
    candidates: list[list[str]] = []
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    if os.environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    candidates.append(["clip.exe"])  # Windows, and WSL
    for cmd in candidates:
        if shutil.which(cmd[0]):
            return cmd
    return None


def copy_text(
    text: str,
    app_copy: Callable[[str], None] | None = None,
    command: list[str] | None = None,
) -> str:
    """Copy ``text`` through the app (if given) and the system clipboard tool (if any).

    Returns a one-line message for the footer or the terminal saying where the text went. ``command``
    overrides the detected clipboard tool.
    """
    return copy(text, app_copy, command)[1]


def copy(
    text: str,
    app_copy: Callable[[str], None] | None = None,
    command: list[str] | None = None,
) -> tuple[bool, str]:
    """``copy_text``, also saying whether the text went anywhere (False: no clipboard here, nothing copied)."""
    places = []
    if app_copy is not None:
        app_copy(text)
        places.append("terminal")
    cmd = command if command is not None else system_clipboard_command()
    if cmd:
        try:
            subprocess.run(
                cmd, input=text.encode("utf-8"), check=True, timeout=TIMEOUT_S, capture_output=True,
                env=child_environment(),  # never the database key
            )
            places.append("system")
        except (OSError, subprocess.SubprocessError):
            pass
    if not places:
        return False, "no clipboard available here; the text is shown instead"
    return True, f"copied to the {' and '.join(places)} clipboard"
