"""What is derived from a database's events and kept while that database is open: every case's state, the
Caseload's rows, the cases near the breach clock.

One ``Derived`` per open database object, held beside it (a weak reference, so it goes when the database object
goes) rather than written onto it as loose attributes: what is kept, and its types, is declared here once.
``records.views`` and ``records.clocks`` say when each part is still current.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vocabulary.stages import CaseState

Fingerprint = Any  # what ``db.records.events_fingerprint`` returns: changes whenever an event is added


@dataclass
class Derived:
    # Each case's state with the fingerprint of its events when it was derived.
    states: dict[int, tuple[tuple[int, int], CaseState]] = field(default_factory=dict)
    # The events fingerprint at which every case was last derived (None: not yet).
    states_total: Fingerprint | None = None
    # The fingerprint at which only some cases were derived, and which.
    states_some: tuple[Fingerprint | None, frozenset[int]] = (None, frozenset())
    # The Caseload's rows and the database version and day they were read at.
    caseload: tuple[tuple[int, int, date], list[dict]] | None = None
    # The cases with two unacceptable absences, and the events fingerprint they were read at.
    absence_candidates: tuple[Fingerprint, list[int]] | None = None


_DERIVED: weakref.WeakKeyDictionary[Any, Derived] = weakref.WeakKeyDictionary()


def derived(db: Any) -> Derived:
    """What has been derived from ``db`` (an empty ``Derived`` the first time)."""
    found = _DERIVED.get(db)
    if found is None:
        found = _DERIVED[db] = Derived()
    return found
