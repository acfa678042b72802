"""Run a program in a real pseudo-terminal and time what it paints, as a practitioner's terminal would see it.

"Painted" means: the bytes of a frame that shows every marker have reached the terminal. The clock starts
before the process is spawned (interpreter start-up and imports count) and stops when the terminal has read
that frame (to the end of its synchronized-output block if the app uses one). ANSI control sequences are
stripped before looking for the markers, so cursor moves between cells do not hide text.

Peak memory is the child's high-water resident set size (``VmHWM`` in ``/proc/PID/status``) read just before it
is stopped. Not ``ru_maxrss`` from ``wait4``: Linux carries a forked child's pre-``exec`` peak (a copy of this
benchmark process, which may hold a whole built service in memory) into that figure.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

_CONTROL = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")
SYNC_END = b"\x1b[?2026l"


class PaintTimeout(Exception):
    pass


@dataclass
class Session:
    """A program running in a pty: read its screen output, type keys, wait for text."""

    argv: list[str]
    env: dict[str, str]
    size: tuple[int, int] = (120, 36)
    raw: bytearray = field(default_factory=bytearray)
    started: float = 0.0

    def __post_init__(self) -> None:
        master, slave = os.openpty()
        cols, rows = self.size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            self.argv, stdin=slave, stdout=slave, stderr=slave, env=self.env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.text = b""
        self._eof = False

    def _read(self, timeout: float) -> bool:
        if self._eof:
            return False
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:  # EIO: the program closed the terminal
            self._eof = True
            return False
        if not chunk:
            self._eof = True
            return False
        self.raw += chunk
        return True

    def wait_for(self, *markers: bytes, since: int = 0, timeout: float = 60.0) -> float:
        """Seconds from spawn until output after byte ``since`` shows every marker (and its frame has ended)."""
        deadline = time.perf_counter() + timeout
        while True:
            window = bytes(self.raw[since:])
            plain = _CONTROL.sub(b"", window)
            if all(m in plain for m in markers):
                # Finish the frame: if the app uses synchronized output, read to the end of the block.
                last_start = window.rfind(b"\x1b[?2026h")
                if last_start == -1 or window.find(SYNC_END, last_start) != -1:
                    return time.perf_counter() - self.started
            if self._eof or time.perf_counter() > deadline:
                tail = _CONTROL.sub(b"", bytes(self.raw[-3000:]))
                raise PaintTimeout(f"{self.argv[0]}: no {markers!r} in the output; last text: {tail[-600:]!r}")
            self._read(0.05)

    def press(self, keys: bytes) -> int:
        """Type ``keys``; returns the output offset to wait from."""
        self.drain()
        mark = len(self.raw)
        os.write(self.master, keys)
        return mark

    def drain(self, quiet: float = 0.0) -> None:
        while self._read(quiet):
            pass

    def peak_kb(self) -> int | None:
        """The program's peak resident set size so far, in KiB (None where /proc is not available)."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
        return int(line.split()[1]) if line else None

    def finish(self, quit_keys: bytes | None = None, timeout: float = 10.0) -> int:
        """Stop the program (``quit_keys`` first, then SIGKILL); returns its peak RSS in KiB."""
        pid = self.proc.pid
        peak = self.peak_kb()
        if quit_keys:
            with contextlib.suppress(OSError):
                os.write(self.master, quit_keys)
        deadline = time.perf_counter() + (timeout if quit_keys is not None else 0)
        while True:
            # wait4 (not Popen.poll) so that the child's resource usage is ours to read.
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() > deadline:
                os.killpg(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
                break
            self._read(0.05)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        os.close(self.master)
        return peak if peak is not None else usage.ru_maxrss


def time_to_paint(argv: list[str], markers: list[bytes], env: dict[str, str], size=(120, 36)) -> float:
    s = Session(argv, env, size)
    try:
        return s.wait_for(*markers)
    finally:
        s.finish()
