"""Asking for a database key on the command line: from ``MHTR_KEY`` in scripts, else typed at a hidden prompt.

Never from an argument: a key on the command line would sit in the shell history and in the process list for
every account on the machine to read.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path


def _prompt(text: str) -> str | None:
    if not sys.stdin.isatty():
        return None
    try:
        return getpass.getpass(text)
    except EOFError:
        return None


def ask_key(path: Path) -> str | None:
    """The key of an existing encrypted database: ``MHTR_KEY``, or typed when run in a terminal."""
    from db.crypto import KEY_ENV

    return os.environ.get(KEY_ENV) or _prompt(f"Key for {path}: ")


def ask_new_key(path: Path, env: str) -> str | None:
    """A new key: from the environment variable ``env`` in scripts, else typed twice (checked to match)."""
    from db.crypto import check_new_key

    value = os.environ.get(env)
    if value:
        return check_new_key(value)
    first = _prompt(f"New key for {path} (at least 8 characters; it cannot be recovered if lost): ")
    if first is None:
        return None
    return check_new_key(first, _prompt("Type the new key again: "))
