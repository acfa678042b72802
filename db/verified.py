"""The start-up health check without reading an unchanged file through at every start.

``PRAGMA quick_check`` reads every page: about 0.4 s for a ten-year service (350 MB), paid by every start of
the app and every command, most of the start-up time (bench/RESULTS.md). A file that has not changed since it
last passed the check cannot have been damaged by anything the check looks for, so the check is remembered in
a small owner-only note beside the database (``<db>-checked``) whose first line holds the file's identity:
device, inode, size, modification and change times (the change time moves on any write and cannot be set back
by hand) and the day. (The audit chain's head follows it on the next line, see ``db.audit_chain``.) The check
runs again when any of those differ, on the first start of each day, and whenever the write-ahead log holds
frames (another copy is open, or the last one did not close cleanly), since the log's pages are not in the main
file's identity.
"""

from __future__ import annotations

import contextlib
import os
from datetime import date
from pathlib import Path

from db.files import write_private
from db.health import require_sound as check


def _identity(path: Path) -> str:
    st = os.stat(path)
    return f"{date.today().isoformat()} {st.st_dev} {st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"


def note_path(path: Path | str) -> Path:
    """Where the note of the last passed check is kept (beside the database, owner-only)."""
    return Path(f"{path}-checked")


def _log_has_frames(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def require_sound(conn, path: Path | str) -> None:
    """``db.health.require_sound`` unless this very file passed it earlier today and has not changed since.

    Raises ``DamagedDatabase`` (naming the backup to restore) as the full check does.
    """
    path = Path(path)
    settled = not _log_has_frames(path)
    before = _identity(path)  # taken before the check, so a change during it is never counted as checked
    note = note_path(path)
    try:
        lines = note.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    if settled and lines and lines[0] == before:
        return
    check(conn, path)
    if settled:
        # The lines after the first are the audit chain's head, kept by ``db.audit_chain.record_head``.
        text = "\n".join([before, *lines[1:]]) + "\n"
        with contextlib.suppress(OSError):  # a read-only folder: the check simply runs again next time
            write_private(note, text.encode(), overwrite=True)
