"""The building blocks of the shipped Word templates (``letters.make_templates``): a page with the letterhead
and footer, paragraphs and runs in the house style, label and loop tables, the addressee, risk, registration and
signature sections every letter shares. A build tool's parts, never imported by the app, so python-docx is
imported at the top."""

from __future__ import annotations

from datetime import datetime

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from letters.word_parts import GREY, page_footer

FONT = "Arial"


NHS_BLUE = RGBColor(0x00, 0x30, 0x87)


RED = RGBColor(0xDA, 0x29, 0x1C)  # NHS red: the draft notice


LABEL_SHADE = "E8EDEE"


FOOTER_TEXT = "Confidential: personal health information. Ref {{ ref }}."


BUILT = datetime(2026, 1, 1)


def new_document(title: str):
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.8)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name in ("List Bullet", "Heading 1", "Heading 2", "Heading 3", "Title", "Subtitle"):
        style = doc.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    doc.styles["Title"].font.size = Pt(20)
    subtitle = doc.styles["Subtitle"]
    subtitle.font.size, subtitle.font.italic, subtitle.font.bold = Pt(14), False, True
    subtitle.font.color.rgb = NHS_BLUE
    subtitle.paragraph_format.space_after = Pt(6)
    for spacing in subtitle.element.get_or_add_rPr().findall(qn("w:spacing")):  # Word's letter-spaced subtitle
        spacing.getparent().remove(spacing)
    for name, size in (("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 10.5)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = NHS_BLUE
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "mhtr-tui", "mhtr-tui"
    props.comments, props.subject, props.keywords = "", "", ""
    props.created = props.modified = BUILT
    props.revision = 1
    letterhead(doc)
    footer(doc)
    return doc


def para(container, text: str = "", *, bold: bool = False, size: float | None = None, align=None,
         after: float | None = None, before: float | None = None, style: str | None = None, italic: bool = False,
         color: RGBColor | None = None, keep: bool = False):
    """One paragraph holding ``text`` in a single run (so each docxtpl tag stays whole)."""
    p = container.add_paragraph(style=style) if style else container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
    if align is not None:
        p.alignment = align
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if before is not None:
        p.paragraph_format.space_before = Pt(before)
    if keep:
        p.paragraph_format.keep_with_next = True
    return p


def runs(container, *parts: tuple[str, bool], after: float | None = None):
    """One paragraph of several runs: ``(text, bold)`` pairs."""
    p = container.add_paragraph()
    for text, bold in parts:
        p.add_run(text).bold = bold
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    return p


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag (``{%p if x %}``); docxtpl removes it on rendering."""
    return para(container, text, after=0)


def draft_mark(container) -> None:
    """``DRAFT: NOT FOR SENDING`` in red, only when the document is a draft (in every page's header)."""
    tag(container, "{%p if draft %}")
    p = para(container, "DRAFT: NOT FOR SENDING", bold=True, size=12, color=RED, after=2)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tag(container, "{%p endif %}")


def letterhead(doc) -> None:
    """First page: the service's name, address and contacts on the right; later pages: the client's name, date
    of birth and NHS number (so a page that comes apart from the first is still identified), and our reference.
    A draft says so at the top of every page."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    head = section.first_page_header
    first = head.paragraphs[0]
    first.paragraph_format.space_after = Pt(0)
    draft_mark(head)
    top = para(head, "{{ service_name or 'Primary Care MHTR Service' }}", bold=True, size=15, color=NHS_BLUE,
               align=WD_ALIGN_PARAGRAPH.RIGHT, after=2)
    top.paragraph_format.keep_with_next = False
    for text in (
        "{%p if service_address %}",
        "{{ service_address }}",
        "{%p endif %}",
        "{%p if service_phone %}",
        "Tel: {{ service_phone }}",
        "{%p endif %}",
        "{%p if service_email %}",
        "Secure email: {{ service_email }}",
        "{%p endif %}",
    ):
        p = para(head, text, size=9.5, align=WD_ALIGN_PARAGRAPH.RIGHT, after=0, color=GREY)
        if text.startswith("{%"):
            p.runs[0].font.size = Pt(9.5)
    rule(para(head, "", after=6))
    later = section.header
    later.paragraphs[0].paragraph_format.space_after = Pt(0)
    draft_mark(later)
    p = para(later, "{{ client_name }}, date of birth {{ client_dob }}, NHS number {{ client_nhs or 'not known' }}",
             size=9, color=GREY, after=0)
    p = para(later, "{{ service_name or 'Primary Care MHTR Service' }}, our ref {{ ref }}", size=9, color=GREY,
             after=4)
    rule(p)


def draft_notice(doc) -> None:
    """The body's own statement of what makes this a draft (the header only says that it is one)."""
    tag(doc, "{%p if draft %}")
    para(doc, "{{ draft_notice }}", bold=True, color=RED, after=8)
    tag(doc, "{%p endif %}")


def rule(paragraph) -> None:
    """A thin line under a paragraph (the letterhead's rule)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "003087")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)


def footer(doc) -> None:
    section = doc.sections[0]
    for foot in (section.first_page_footer, section.footer):
        page_footer(foot, FOOTER_TEXT)


def shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def cell_text(cell, text: str, *, bold: bool = False, size: float | None = None) -> None:
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    p.paragraph_format.space_after = Pt(2)


def widths(table, cms: list[float]) -> None:
    """Column widths that both Word (cell widths) and LibreOffice (the table grid) follow; a row of one merged
    cell gets the whole width."""
    table.autofit = False
    for col, w in zip(table.columns, cms, strict=True):
        col.width = Cm(w)
    for row in table.rows:
        tcs = row._tr.tc_lst
        if len(tcs) != len(cms):
            for tc in tcs:
                tc.width = Cm(sum(cms))
            continue
        for cell, w in zip(row.cells, cms, strict=True):
            cell.width = Cm(w)


def no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def label_table(doc, rows: list[tuple[str, str]], label_cm: float = 5.2, value_cm: float = 11.4):
    """Two columns: a shaded label and its value (the shape of seed 004 Appendix 3)."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        cells = table.add_row().cells
        cell_text(cells[0], label, bold=True, size=10)
        shade(cells[0], LABEL_SHADE)
        cell_text(cells[1], value, size=10)
    widths(table, [label_cm, value_cm])
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def loop_table(doc, headings: list[str], loop: str, cells: list[str], cms: list[float], size: float = 9.5,
               under: str | None = None):
    """A table with a heading row and one row per item (docxtpl ``{%tr for ... %}`` rows); ``under`` adds a
    full-width row beneath each item (the plain-English line under a score)."""
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell_text(cell, heading, bold=True, size=size)
        shade(cell, LABEL_SHADE)
    mark_header(table.rows[0])
    table.add_row().cells[0].paragraphs[0].add_run(f"{{%tr for r in {loop} %}}")
    row = table.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a score row never breaks across pages
    for cell, text in zip(row.cells, cells, strict=True):
        cell_text(cell, text, size=size)
        if under:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    if under:
        line = table.add_row()
        line._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        merged = line.cells[0].merge(line.cells[-1])
        cell_text(merged, under, size=size)
        merged.paragraphs[0].runs[0].italic = True
    table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
    widths(table, cms)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def keep_together(table) -> None:
    """Keep a table on one page (each row's paragraphs keep with the next row; rows never split)."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def mark_header(row) -> None:
    """Repeat the heading row on each page a long table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


GP_ADDRESS = ("The General Practitioner", "{{ gp_practice or '[GP practice missing]' }}",
              "{{ gp_address or '[practice address missing]' }}")


def addressee_block(doc, lines: tuple[str, ...] = GP_ADDRESS) -> None:
    """The addressee on the left (the GP's practice unless ``lines`` says otherwise), our reference and the date
    on the right."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    left, right = table.rows[0].cells
    cell_text(left, "PRIVATE AND CONFIDENTIAL", bold=True, size=10)
    for text in lines:
        p = left.add_paragraph(text)
        p.paragraph_format.space_after = Pt(0)
    right_p = right.paragraphs[0]
    right_p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    right_p.add_run("Our ref: {{ ref }}")
    p = right.add_paragraph("{{ date }}")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    widths(table, [10.6, 6.0])
    para(doc, "", after=6)


def re_block(doc) -> None:
    """The subject line: who, born when, NHS number, and what the letter is about (the order or the decision)."""
    runs(doc, ("Re: {{ client_name }}, date of birth {{ client_dob }}, NHS number {{ client_nhs or 'not known' }}: "
               "{{ subject }}", True), after=0)
    tag(doc, "{%p if client_address_line %}")
    runs(doc, ("Address: ", False), ("{{ client_address_line }}", False), after=0)
    tag(doc, "{%p endif %}")
    para(doc, "", after=4)


def risk_section(doc, heading: str = "Risk") -> None:
    """What the record says about risk, every source named and dated (``records.risk``)."""
    para(doc, heading, style="Heading 2")
    bullets(doc, "risk_lines", "{{ s }}")


def registration_section(doc) -> None:
    """For a client recorded as not registered with a GP: the request to register them (seed 004)."""
    tag(doc, "{%p if unregistered %}")
    para(doc, "Registering with your practice", style="Heading 2")
    para(doc, "Our record shows that {{ client_name }} is not registered with a GP. Registration with a GP is part "
              "of the MHTR pathway, so that their physical and mental health care continues after treatment. "
              "Please register them with your practice, or let us know if you cannot, so that we can help them "
              "register elsewhere.")
    tag(doc, "{%p endif %}")


def signature(doc, closing: str = "Yours sincerely,") -> None:
    para(doc, closing, before=8, after=30, keep=True)
    para(doc, "{{ practitioner_name or 'MHTR Practitioner' }}", bold=True, after=0, keep=True)
    tag(doc, "{%p if practitioner_role %}")
    para(doc, "{{ practitioner_role }}", after=0, keep=True)
    tag(doc, "{%p endif %}")
    para(doc, "{{ service_name or 'Primary Care MHTR Service' }}", after=8)
    tag(doc, "{%p if clinical_lead %}")
    runs(doc, ("Clinical Lead / Responsible Clinician: ", False), ("{{ clinical_lead }}", False), after=0)
    tag(doc, "{%p endif %}")


def bullets(doc, loop: str, item: str) -> None:
    tag(doc, f"{{%p for s in {loop} %}}")
    para(doc, item, style="List Bullet", after=2)
    tag(doc, "{%p endfor %}")
