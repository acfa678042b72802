"""Encryption at rest with SQLCipher, and the one place that opens a low-level database connection.

A database is encrypted or not from the moment it is created (``mhtr-tui init --encrypt``). An encrypted file
has no ``SQLite format 3`` header: every page, the write-ahead log and every backup are ciphertext. The key is a
passphrase typed when the app starts (or ``MHTR_KEY`` for scripted command-line use); it is never written to
disk and never taken from a command-line argument, where other accounts could read it in the process list.

Plain databases keep using the standard library's ``sqlite3``; ``sqlcipher3`` (a wheel with SQLCipher built in,
no system library needed) is imported only when an encrypted file is opened, so plain use starts as fast as
before. SQLCipher's own error logging is switched off: a wrong key must give one clear line, not library noise.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import unicodedata
import weakref
from collections.abc import Callable
from pathlib import Path

from db.errors import DatabaseError

KEY_ENV = "MHTR_KEY"
NEW_KEY_ENV = "MHTR_NEW_KEY"
MIN_KEY_LENGTH = 8
SQLITE_HEADER = b"SQLite format 3\x00"

# What callers may pass as ``key``: the passphrase, a function asked for it (given the path), or None (MHTR_KEY).
KeySource = str | Callable[[Path], str | None] | None


class KeyRequired(DatabaseError):
    """An encrypted database was opened with no key to hand."""


class WrongKey(DatabaseError):
    """The key given does not open this database."""


class BadNewKey(DatabaseError):
    """A new key that is refused (too short, or the two typings differ)."""


def is_encrypted(path: Path | str) -> bool:
    """True for a non-empty file without the plain SQLite header (an SQLCipher database, or not a database)."""
    try:
        head = read_head(Path(path), len(SQLITE_HEADER))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    return len(head) > 0 and head != SQLITE_HEADER


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path``, read without ever closing a descriptor of a file SQLite holds.

    SQLite's locks are POSIX advisory locks, and POSIX drops every lock a process holds on a file as soon as
    the process closes *any* descriptor of that file. Reading the header with a fresh ``open()`` while this
    process has the database open (the app's second connection, a backup taken from inside the app) would
    silently release the app's locks: another copy closing would then take the database for its own, fold the
    log into the file and delete it under the app, and the app's later writes would be lost. So when this
    process already has the file open, the header is read through that descriptor (``pread`` moves nothing).
    """
    st = os.stat(path)
    for fd in _own_descriptors():
        try:
            mine = os.fstat(fd)
            if (mine.st_dev, mine.st_ino) == (st.st_dev, st.st_ino):
                return os.pread(fd, size, 0)
        except OSError:  # closed meanwhile, or opened write-only: try the next one
            continue
    with open(path, "rb") as fh:
        return fh.read(size)


def _own_descriptors() -> list[int]:
    """This process's open file descriptors (Linux ``/proc/self/fd``, BSD and macOS ``/dev/fd``)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            return [int(name) for name in os.listdir(folder) if name.isdigit()]
        except OSError:
            continue
    return []  # pragma: no cover - no way to list them: fall back to a plain read


class PlainWithKey(DatabaseError):
    """``MHTR_KEY`` is set, but the database being made or opened is not encrypted."""


def key_in_environment() -> bool:
    """Whether ``MHTR_KEY`` is set (to anything but nothing): the records here are meant to be encrypted."""
    return bool(os.environ.get(KEY_ENV))


def refuse_plain_with_key(path: Path, encrypted: bool, *, new: bool) -> None:
    """While ``MHTR_KEY`` is set, refuse to make or open a plain database at ``path``.

    Someone who set the key expects encryption; a mistyped ``--db`` (or a plain file put where the encrypted one
    was) must not silently receive a client's name in clear. The refusal says how to go on either way.
    """
    if encrypted or not key_in_environment():
        return
    if new:
        raise PlainWithKey(
            f"{KEY_ENV} is set, so a database made at {path} must be encrypted: use `mhtr-tui init --encrypt`; "
            "nothing was created"
        )
    raise PlainWithKey(
        f"{path} is not encrypted, but {KEY_ENV} is set; nothing was read or written. Encrypt it with "
        f"`mhtr-tui rekey` (the new key in {NEW_KEY_ENV}), or unset {KEY_ENV} to use it unencrypted"
    )


def child_environment() -> dict[str, str]:
    """The environment for any process the app starts (the clipboard tool, anything else): this process's own,
    without ``MHTR_KEY`` and ``MHTR_NEW_KEY``. A child inherits its parent's environment, and the key would reach
    a program that has no use for it and might log it, crash with it in a core file, or pass it on again."""
    return {k: v for k, v in os.environ.items() if k not in (KEY_ENV, NEW_KEY_ENV)}


def no_core_dumps() -> None:
    """Switch core dumps off for this process (the limit the kernel and crash reporters read, the soft one, set
    to 0): a crash must not write the key, or the records held in memory, to a core file. Called first thing by
    ``mhtr_tui.main``. Crash reporters that take dumps through a pipe (systemd-coredump, apport) read the same
    limit and keep nothing. The hard limit is left as it is, so a program started afterwards by the same shell
    (or a test run) is not changed for good."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    except (ImportError, ValueError, OSError):  # pragma: no cover - no such limit on this system
        pass


def normal_key(key: str) -> str:
    """The key as SQLCipher receives it: Unicode NFC, so the same passphrase typed on another keyboard or system
    (an accent as one character or as a letter plus a combining mark) opens the same database."""
    return unicodedata.normalize("NFC", key)


def _is_text(key: str) -> bool:
    """False for a key holding bytes that are not UTF-8 (Python keeps them from the environment as surrogates)."""
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def resolve_key(path: Path, key: KeySource) -> str:
    """The passphrase for ``path``: given directly, asked for through ``key(path)``, or read from ``MHTR_KEY``."""
    secret = key(path) if callable(key) else key
    if secret is None:
        secret = os.environ.get(KEY_ENV)
    if not secret:
        raise KeyRequired(f"{path} is encrypted: type its key when asked, or set {KEY_ENV} for scripted use")
    if not _is_text(secret):
        raise WrongKey(f"wrong key for {path} (it holds bytes that are not UTF-8 text)")
    return secret


def check_new_key(key: str | None, again: str | None = None) -> str:
    """Refuse a new key that cannot protect anything (fewer than 8 characters besides spaces), that is not text,
    or that was typed differently the second time; return it NFC-normalised (``normal_key``)."""
    if key and not _is_text(key):
        raise BadNewKey("the key holds bytes that are not UTF-8 text; choose another (nothing was changed)")
    if not key or sum(not ch.isspace() for ch in key) < MIN_KEY_LENGTH:
        raise BadNewKey(
            f"the key must have at least {MIN_KEY_LENGTH} characters besides spaces; nothing was changed"
        )
    if "\x00" in key:
        raise BadNewKey("the key cannot contain a NUL character; nothing was changed")
    if again is not None and normal_key(again) != normal_key(key):
        raise BadNewKey("the two keys typed differ; nothing was changed")
    return normal_key(key)


def _quote(key: str) -> str:
    return "'" + key.replace("'", "''") + "'"


def sqlcipher():
    """The SQLCipher driver, imported on first use, with its stderr logging silenced (process-wide)."""
    already = "sqlcipher3" in sys.modules
    try:
        import sqlcipher3
    except ImportError:  # pragma: no cover - a broken install
        raise DatabaseError("encrypted databases need the sqlcipher3 package: pip install sqlcipher3") from None
    if not already:
        quiet = sqlcipher3.connect(":memory:")
        quiet.execute("PRAGMA cipher_log_level = NONE")
        quiet.close()
    return sqlcipher3


def driver_errors(name: str) -> tuple[type[BaseException], ...]:
    """The exception class ``name`` (e.g. ``OperationalError``) of both drivers, for ``except`` clauses."""
    classes: list[type[BaseException]] = [getattr(sqlite3, name)]
    cipher = sys.modules.get("sqlcipher3")
    if cipher is not None:
        classes.append(getattr(cipher, name))
    return tuple(classes)


def open_raw(path: Path | str, key: str | None, *, readonly: bool = False, timeout: float = 10.0) -> sqlite3.Connection:
    """A driver connection to ``path`` in autocommit mode, checked readable before it is returned.

    ``key`` None opens a plain database with ``sqlite3``; a key opens it with SQLCipher, NFC-normalised
    (``normal_key``); a database made before keys were normalised, with a key typed in another normal form, still
    opens with the key exactly as typed. A key that does not decrypt the file raises ``WrongKey`` (one line); a
    plain file that is not a database raises ``DatabaseError``. Nothing is written to the file by opening it.
    """
    path = Path(path)
    if key is None:
        return _open_one(path, None, readonly=readonly, timeout=timeout)
    if not _is_text(key):  # it would reach SQLCipher as a UnicodeEncodeError traceback
        raise WrongKey(f"wrong key for {path} (it holds bytes that are not UTF-8 text)")
    try:
        return _open_one(path, normal_key(key), readonly=readonly, timeout=timeout)
    except WrongKey:
        if normal_key(key) == key:
            raise
        return _open_one(path, key, readonly=readonly, timeout=timeout)


def _open_one(path: Path, key: str | None, *, readonly: bool, timeout: float) -> sqlite3.Connection:
    module = sqlite3 if key is None else sqlcipher()
    target, uri = str(path), False
    if readonly:
        target, uri = path.resolve().as_uri() + "?mode=ro", True
    try:
        conn = module.connect(target, timeout=timeout, isolation_level=None, check_same_thread=False, uri=uri)
    except module.Error as exc:  # a folder, no permission, a missing folder on the way
        raise DatabaseError(f"cannot open {path} ({exc})") from None
    try:
        if key is not None:
            conn.execute(f"PRAGMA key = {_quote(key)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError:
        conn.close()
        if key is not None:
            raise WrongKey(f"wrong key for {path}") from None
        if is_encrypted(path):
            raise KeyRequired(
                f"{path} is encrypted: type its key when asked, or set {KEY_ENV} for scripted use"
            ) from None
        raise DatabaseError(f"{path} is not an mhtr-tui database, or is damaged beyond reading") from None
    return conn


def rekey_connection(conn, new_key: str) -> None:
    """Re-encrypt every page of an open encrypted database with ``new_key`` (one transaction inside SQLCipher)."""
    conn.execute(f"PRAGMA rekey = {_quote(normal_key(new_key))}")


def export_encrypted(plain: Path, dest: Path, key: str) -> None:
    """Write an encrypted copy of the plain database ``plain`` to the empty file ``dest`` (schema, data, version)."""
    cipher = sqlcipher()
    conn = cipher.connect(str(plain), isolation_level=None)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"ATTACH DATABASE {_quote(str(dest))} AS encrypted KEY {_quote(normal_key(key))}")
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


# The key of each open encrypted database, held in memory only for as long as the database object lives, so a
# backup can be verified by reopening it. Never written anywhere.
_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def remember_key(db, key: str | None) -> None:
    if key is not None:
        _KEYS[db] = key


def key_of(db) -> str | None:
    """The key an open database was opened with (None for a plain database)."""
    return _KEYS.get(db)


