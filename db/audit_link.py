"""How one audit row is hashed into the chain (``db.audit_chain``): the SQL function the schema's trigger calls
and the checks call again, so the two can never disagree about the encoding."""

from __future__ import annotations

import json
from hashlib import sha256 as _sha256
from json.encoder import encode_basestring as _text
from typing import Any

FIELDS = ("id", "at", "who", "tbl", "row_id", "action", "old", "new")
# The encoding of a row for its hash: json.dumps(..., ensure_ascii=False, separators=(",", ":")), made once (dumps
# builds a new encoder at every call with these options). ``link`` writes the usual fields itself and uses this for
# anything else.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def link(prev: str | None, id_: Any, at: Any, who: Any, tbl: Any, row_id: Any, action: Any, old: Any, new: Any) -> str:
    """The hash of one audit row: SHA-256 over the previous row's hash and this row's fields (``FIELDS``), as JSON.

    Registered on every connection as the SQL function ``mhtr_audit_link`` that the chain trigger calls, and
    called again by the checks, so the two can never disagree about the encoding.

    The JSON is exactly ``_ENCODE``'s (every chain already stored was hashed that way). The trigger calls this for
    every audited write, and the checks for every row they re-hash, with what the audit table holds: text, whole
    numbers (its id and the row's) and NULLs. That row is written here in one piece: each text through the
    encoder's own string escaper (``encode_basestring``), each whole number as the encoder writes it (``int``'s
    repr, which an f-string gives for an exact ``int``), NULL as ``null``, with the encoder's separators. Anything
    else (a number where text belongs, a real number, a blob) goes through ``_row_json``.
    """
    if type(id_) is int and (type(row_id) is int or row_id is None):
        try:
            payload = (
                f'[{_text(prev or "")},{id_},{_text(at)},{_text(who)},{_text(tbl)},'
                f'{"null" if row_id is None else row_id},{_text(action)},'
                f'{"null" if old is None else _text(old)},{"null" if new is None else _text(new)}]'
            )
        except TypeError:  # a field that is not text where text belongs
            payload = _row_json(prev, (id_, at, who, tbl, row_id, action, old, new))
    else:
        payload = _row_json(prev, (id_, at, who, tbl, row_id, action, old, new))
    return _sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _row_json(prev: str | None, fields: tuple) -> str:
    """The row's JSON for any mix of values: text, whole numbers and NULLs written as ``link`` writes them, and
    anything else by ``_ENCODE`` itself (the whole row, so a value it refuses, such as a blob, is refused)."""
    parts = [_text(prev or "")]
    for value in fields:
        if value is None:
            parts.append("null")
        elif type(value) is str:
            parts.append(_text(value))
        elif type(value) is int:
            parts.append(int.__repr__(value))
        else:
            return _ENCODE([prev or "", *fields])
    return "[" + ",".join(parts) + "]"


def register(conn, name: str) -> None:
    """Make ``link`` available to the triggers of this connection as the SQL function ``name`` (the one the chain's
    trigger calls, ``db.schema.AUDIT_LINK``)."""
    conn.create_function(name, 1 + len(FIELDS), link, deterministic=True)
