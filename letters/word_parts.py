"""Small parts of a Word file that every document needs, whether it is built from a template
(``letters.make_templates``) or written directly (the weekly share, the subject access document).

A page that comes apart from the others must still say what it belongs to and where it falls, so every document
has a footer with its own line of text and "Page N of M", as Word fields that Word and LibreOffice fill in.
python-docx is imported at the top: only code that is already writing a Word file imports this module.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

GREY = RGBColor(0x40, 0x40, 0x40)


def field_run(paragraph, instr: str, placeholder: str = "1", size: float = 8) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in, one run per part as Word writes it."""

    def part(tag_name: str, **attrs: str):
        run = paragraph.add_run()
        run.font.size, run.font.color.rgb = Pt(size), GREY
        el = OxmlElement(tag_name)
        for k, v in attrs.items():
            el.set(qn(k), v)
        return run, el

    run, el = part("w:fldChar", **{"w:fldCharType": "begin"})
    run._r.append(el)
    run, el = part("w:instrText", **{"xml:space": "preserve"})
    el.text = f" {instr} "
    run._r.append(el)
    run, el = part("w:fldChar", **{"w:fldCharType": "separate"})
    run._r.append(el)
    paragraph.add_run(placeholder).font.size = Pt(size)
    run, el = part("w:fldChar", **{"w:fldCharType": "end"})
    run._r.append(el)


def page_footer(footer, text: str, size: float = 8) -> None:
    """``text`` then "Page N of M", centred and small, in ``footer`` (a section's footer)."""
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(f"{text} Page " if text else "Page ")
    field_run(p, "PAGE", size=size)
    p.add_run(" of ")
    field_run(p, "NUMPAGES", size=size)
    for run in p.runs:
        run.font.size, run.font.color.rgb = Pt(size), GREY
