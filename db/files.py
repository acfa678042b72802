"""Files and folders readable by their owner only, written whole or not at all.

The app writes identifiable health data (the database, backups, letters, exports). Whatever the user's umask,
every folder it creates is 0700 and every file 0600, set on the open descriptor before a byte is written, so
there is no moment when another account could read it. A file appears under its final name only once it is
complete (temporary name in the same folder, fsync, ``os.replace``), so a crash never leaves half a letter.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700

# The application and company a Word document or workbook names in its extended properties (docProps/app.xml).
APPLICATION = "mhtr-tui"
APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>{application}</Application><Company>{company}</Company><DocSecurity>0</DocSecurity>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)


def app_xml(company: str) -> bytes:
    """docProps/app.xml of an Office file this app writes: the app as application, ``company`` (the service).

    Its XML escape is imported here: ``xml.sax.saxutils`` brings urllib, http and email with it (about 8 ms), and
    every start of the app and of every command imports this module for its private files."""
    from xml.sax.saxutils import escape

    return APP_XML.format(application=APPLICATION, company=escape(company or "")).encode("utf-8")


def written_at(now: datetime | None) -> datetime:
    """The moment a file is written, as document properties store it (UTC, no time zone, whole seconds): the run's
    clock ``now`` when the caller has one (naive = local time), else the moment of writing itself."""
    return (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None, microsecond=0)


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


class OutputRefused(ValueError):
    """A place to write (``-o PATH``, a backup destination) that cannot be used as typed; one line for the user.

    Callers raise it again as their own refusal (``ValidationError``, ``DatabaseError``): this module sits below
    both and imports neither.
    """


def names_folder(typed: Path | str) -> bool:
    """Whether what the user typed names a folder: one that exists, or any path ending in a separator.

    Asked of the text as typed, because ``Path()`` drops a trailing separator: ``-o ~/sar/`` for a folder that
    does not exist yet used to become a file named ``sar``, and ``backup /media/usb/`` a file named ``usb``.
    """
    text = os.fspath(typed)
    ends = text.endswith(os.sep) or (os.altsep is not None and text.endswith(os.altsep))
    return ends or Path(text).expanduser().is_dir()


def _usable_folder(folder: Path, shown: str, *, create: bool) -> None:
    """Refuse a folder to write into that is a file, or missing where it may not (or cannot simply) be made.

    ``create`` True: a missing folder is acceptable when its parent exists (the writer makes it owner-only,
    see ``private_dir``); a missing parent too means a mistyped path, and a tree of folders is not made for it.
    ``create`` False: a missing folder is refused (a backup to an unmounted drive's folder would otherwise land
    on the internal disk).
    """
    if folder.is_dir():
        return
    if folder.exists():
        raise OutputRefused(f"{shown} is a file, not a folder (nothing was written)")
    if not create:
        raise OutputRefused(f"no folder {shown} — is the drive connected? (nothing was written)")
    if not folder.parent.is_dir():
        raise OutputRefused(
            f"no folder {folder.parent}{os.sep} to make {folder.name} in; create it first (nothing was written)"
        )


def resolve_output(
    typed: Path | str | None,
    default_name: str | Callable[[Path], str],
    *,
    default_folder: Path | None = None,
    create_folder: bool = True,
) -> Path:
    """Where a command writes, from the ``-o PATH`` the user typed: the one rule for every command.

    - nothing typed: ``default_name`` in ``default_folder`` (a folder the app chose, made by the writer as
      needed), else in the current folder, as a relative path;
    - a folder (it exists, or the text ends in a separator): ``default_name`` inside it;
    - anything else: that file name, in its folder.

    The folder written into must exist, or (``create_folder``) have a parent that exists, so that the writer
    makes just that one folder owner-only (0700, through ``write_private``/``private_dir``); nothing is created
    here, so a refusal further on leaves no empty folder behind. ``create_folder`` False refuses a missing folder
    outright (backups). ``default_name`` may be a function of the folder, for names that avoid ones taken.
    Raises ``OutputRefused`` with one line.
    """
    def named(folder: Path) -> Path:
        return folder / (default_name(folder) if callable(default_name) else default_name)

    if typed is not None and "\x00" in os.fspath(typed):  # no file system takes it in a name
        raise OutputRefused("a file name cannot hold a NUL character (nothing was written)")
    if typed is None or not os.fspath(typed).strip() or names_folder(typed):
        return named(output_folder(typed, default_folder=default_folder, create_folder=create_folder))
    target = Path(os.fspath(typed)).expanduser()
    _usable_folder(target.parent, f"{target.parent}{os.sep}", create=create_folder)
    return target


def output_folder(
    typed: Path | str | None, *, default_folder: Path | None = None, create_folder: bool = True
) -> Path:
    """The folder a command writes into when what it writes is several files (the weekly share's pair, a CSV
    return): what the user typed, slash or not, under the same rule as ``resolve_output``; nothing typed gives
    ``default_folder`` (else the current folder). Raises ``OutputRefused`` with one line."""
    if typed is None or not os.fspath(typed).strip():
        return default_folder if default_folder is not None else Path()
    text = os.fspath(typed)
    folder = Path(text).expanduser()
    _usable_folder(folder, text if text.endswith(os.sep) else text + os.sep, create=create_folder)
    return folder


def create_private(path: Path | str) -> Path:
    """Create an empty owner-only file at ``path`` if none exists (SQLite then keeps its mode for journals)."""
    path = Path(path)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def append_private(path: Path | str, text: str) -> Path:
    """Add ``text`` to the end of an owner-only file at ``path``, creating it if missing (a log: appended to, never
    rewritten, so an entry already written survives whatever happens to the next)."""
    path = Path(path)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        os.write(fd, text.encode("utf-8", "replace"))
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
