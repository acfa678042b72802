"""Edge cases of what people type and what services change: special characters, control characters pasted from
a PDF, very long names and notes, missing details, and a service's own Word templates.
"""

from __future__ import annotations

from datetime import date

import pytest

from db import records as rec
from letters import documents as L
from letters.assessment import MAX_FIELD, save_assessment
from letters.text import address_lines, clean_line, clean_text, person_lines
from records import casework, clients
from service.core import checklist_of
from tests.conftest import snapshot_counts
from tests.letters_support import (
    ASSESSED,
    SENTENCED,
    assert_no_markers,
    assessed_case,
    docx_text,
    sentenced,
    set_service,
)
from vocabulary.identity import ValidationError

TRICKY = "O'Brien & <Sons> \"Ltd\" — Zoë Ñúñez ☕ 😀"


def test_clean_text_keeps_what_was_typed_and_drops_what_xml_cannot_hold():
    assert clean_text(TRICKY) == TRICKY
    assert clean_text("a\r\nb\rc\x0bd\x0ce\u2028f") == "a\nb\nc\nd\ne\nf"  # every kind of line break
    assert clean_text("bell\x07 nul\x00 esc\x1b del\x7f c1\x85x") == "bell nul esc del c1\nx"
    assert clean_text("  trailing   \n\n\n\nnext  ") == "trailing\n\nnext"
    assert clean_text(None) == "" and clean_text(12) == "12"
    assert clean_line("  Jo \t  Bloggs\n") == "Jo Bloggs"
    assert address_lines("1 High St, Town\nPE1 1AA") == ["1 High St", "Town", "PE1 1AA"]
    assert person_lines("Jamie Rowe, Assistant Psychologist") == ["Jamie Rowe", "Assistant Psychologist"]
    assert person_lines("") == []


def test_special_characters_appear_as_typed(db):
    set_service(db, service_name="St Mary's & St John's <MHTR> Service")
    ref = assessed_case(db, name="Zoë O'Brien-Ñúñez", address="Flat 2 \"The Oaks\", 1 Rue d'Été")
    pasted = "Low mood & anxiety <since 2024>\x0cpage two\x07 of the PDF 😀 {{ client_name }} {% if x %}"
    save_assessment(db, ref, {"presenting_problem": pasted, "risk": TRICKY}, ASSESSED)
    w = L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert "Zoë O'Brien-Ñúñez" in text
    assert "St Mary's & St John's <MHTR> Service" in text
    assert "Low mood & anxiety <since 2024>\npage two of the PDF 😀 {{ client_name }} {% if x %}" in text
    assert f"Risk information\nRisk assessment (1 September 2026): {TRICKY}" in text
    # what the user typed is text, never a template tag: the braces stay literally, nothing else was filled
    assert text.count("{{ client_name }}") == 1


def test_very_long_name_and_notes_lose_nothing(db):
    set_service(db)
    name = "Alexandra " + "Montgomery-" * 9 + "Smythe"
    assert len(name) <= 120
    ref = assessed_case(db, name=name)
    long_note = " ".join(f"word{i}" for i in range(3000))  # about 26,000 characters
    with pytest.raises(ValidationError, match="longer than 20,000 characters"):
        save_assessment(db, ref, {"formulation": long_note}, ASSESSED)
    note = long_note[:MAX_FIELD].rsplit(" ", 1)[0]
    save_assessment(db, ref, {"formulation": note}, ASSESSED)
    w = L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert name in text
    assert note in text  # every word, none dropped
    assert_no_markers(w.path)


def test_nothing_set_still_writes_a_letter_that_says_what_is_missing(db):
    ref = clients.add_client(db, {"name": "Casey Sample", "dob": "1980-05-05"}, ASSESSED)
    casework.record_event(db, ref, "screening", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(db, ref, "assessment", ASSESSED, {}, ASSESSED, checklist=checklist_of(db))
    casework.record_event(
        db, ref, "cl-decision", ASSESSED, {"decision": "approved"}, ASSESSED, checklist=checklist_of(db)
    )
    casework.record_event(
        db, ref, "court-outcome", SENTENCED, {"outcome": "accepted"}, SENTENCED, checklist=checklist_of(db)
    )
    fields, warnings = L.preview(db, "gp", ref, SENTENCED)
    for expected in (
        "no service name set (mhtr-tui settings set service_name VALUE)",
        "no Clinical Lead set (mhtr-tui settings set clinical_lead VALUE)",
        "no NHS number",
        "missing the GP practice: written as a DRAFT until it is filled",
        "missing the practice's address: written as a DRAFT until it is filled",
        "no client address",
        "no order length recorded",
        "no court recorded",
        "no assessment scores recorded",
    ):
        assert expected in warnings
    w = L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    text = docx_text(w.path)
    assert "NHS number not known: Mental Health Treatment Requirement made on 10 September 2026" in text
    assert "Length of order\nnot recorded" in text
    assert "Yours sincerely,\nMHTR Practitioner\nPrimary Care MHTR Service" in text  # a signature block still
    assert "Community Order with a Mental Health Treatment Requirement" in text
    assert "Assessment" not in text.split("What the MHTR involves")[1].split("What we ask of you")[0]
    assert_no_markers(w.path)
    for kind in ("court-report", "consent"):
        assert_no_markers(L.write_document(
            db, kind, ref, today=SENTENCED, confirmed=True, checklist=checklist_of(db)
        ).path)


def _own_template(folder, name: str, extra: str) -> None:
    """A service's copy of a shipped template with one paragraph of its own wording added."""
    from docx import Document

    doc = Document(str(L.SHIPPED_TEMPLATES / name))
    doc.add_paragraph(extra)
    folder.mkdir(exist_ok=True)
    doc.save(str(folder / name))


def test_a_service_uses_its_own_templates(db, tmp_path):
    set_service(db)
    ref = sentenced(db, assessed_case(db))
    own = tmp_path / "our-templates"
    _own_template(own, "gp_letter_accepted.docx", "Fenland wording for {{ client_name }}, born {{ client_dob }}.")
    with pytest.raises(ValidationError, match="templates_dir: there is no folder"):
        from service.settings import save_setting

        save_setting(db, "templates_dir", str(tmp_path / "nowhere"))
    from service.settings import save_setting

    save_setting(db, "templates_dir", str(own))
    w = L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    assert "Fenland wording for Robin Synthetic, born 14 March 1987." in docx_text(w.path)
    assert w.warnings == []
    # a template the folder lacks comes from mhtr-tui, and the preview says so
    _, warnings = L.preview(db, "consent", ref, SENTENCED)
    assert any("has no consent_form.docx; the shipped one is used" in x for x in warnings)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("{{ favourite_colour }}", "uses a field this document does not have"),
        ("{% if client_name %} never closed", "has a broken tag"),
    ],
)
def test_a_broken_service_template_is_refused_and_nothing_written(db, tmp_path, extra, message):
    set_service(db)
    ref = sentenced(db, assessed_case(db))
    own = tmp_path / "our-templates"
    _own_template(own, "gp_letter_accepted.docx", extra)
    rec.set_setting(db, "templates_dir", str(own))
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match=f"the template gp_letter_accepted.docx {message}"):
        L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    assert snapshot_counts(db) == before
    assert not (tmp_path / "letters").exists()


def test_letters_dir_setting_and_unwritable_folder(db, tmp_path):
    from service.settings import save_setting

    set_service(db)
    ref = sentenced(db, assessed_case(db))
    folder = tmp_path / "Shared" / "MHTR letters"
    assert save_setting(db, "letters_dir", str(folder)) == str(folder)
    w = L.write_document(db, "gp", ref, today=date(2026, 9, 11), checklist=checklist_of(db))
    assert w.path.parent == folder
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ValidationError, match="is a file, not a folder"):
        save_setting(db, "letters_dir", str(blocker))
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="nothing was written"):  # refused first: no folder to make sub in
        L.write_document(db, "consent", ref, blocker / "sub" / "x.docx", today=SENTENCED, checklist=checklist_of(db))
    assert snapshot_counts(db) == before


def test_shipped_templates_are_what_make_templates_builds(tmp_path):
    """The .docx files in letters/templates are reproducible from letters/make_templates.py, part by part."""
    import zipfile

    from letters.make_templates import build

    for built in build(tmp_path):
        shipped = L.SHIPPED_TEMPLATES / built.name
        with zipfile.ZipFile(built) as a, zipfile.ZipFile(shipped) as b:
            assert sorted(a.namelist()) == sorted(b.namelist()), built.name
            changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
            assert changed == [], f"{built.name}: run python -m letters.make_templates ({changed})"


@pytest.mark.parametrize(
    ("edits", "left_out"),
    [
        ({"risk_lines": "scores"}, "risk_lines"),  # the risk section now lists the scores again
        ({"if draft": "if false", "draft_notice": "ref"}, "draft, draft_notice"),  # the DRAFT marking is gone
    ],
)
def test_a_service_template_that_drops_what_a_gp_letter_must_show_is_refused(db, tmp_path, edits, left_out):
    """A copy edited in Word that lost the risk section (or the DRAFT marking) would send a letter that misleads."""
    from docx import Document

    set_service(db)
    ref = sentenced(db, assessed_case(db))
    own = tmp_path / "our-templates"
    own.mkdir()
    doc = Document(str(L.SHIPPED_TEMPLATES / "gp_letter_accepted.docx"))
    parts = [doc.element.body] + [s.first_page_header._element for s in doc.sections]
    parts += [s.header._element for s in doc.sections]
    from docx.oxml.ns import qn

    for part in parts:
        for t in part.iter(qn("w:t")):
            for old, new in edits.items():
                t.text = (t.text or "").replace(old, new)
    doc.save(str(own / "gp_letter_accepted.docx"))
    rec.set_setting(db, "templates_dir", str(own))
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match=f"the template gp_letter_accepted.docx leaves out {left_out}"):
        L.write_document(db, "gp", ref, today=SENTENCED, checklist=checklist_of(db))
    assert snapshot_counts(db) == before and not (tmp_path / "letters").exists()
