"""The audit row's hash: ``db.audit_link.link`` writes the row's JSON itself for speed, and must give exactly the
bytes the JSON encoder gives (every chain already stored was hashed that way, and must still verify)."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.audit_link import link

# The hash of ``test_link_of_a_typical_row_is_unchanged``'s row, as the chain has always hashed it.
FROZEN = "c0d19f93a663189ff0a5f7390e774779013e6731d6adf9ea33a311823df04d55"

# What SQLite hands the trigger's function: text, whole numbers, NULL; and, were a column ever to hold one, a
# real number, which goes through the encoder itself. Booleans (never from SQLite) must not pass for numbers.
TEXT = st.text()  # any code point, lone surrogates, quotes, backslashes and control characters included
WHOLE = st.integers(min_value=-(2**63), max_value=2**63 - 1)
VALUES = st.one_of(st.none(), TEXT, WHOLE, st.floats(), st.booleans())


def _as_json_dumps(prev: str | None, *fields) -> str:
    payload = json.dumps([prev or "", *fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


@given(st.one_of(st.none(), st.text()), st.lists(VALUES, min_size=8, max_size=8))
def test_link_hashes_exactly_what_json_dumps_encodes(prev, fields):
    assert link(prev, *fields) == _as_json_dumps(prev, *fields)


@given(
    st.one_of(st.none(), TEXT),
    st.tuples(WHOLE, TEXT, TEXT, TEXT, st.one_of(st.none(), WHOLE), TEXT, st.one_of(st.none(), TEXT),
              st.one_of(st.none(), TEXT)),
)
def test_link_of_a_row_as_the_audit_table_holds_it_hashes_exactly_what_json_dumps_encodes(prev, fields):
    """The shape of every row the trigger and the checks hash (id, at, who, tbl, row_id, action, old, new)."""
    assert link(prev, *fields) == _as_json_dumps(prev, *fields)


@given(st.lists(st.one_of(st.none(), TEXT, WHOLE), min_size=8, max_size=8), st.integers(0, 7), VALUES)
def test_link_of_a_row_with_one_value_out_of_place_hashes_exactly_what_json_dumps_encodes(fields, where, value):
    """A row as the audit table holds it but for one field (a number where text belongs, NULL, a real, a boolean)."""
    fields = [7, "2026-12-07T20:00:00.123Z", "jrowe", "tasks", 41, "update", *fields[6:]]
    fields[where] = value
    assert link("ab" * 32, *fields) == _as_json_dumps("ab" * 32, *fields)


def test_link_refuses_a_blob_as_the_encoder_does():
    with pytest.raises(TypeError):
        link(None, 1, "2026-12-07T20:00:00.123Z", "jrowe", "tasks", 1, "insert", None, b"\x00")


def test_link_of_a_typical_row_is_unchanged():
    row = (7, "2026-12-07T20:00:00.123Z", "jrowe", "tasks", 41, "update",
           '{"title":"Send the \\"GP\\" letter","due":"2026-12-04"}', '{"title":"Café – Ω 𝄞","due":null}')
    assert link("ab" * 32, *row) == _as_json_dumps("ab" * 32, *row)
    assert link(None, *row) == link("", *row)
    # The hash of this row as every chain stored before holds it: the encoding may never change.
    assert link("ab" * 32, *row) == FROZEN
