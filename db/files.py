"""Files and folders readable by their owner only, written whole or not at all.

The app writes identifiable health data (the database, backups, letters, exports). Whatever the user's umask,
every folder it creates is 0700 and every file 0600, set on the open descriptor before a byte is written, so
there is no moment when another account could read it. A file appears under its final name only once it is
complete (temporary name in the same folder, fsync, ``os.replace``), so a crash never leaves half a letter.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path | str) -> Path:
    """Create ``path`` and any missing parents as 0700 folders; existing folders are left as they are.

    (``Path.mkdir(parents=True, mode=...)`` gives the missing parents the umask's mode, not ``mode``.)
    """
    path = Path(path)
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask; make it exact
    return path


def create_private(path: Path | str) -> Path:
    """Create an empty owner-only file at ``path`` if none exists (SQLite then keeps its mode for journals)."""
    path = Path(path)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def fsync_dir(folder: Path | str) -> None:
    """Make a rename or a new file in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def fsync_file(path: Path | str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_beside(path: Path | str, suffix: str = ".tmp") -> Path:
    """A new empty owner-only file in ``path``'s folder, named so it is plainly not the finished file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
    return Path(tmp)


def write_private(path: Path | str, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` as an owner-only file that appears whole or not at all.

    The parent folder is created owner-only if missing. An existing file is kept unless ``overwrite`` is
    true (``FileExistsError`` otherwise), so a letter or export never silently replaces another.
    """
    path = Path(path)
    private_dir(path.parent)
    if path.exists() and not overwrite:
        raise FileExistsError(path)
    tmp = temp_beside(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if someone created the file meanwhile; never replaces it
            except FileExistsError:
                raise
            except OSError:  # pragma: no cover - a file system without hard links
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise
    fsync_dir(path.parent)
    return path
