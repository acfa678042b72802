"""How one audit row is hashed into the chain (``db.audit_chain``): the SQL function the schema's trigger calls
and the checks call again, so the two can never disagree about the encoding."""

from __future__ import annotations

import hashlib
import json
from json.encoder import encode_basestring

FIELDS = ("id", "at", "who", "tbl", "row_id", "action", "old", "new")
# The encoding of a row for its hash: json.dumps(..., ensure_ascii=False, separators=(",", ":")), made once (dumps
# builds a new encoder at every call with these options). ``link`` writes the usual fields itself and uses this for
# anything else.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def link(prev: str | None, *fields) -> str:
    """The hash of one audit row: SHA-256 over the previous row's hash and this row's fields, as JSON.

    Registered on every connection as the SQL function ``mhtr_audit_link`` that the chain trigger calls, and
    called again by the checks, so the two can never disagree about the encoding.

    An audit row holds text, whole numbers and NULLs: each is written here as the JSON encoder writes it (text
    through its own string escaper, ``encode_basestring``; a number by ``int.__repr__``; ``null``), joined with
    the same separators, so the bytes are exactly ``_ENCODE``'s, about half the time per row (it runs for every
    audited write, and for every row ``audit verify`` and each backup re-hash). Any other value is encoded by
    ``_ENCODE`` itself.
    """
    parts = [encode_basestring(prev or "")]
    for value in fields:
        if value is None:
            parts.append("null")
        elif type(value) is str:
            parts.append(encode_basestring(value))
        elif type(value) is int:
            parts.append(int.__repr__(value))
        else:
            parts = []
            break
    payload = "[" + ",".join(parts) + "]" if parts else _ENCODE([prev or "", *fields])
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def register(conn, name: str) -> None:
    """Make ``link`` available to the triggers of this connection as the SQL function ``name`` (the one the chain's
    trigger calls, ``db.schema.AUDIT_LINK``)."""
    conn.create_function(name, 1 + len(FIELDS), link, deterministic=True)
