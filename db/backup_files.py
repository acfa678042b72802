"""Which files are this database's backups: their folder, their dated names and the newest usable one.

Apart from making and restoring backups (``db.backup``), so that the health check and the audit chain can name
the backup to restore without depending on how backups are made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

BACKUP_DIR = "backups"


DAMAGED = "damaged"


NAME = re.compile(
    r"^(?P<stem>.+)-(?P<day>\d{4}-\d{2}-\d{2})-(?P<time>\d{6})(?:-(?P<n>\d+))?(?:-(?P<reason>[a-z][a-z-]*))?\.db$"
)


@dataclass(frozen=True)
class Backup:
    path: Path
    when: datetime
    reason: str | None  # None: daily or by hand; else e.g. 'before-migration', 'before-restore', 'damaged'
    n: int = 0


def backups_dir(db_path: Path | str) -> Path:
    return Path(db_path).parent / BACKUP_DIR


def backup_name(stem: str, when: datetime, reason: str | None = None, n: int = 0) -> str:
    return f"{stem}-{when:%Y-%m-%d-%H%M%S}" + (f"-{n}" if n else "") + (f"-{reason}" if reason else "") + ".db"


def parse_name(path: Path, stem: str) -> Backup | None:
    m = NAME.match(path.name)
    if not m or m["stem"] != stem:
        return None
    try:
        when = datetime.strptime(f"{m['day']} {m['time']}", "%Y-%m-%d %H%M%S")
    except ValueError:
        return None
    return Backup(path, when, m["reason"], int(m["n"] or 0))


def list_backups(db_path: Path | str) -> list[Backup]:
    """This database's backups in its ``backups`` folder, oldest first."""
    db_path = Path(db_path)
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    found = [parse_name(p, db_path.stem) for p in folder.iterdir() if p.suffix == ".db"]
    return sorted((b for b in found if b is not None), key=lambda b: (b.when, b.n))


def is_backup(path: Path | str) -> bool:
    """Whether ``path`` is one of the app's backups: a backup's dated name in a ``backups`` folder.

    Opening a backup to look at it (``--db backups/mhtr-....db``) must not start a rotation of backups of it in
    ``backups/backups/``. Both marks are required, because a false "yes" is the worse mistake: a working database
    that happens to live in a folder called ``backups``, or a copy put back by hand that kept its dated name,
    would silently never be backed up again.
    """
    path = Path(path)
    return path.parent.name == BACKUP_DIR and NAME.match(path.name) is not None


def latest_backup(db_path: Path | str) -> Path | None:
    """The newest backup that restore can use (a damaged copy moved aside never counts)."""
    usable = [b for b in list_backups(db_path) if b.reason != DAMAGED]
    return usable[-1].path if usable else None
