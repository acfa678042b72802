"""The refusals every part of db/ raises, at the bottom of db/ so that any module can raise them."""

from __future__ import annotations


class DatabaseError(Exception):
    """A problem with the database file that the user must act on (one clear line)."""


class AuditBroken(DatabaseError):
    """The audit trail, its triggers or its table have been tampered with: the database is read-only."""
