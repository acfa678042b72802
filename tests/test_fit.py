"""Cut text ends in "…" at a word boundary (tui.fit)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.fit import fit


def test_whole_words_then_an_ellipsis():
    title = "Risk identified: complete the risk assessment and crisis plan"
    assert fit(title, 80) == title
    assert fit(title, 46) == "Risk identified: complete the risk assessment…"  # exactly 46 columns
    assert fit(title, 45) == "Risk identified: complete the risk…"  # not "...risk assessmen…"
    assert fit("Send/save the assessment, consent form and questionnaires", 33) == "Send/save the assessment…"


def test_what_a_cut_leaves_at_its_end():
    assert fit("Share attendance with probation (e.g. daily contact form)", 34) == "Share attendance with probation…"
    assert fit("Data capture: rolling monthly data", 14) == "Data capture…"
    assert fit("Liaise with probation and/or Liaison & Diversion", 40) == "Liaise with probation and/or Liaison…"
    assert fit("Supercalifragilistic", 8) == "Superca…"  # one word longer than the room: cut inside it
    assert fit("abc", 1) == "…" and fit("abc", 0) == ""
    assert fit("Siân Ó Briain 漢字テスト", 12) == "Siân Ó…"  # wide characters count two columns


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60), st.integers(0, 70))
def test_never_wider_than_the_room_and_marked_when_cut(text, width):
    out = fit(text, width)
    assert cell_len(out) <= max(width, 0)
    if out != text and width >= 2:
        assert out.endswith("…")
        assert text.startswith(out[:-1])
