"""The audit row's hash: ``db.audit_link.link`` writes the row's JSON itself for speed, and must give exactly the
bytes the JSON encoder gives (every chain already stored was hashed that way, and must still verify)."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from db.audit_link import link

# What SQLite hands the trigger's function: text, whole numbers, NULL; and, were a column ever to hold one, a
# real number, which goes through the encoder itself.
VALUES = st.one_of(
    st.none(),
    st.text(),  # any code point, lone surrogates, quotes, backslashes and control characters included
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
)


def _as_json_dumps(prev: str | None, *fields) -> str:
    payload = json.dumps([prev or "", *fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


@given(st.one_of(st.none(), st.text()), st.lists(VALUES, min_size=8, max_size=8))
def test_link_hashes_exactly_what_json_dumps_encodes(prev, fields):
    assert link(prev, *fields) == _as_json_dumps(prev, *fields)


def test_link_of_a_typical_row_is_unchanged():
    row = (7, "2026-12-07T20:00:00.123Z", "jrowe", "tasks", 41, "update",
           '{"title":"Send the \\"GP\\" letter","due":"2026-12-04"}', '{"title":"Café – Ω 𝄞","due":null}')
    assert link("ab" * 32, *row) == _as_json_dumps("ab" * 32, *row)
    assert link(None, *row) == link("", *row)
