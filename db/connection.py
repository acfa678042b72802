"""Opening the one SQLite file the app keeps: checked, migrated after a backup, its audit trail checked.

The top of db/'s infrastructure: it brings together the key (``db.crypto``), the health check
(``db.health``, ``db.verified``), the schema (``db.schema``), the audit chain (``db.audit_chain``), backups
(``db.backup``) and a rekey stopped part-way (``db.rekey``). Writes follow ``db.transaction``.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from db.database import Database
from db.errors import AuditBroken, DatabaseError
from db.paths import no_database

if TYPE_CHECKING:
    from db.audit_chain import Head

BUSY_TIMEOUT_S = 10.0


def current_user() -> str:
    """Who is making changes, for the audit trail: ``MHTR_USER`` or the login name.

    The audit triggers ask once per transaction (``db.transaction.audit_author``); the login name is looked up once
    per process.
    """
    return os.environ.get("MHTR_USER") or _login_name()


@functools.cache
def _login_name() -> str:
    import getpass  # here: the app's first frame writes nothing, and only a write asks who is making it

    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name in some containers
        return "unknown"


def connect(
    path: Path | str, *, create: bool = False, key=None, encrypt: bool = False, hold_audit_check: bool = False
) -> Database:
    """Open the database at ``path`` (``create``: make it if there is none), check it, apply pragmas and bring the
    schema up to date.

    Only ``init``, ``demo`` and the app's first-start screen pass ``create``; everywhere else a missing (or empty)
    file is refused with ``NoDatabase``. ``key`` opens an encrypted database: the passphrase, or a function called
    with the path that returns it (the app's prompt); left out, ``MHTR_KEY`` is used. Plain databases ignore it. A
    new file is encrypted only when ``encrypt`` is true. While ``MHTR_KEY`` is set nothing plain is created or
    opened (``PlainWithKey``): the variable says the records are meant to be encrypted. A new file that fails to
    be made is removed again, so a failed ``init`` leaves nothing behind. An existing file must pass
    ``quick_check`` before anything is written to it, and a pending migration runs only after a verified backup.
    The start-up check of the audit trail runs here too, unless ``hold_audit_check`` (the app, to show Today
    first): then every write waits for it (``Database.hold_writes``) and the app runs it right after its first
    frame. Raises ``DatabaseError`` subclasses with one line: ``KeyRequired``, ``WrongKey`` (db.crypto),
    ``DamagedDatabase`` (db.health, naming the backup to restore; also for an encrypted file whose first page is
    damaged, which reads as a wrong key, when the key opens the latest backup).
    """
    from db import crypto

    path = Path(path)
    memory = str(path) == ":memory:"
    new = memory or not path.exists() or path.stat().st_size == 0
    if new and not memory and not create:
        raise no_database(path)
    if not memory:
        crypto.refuse_plain_with_key(path, encrypt if new else crypto.is_encrypted(path), new=new)
    if not new or memory:
        return _open(path, new=memory, key=key, encrypt=encrypt, hold_audit_check=hold_audit_check)
    try:
        return _open(path, new=True, key=key, encrypt=encrypt, hold_audit_check=hold_audit_check)
    except BaseException:
        # It was missing or empty before: nothing is lost, and a half-made file is never taken up by a later
        # command as a database (a 0-byte file left by a failed ``init --encrypt`` became a plain one).
        for leftover in (path, *(Path(f"{path}{side}") for side in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
        raise


def _open(path: Path, *, new: bool, key, encrypt: bool, hold_audit_check: bool = False) -> Database:
    from db import crypto, guard, health, rekey, verified
    from db.files import create_private, private_dir

    memory = str(path) == ":memory:"
    secret = None
    if not memory:
        if new and encrypt:
            secret = crypto.check_new_key(crypto.resolve_key(path, key))
        elif not new and crypto.is_encrypted(path):
            secret = crypto.resolve_key(path, key)
        if new:
            private_dir(path.parent)
            create_private(path)  # owner-only before SQLite writes anything; journals inherit the mode
        elif _wal_has_frames(path):
            # After a crash: check through a read-only connection, so that a damaged file is not written to
            # even by the checkpoint SQLite runs when the last connection closes.
            probe = health.open_existing(path, secret, readonly=True, timeout=BUSY_TIMEOUT_S)
            try:
                health.require_sound(probe, path)
            finally:
                probe.close()
    if new:
        conn = crypto.open_raw(path, secret, timeout=BUSY_TIMEOUT_S)
    else:
        conn = health.open_existing(path, secret, timeout=BUSY_TIMEOUT_S)
    try:
        if not new:
            verified.require_sound(conn, path)  # quick_check, unless this unchanged file passed it today
        conn.execute("PRAGMA foreign_keys = ON")
        # As sqlite-utils has always set it (db.database makes its Database later, once the guard refuses pragmas).
        conn.execute("PRAGMA recursive_triggers = ON")
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # a confirmed save survives power loss, not just a crash
        conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temporary files
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    except BaseException:
        conn.close()
        raise
    db = Database(conn)  # reads straight on the connection; sqlite-utils for writes, made on first use
    from db.transaction import audit_author

    conn.create_function("mhtr_user", 0, audit_author(db, current_user), deterministic=False)
    crypto.remember_key(db, secret)
    guard.install(db)  # no schema change from here on, except in a migration
    try:
        check = functools.partial(_check_audit, db, None if memory else path, new)
        if hold_audit_check and not _migration_due(db, new):
            from db.schema import AUDIT_LINK

            conn.create_function(AUDIT_LINK, -1, _load_audit_link, deterministic=True)
            db.hold_writes(functools.partial(check, link=True))
        else:
            # The head recorded outside, read before a migration's backup records one of its own.
            check = functools.partial(check, _recorded_head(None if memory else path, new))
            _register_audit_link(db)
            _migrate_with_backup(db, path, new)
            check()
        if not memory and not new:
            rekey.settle_rekey(path, secret)  # a rekey stopped part-way: no backup stays on a key gone by
    except BaseException:
        db.close()
        raise
    return db


def _register_audit_link(db: Database) -> None:
    """The hash the audit trail's trigger computes (``db.audit_link``), made available before anything is written.
    The app's open holds every write for the start-up check and registers it with that check (``_check_audit``),
    which keeps the hashing (OpenSSL's, about 1.5 ms to load) out of the first frame; an open that migrates
    writes at once and registers it first."""
    from db import audit_link
    from db.schema import AUDIT_LINK

    audit_link.register(db.conn, AUDIT_LINK)


def _load_audit_link(*fields) -> str:
    """The audit hash under its SQL name while the app's writes are held, before ``_register_audit_link``: SQLite
    compiles a write, trigger and all, before ``query_only`` refuses it, and needs the name to exist for that. No
    write runs meanwhile; should anything call it, it is the same hash (the registered one takes over after)."""
    from db.audit_link import link

    return link(*fields)


def _migration_due(db: Database, new: bool) -> bool:
    """Whether opening writes before the start-up check: a new file's schema, or a migration."""
    from db.schema import MIGRATIONS, schema_version

    return new or schema_version(db) < len(MIGRATIONS)


def _recorded_head(path: Path | None, new: bool) -> tuple[Head | None, str]:
    """The head the start-up check compares with, and where it was recorded (``db.audit_chain.recorded_head``)."""
    from db import audit_chain

    return (None, "") if new or path is None else audit_chain.recorded_head(path)


def _check_audit(
    db: Database,
    path: Path | None,
    new: bool = False,
    recorded: tuple[Head | None, str] | None = None,
    *,
    link: bool = False,
) -> None:
    """The start-up check of the audit trail (``db.audit_chain.start_problem``): on a finding the database stays
    open for reading only, every write refused with the finding and the restore command; when it passes, the
    head is kept in the note beside the database for the next start to compare with. A ``new`` file always
    records its head, empty or not, so that what an earlier file at the same path left (its note, its backups)
    is never taken for this one's. ``recorded``: the head recorded outside (``_recorded_head``), else read here,
    before the check rewrites the note it is kept in (only this check writes the head there, and nothing is
    written before it). ``link``: register the audit hash first (the app's held open, ``_register_audit_link``)."""
    from db import audit_chain
    from db.transaction import make_read_only

    if link:
        _register_audit_link(db)
    head, where = recorded or _recorded_head(path, new)
    finding, now = audit_chain.start_problem(db, head, where)
    if finding is not None:
        make_read_only(db, str(audit_chain.broken(path, finding)))
        return
    db.conn.execute("PRAGMA query_only = OFF")  # writes held for this check (``Database.hold_writes``) go ahead
    if path is not None and (now != head or new):
        audit_chain.record_head(path, now or audit_chain.EMPTY)


def is_new(path: Path | str) -> bool:
    """Whether ``path`` holds no database yet (missing, or an empty file): what ``building`` may make there."""
    path = Path(path)
    return str(path) != ":memory:" and (not path.exists() or path.stat().st_size == 0)


def building_path(path: Path | str) -> Path:
    """Where ``building`` makes the database for ``path``: beside it, under a name the app never opens."""
    path = Path(path)
    return path.with_name(f".{path.name}.building")


_SIDE_FILES = ("-wal", "-shm", "-journal", "-checked")


@contextlib.contextmanager
def building(path: Path | str, *, encrypt: bool = False) -> Iterator[Database]:
    """A brand-new database for ``path`` (``is_new``), filled in the block and put in place only when whole.

    Filling a new database (the demo's thousands of audited rows) needs none of the durability a live one
    has: nothing in it exists anywhere else yet, and a build stopped part-way is simply made again. So it is
    made beside ``path`` (``building_path``) with its journal in memory and no syncs, then, after the block:
    journal and syncs back as every open sets them (``_open``), the file checked, written to disk, and only then
    renamed to ``path``; the chain's head is kept beside it for the next start-up check to compare with.
    A block that raises, or a check that fails, leaves nothing at ``path`` and removes the part-built file.

    The check is ``PRAGMA quick_check`` (the pages, written with no syncs) and the audit check every open makes
    (``db.audit_chain.start_problem``: the trail's table and triggers exactly as the schema defines them, the
    newest ``TAIL`` rows re-hashed), not the whole chain re-hashed as a backup's is. A backup copies a file that
    others have written to for years; every row of this one was hashed moments ago by the chain's trigger on this
    connection, with the function a re-hash calls (``db.audit_link.link``), in a file nobody else writes
    (owner-only, under a name the app never opens). A hash can come from nowhere else: the trail refuses any other
    update of it, and the schema (its triggers) cannot change outside a migration (``db.guard``), so a re-hash
    would only compute every hash a second time (about 0.6 s of a 2,000-client demo). ``audit verify`` re-hashes
    the whole trail whenever asked.
    """
    from db import audit_chain, health
    from db.files import fsync_dir, fsync_file

    path = Path(path)
    if not is_new(path):
        raise DatabaseError(f"{path} already holds a database; a new one is built only where there is none")
    part = building_path(path)
    leftovers = [part, *(Path(f"{part}{side}") for side in _SIDE_FILES)]
    for leftover in leftovers:  # from a build that was stopped
        leftover.unlink(missing_ok=True)
    db = connect(part, create=True, encrypt=encrypt)
    try:
        db.conn.execute("PRAGMA journal_mode = MEMORY")
        db.conn.execute("PRAGMA synchronous = OFF")
        yield db
        db.conn.execute("PRAGMA journal_mode = WAL")
        db.conn.execute("PRAGMA synchronous = FULL")
        health.require_sound(db.conn, part)
        finding, head = audit_chain.start_problem(db)
        if finding is not None:
            raise AuditBroken(finding)
        db.close()
        fsync_file(part)
        if not is_new(path):  # made meanwhile by another command: that one stays
            raise DatabaseError(f"{path} was made by another command meanwhile; this one was not put in its place")
        os.replace(part, path)
        fsync_dir(path.parent)
        for leftover in leftovers[1:]:  # the part-built file's own note and logs, gone with its name
            leftover.unlink(missing_ok=True)
        audit_chain.record_head(path, head or audit_chain.EMPTY, keep_identity=False)
    except BaseException:
        db.close()
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        raise


def open_database(path: Path | str, key_provider=None, *, create: bool = False) -> Database:
    """For the app: open ``path``, asking ``key_provider(path)`` for the key only if the file is encrypted.

    A wrong key raises ``db.crypto.WrongKey`` ("wrong key for <path>"): ask again. A damaged file raises
    ``db.health.DamagedDatabase`` instead, even when the damage looks like a wrong key: asking again cannot help.
    """
    return connect(path, create=create, key=key_provider)


def needs_key(path: Path | str) -> bool:
    """Whether ``path`` is an encrypted database, so the app shows its key prompt before opening it."""
    from db.crypto import is_encrypted

    return is_encrypted(path)


def _wal_has_frames(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _migrate_with_backup(db: Database, path: Path, new: bool) -> None:
    from db.schema import MIGRATIONS, migrate, schema_version

    current = schema_version(db)
    saved = None
    if not new and 0 < current < len(MIGRATIONS):
        from db.backup import backup

        saved = backup(db, reason="before-migration")
    try:
        migrate(db)
    except DatabaseError:
        raise
    except Exception as exc:
        where = f"; the copy made before is {saved}" if saved else ""
        raise DatabaseError(
            f"could not update {path} to this version of mhtr-tui ({exc}); the failed step was undone{where}"
        ) from None


