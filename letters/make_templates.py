"""Builds the Word templates shipped in ``letters/templates`` (run: ``python -m letters.make_templates``).

The templates are ordinary .docx files with docxtpl tags (``{{ client_name }}``, ``{%p if ... %}``), so a
service can open one in Word, change the letterhead or the wording, and point the ``templates_dir`` setting
at its folder. They are built by this script rather than kept by hand so that they are reproducible and
reviewable; the generated files are committed, and a test checks they are what this script builds. The
fields a document fills are listed by its preview (``mhtr-tui letter KIND REF --preview``). This is a build
tool that the app never imports, so python-docx is imported at the top here rather than inside functions.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from letters.word_parts import GREY, page_footer

OUT = Path(__file__).resolve().parent / "templates"
FONT = "Arial"
NHS_BLUE = RGBColor(0x00, 0x30, 0x87)
RED = RGBColor(0xDA, 0x29, 0x1C)  # NHS red: the draft notice
LABEL_SHADE = "E8EDEE"
FOOTER_TEXT = "Confidential: personal health information. Ref {{ ref }}."
BUILT = datetime(2026, 1, 1)


# --- building blocks ----------------------------------------------------------------------------------------


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


# --- the documents --------------------------------------------------------------------------------------------


def gp_letter_accepted():
    doc = new_document("GP letter: Mental Health Treatment Requirement")
    addressee_block(doc)
    draft_notice(doc)
    para(doc, "Dear Colleague,")
    re_block(doc)
    para(doc, "I am writing to let you know that on {{ sentence_date }} {{ court or 'the court' }} made a "
              "{{ order_text }} for {{ patient }}, following an assessment by our service.")
    registration_section(doc)
    para(doc, "The sentence", style="Heading 2")
    label_table(doc, [
        ("Order", "{{ order_text }}"),
        ("Date of sentence", "{{ sentence_date }}"),
        ("Court", "{{ court or 'not recorded' }}"),
        ("Length of order", "{{ order_length or 'not recorded' }}"),
        ("Planned sessions", "{{ planned_sessions }}"),
        ("Treating practitioner", "{{ practitioner or 'not recorded' }}"),
        ("Clinical Lead", "{{ clinical_lead or 'not recorded' }}"),
        ("Responsible Officer (probation)", "{{ ro_line or 'to be allocated by probation' }}"),
    ])
    para(doc, "What the MHTR involves", style="Heading 2")
    para(doc, "A Mental Health Treatment Requirement is part of a community sentence for people whose mental "
              "health needs can be met in primary care. {{ client_name }} will be offered about "
              "{{ planned_sessions }} one-to-one psychological sessions, {{ session_frequency }}, with "
              "{{ practitioner_name or 'an MHTR practitioner' }}, under the direction of the Clinical Lead as "
              "Responsible Clinician. Attending is part of the order: we tell the Probation Responsible Officer "
              "about attendance, and Probation decides on any breach."
              "{% if ro_name %} The Responsible Officer is {{ ro_line }}.{% endif %}")
    tag(doc, "{%p if scores %}")
    para(doc, "Assessment", style="Heading 2")
    para(doc, "At the assessment on {{ assessment_date }} the screening measures were:", keep=True)
    tag(doc, "{%p endif %}")
    bullets(doc, "scores", "{{ s }}")
    risk_section(doc)
    para(doc, "What we ask of you", style="Heading 2")
    para(doc, "{% if unregistered %}Once they are registered, please note the MHTR on their record{% else %}Please "
              "note the MHTR on your patient's record{% endif %} and continue their usual care, including any "
              "prescribing. Please let us know of any change in medication, physical "
              "health or risk that may affect treatment. No other action is needed.")
    para(doc, "How you will hear from us", style="Heading 2")
    para(doc, "We will write to you when treatment ends, with the sessions attended, the change in the outcome "
              "measures and any recommendations. We will contact you sooner if we are concerned about risk.")
    signature(doc)
    return doc


def gp_letter_declined():
    doc = new_document("GP letter: Mental Health Treatment Requirement declined")
    addressee_block(doc)
    draft_notice(doc)
    para(doc, "Dear Colleague,")
    re_block(doc)
    para(doc, "{{ patient[:1]|upper }}{{ patient[1:] }} was assessed by our service"
              "{% if assessment_date %} on {{ assessment_date }}{% endif %} for a Mental Health Treatment "
              "Requirement (MHTR), a community sentence that includes psychological treatment in primary care. "
              "I am writing to let you know the outcome.")
    registration_section(doc)
    para(doc, "Outcome", style="Heading 2")
    para(doc, "{{ outcome_text }}")
    tag(doc, "{%p if reasons %}")
    para(doc, "Reasons", style="Heading 2")
    para(doc, "{{ reasons }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if signposting %}")
    para(doc, "Recommendations and signposting", style="Heading 2")
    para(doc, "{{ signposting }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if scores %}")
    para(doc, "Assessment", style="Heading 2")
    para(doc, "For your information, the screening measures at assessment were:", keep=True)
    tag(doc, "{%p endif %}")
    bullets(doc, "scores", "{{ s }}")
    risk_section(doc)
    para(doc, "What this means for {{ 'them' if unregistered else 'your patient' }}", style="Heading 2")
    para(doc, "Our service will not be providing treatment under an MHTR, and {{ their }} care stays with you."
              "{% if next_steps %} {{ next_steps }}{% else %} If their mental health needs change, the usual routes "
              "of referral remain open to them.{% endif %}")
    signature(doc)
    return doc


def court_report():
    doc = new_document("Mental Health Treatment Requirement: Responsible Clinician's report")
    para(doc, "Mental Health Treatment Requirement", style="Title", after=0)
    para(doc, "{% if draft %}DRAFT: {% endif %}Responsible Clinician's Report", style="Subtitle", after=8)
    draft_notice(doc)
    runs(doc, ("To: ", True), ("{{ nps_contact or 'National Probation Service' }}", False),
         (", for the pre-sentence report", False), after=0)
    runs(doc, ("From: ", True), ("{{ service_name }}", False), after=0)
    runs(doc, ("Our ref: ", True), ("{{ ref }}", False), after=10)
    label_table(doc, [
        ("Name", "{{ client_name }}"),
        ("Date of birth", "{{ client_dob }}"),
        ("NHS number", "{{ client_nhs or 'not known' }}"),
        ("Date", "{{ date }}"),
        ("Requirements assessed", "{{ requirements }}"),
        ("Initial assessment completed by", "{{ assessed_by }}, on {{ assessment_date }}"),
        ("Consent of defendant to assessment and treatment gained?", "{{ consent }}"),
        ("Presenting problem and formulation",
         "{{ presenting_problem or 'Not recorded.' }}"
         "{% if formulation %}\n\nFormulation: {{ formulation }}{% endif %}"),
        ("Outcome of assessment / Plan", "{{ plan or 'Not recorded.' }}"),
        ("Screening tool assessment information", "{% if results %}See the table of results below, with what each "
         "score means.{% else %}No screening tools recorded.{% endif %}"),
        ("Clinical Lead decision", "{{ decision }}"),
        ("Recommendations to court from Responsible Clinician", "{{ court_recommendations or 'Not recorded.' }}"),
        ("Treatment plan, including details of treatment provider", "{{ treatment_plan }}"),
        ("Risk information", "{{ risk }}{% if probation_risk_level %}\n\nProbation risk level: "
         "{{ probation_risk_level }}{% endif %}"),
        ("When and where initial therapy will be available", "{{ first_therapy }}"),
    ], label_cm=5.4, value_cm=11.2)
    tag(doc, "{%p if results %}")
    para(doc, "Screening tool results", style="Heading 2")
    results_table(doc)
    tag(doc, "{%p endif %}")
    para(doc, "Responsible Clinician", style="Heading 2")
    table = label_table(doc, [
        ("Responsible Clinician", "{{ clinical_lead or 'not recorded' }}"),
        ("Signature", ""),
        ("Date", ""),
        ("Prepared by", "{{ practitioner or 'not recorded' }}, {{ service_name }}"),
        ("Contact", "{{ service_phone }}{% if service_email %}, {{ service_email }}{% endif %}"),
    ], label_cm=5.4, value_cm=11.2)
    for row in table.rows[1:3]:
        row.height = Cm(1.1)
    keep_together(table)
    return doc


CONSENT_SECTIONS = (
    ("Personal information / data", (
        "Your personal information may be shared to gain:",
    ), (
        "An improved assessment of your treatment needs",
        "An assessment of health needs",
        "Information regarding safeguarding and child protection (where applicable)",
        "Information around assessing risk",
        "Statistical analysis for service delivery and future funding",
        "Information from partner agencies",
        "Collate anonymised data to monitor the quality of service delivery",
        "Contractual obligations",
    )),
    ("What is meant by data sharing?", (
        "Sharing of personal information is strictly controlled by law and anyone receiving information is under "
        "legal duty to keep all information confidential.",
        "There may be occasions where staff are duty bound to disclose personal information without your consent. "
        "This will only happen if there are any concerns around threats being made to self or others, "
        "safeguarding issues around adults or children or any serious criminal offence you inform us you are "
        "going to commit.",
        "We collect and store your data in a specific way:",
    ), (
        "Consent: we always seek your consent to store and share your information and ask that you sign our "
        "consent form.",
        "Contractual obligations: as part of the funding we receive we are required to share information with "
        "our funders.",
        "Legal compliance: in some circumstances, we are required to collect and process your information.",
        "Legitimate interest: in some situations, we require your information to send you and/or your GP specific "
        "details about your treatment.",
    )),
    ("Retention of information", (
        "{{ retention }}",
    ), ()),
    ("Your right to withdraw consent", (
        "You have the right to withdraw your consent at any time. You will be asked to renew your consent on the "
        "above principles every year if still in treatment.",
    ), ()),
    ("Changes to your information", (
        "We want to make sure that your personal information is accurate and up to date. You may ask us to "
        "correct or remove information you think is inaccurate.",
    ), ()),
    ("Accessing the information we hold on you", (
        "You have the right to request a copy of the information that we hold about you. If you would like a copy "
        "of some or all of the information, please contact {{ service_name or 'the service' }}"
        "{% if service_address_line %}, {{ service_address_line }}{% endif %}"
        "{% if service_phone %}, telephone {{ service_phone }}{% endif %}"
        "{% if service_email %}, secure email {{ service_email }}{% endif %}.",
    ), ()),
    ("Confidentiality", (
        "Reasonable care is taken to ensure that discussions, conversations and telephone calls relating to "
        "confidential matters cannot be overheard. Wherever possible identifying details are not shared. Issues "
        "relating to harming yourself or others, or to the safety and well-being of children, must be reported "
        "to external agencies.",
    ), ()),
)


def consent_form():
    doc = new_document("Combined consent: assessment and treatment requirements")
    para(doc, "Combined Consent", style="Title", after=0)
    para(doc, "Assessment and treatment requirements (MHTR, DRR, ATR)", style="Subtitle", after=4)
    draft_notice(doc)
    runs(doc, ("Name: ", True), ("{{ client_name }}", False), ("      Date of birth: ", True),
         ("{{ client_dob }}", False), ("      Ref: ", True), ("{{ ref }}", False), after=8)
    for heading, texts, items in CONSENT_SECTIONS:
        para(doc, heading, style="Heading 2")
        for text in texts:
            para(doc, text, after=3)
        for item in items:
            para(doc, item, style="List Bullet", after=1)
    para(doc, "Consent", style="Heading 2")
    para(doc, "I have been provided with information regarding the assessment process and treatment requirements, "
              "and understand and consent to the assessment and specific requirements for treatment should one or "
              "more of the following be granted (requirements assessed are marked):", keep=True)
    tag(doc, "{%p for q in requirements %}")
    para(doc, "{{ q.mark }}  {{ q.label }}{% if q.assessed %}: assessed{% endif %}", after=1, keep=True)
    tag(doc, "{%p endfor %}")
    para(doc, "If the requirement is granted:", before=6, keep=True)
    runs(doc, ("Mental Health Treatment Requirement: ", True), ("attendance of {{ programme }}, and engagement in "
                                                              "the therapeutic activities required to complete the "
                                                              "programme.", False), after=2)
    runs(doc, ("Drug Rehabilitation Requirement: ", True),
         ("engagement in the therapeutic activities required to complete the programme.", False), after=2)
    runs(doc, ("Alcohol Treatment Requirement: ", True),
         ("engagement in the therapeutic activities required to complete the programme.", False), after=2)
    para(doc, "Confidentiality agreement", style="Heading 2")
    para(doc, "I have read or had read to me the confidentiality statement and consent to assessment and "
              "treatment. I understand that information about me may be shared as outlined above. I understand "
              "that confidentiality may be breached if there is a risk of harm to myself or others.", keep=True)
    table = label_table(doc, [
        ("Name", "{{ client_name }}"),
        ("Date of birth", "{{ client_dob }}"),
        ("GP surgery", "{{ gp_surgery or '' }}"),
        ("Signature", ""),
        ("Date", ""),
        ("Consent explained by", "{{ practitioner }}"),
        ("Practitioner's signature", ""),
    ], label_cm=4.6, value_cm=12.0)
    for row in table.rows[3:5] + table.rows[6:7]:
        row.height = Cm(1.1)
    keep_together(table)
    return doc


def completion_letter():
    doc = new_document("GP letter: end of MHTR treatment")
    addressee_block(doc)
    draft_notice(doc)
    para(doc, "Dear Colleague,")
    re_block(doc)
    para(doc, "I am writing to let you know that {{ client_name }} completed treatment under their Mental Health "
              "Treatment Requirement on {{ completion_date }}.")
    para(doc, "Treatment", style="Heading 2")
    label_table(doc, [
        ("Order", "{{ order_text }}{% if sentence_date %}, made on {{ sentence_date }}{% endif %}"),
        ("Sessions attended", "{{ sessions_text }}"),
        ("First and last session", "{% if first_session %}{{ first_session }} to {{ last_session }}"
                                   "{% else %}none attended{% endif %}"),
        ("Unacceptable absences", "{{ unacceptable_absences }}"),
        ("Treating practitioner", "{{ practitioner or 'not recorded' }}"),
    ])
    tag(doc, "{%p if outcomes %}")
    para(doc, "Outcome measures", style="Heading 2")
    para(doc, "The first and last score of each measure, with the change between them.", keep=True)
    loop_table(
        doc,
        ["Measure", "First", "Last", "Change", "Reliable improvement", "Recovery"],
        "outcomes",
        ["{{ r.measure }}", "{{ r.first_score }} {% if r.first_severity %}({{ r.first_severity }}){% endif %}\n"
         "{{ r.first_date }}",
         "{% if r.repeated %}{{ r.last_score }} {% if r.last_severity %}({{ r.last_severity }}){% endif %}\n"
         "{{ r.last_date }}{% else %}not repeated{% endif %}",
         "{{ r.change }}", "{{ r.reliable_improvement }}", "{{ r.recovery }}"],
        # As the court report's table: "improvement" whole and each date on one line, within the 16.6 cm text
        # width, which six such columns fill only at 9 pt.
        [2.0, 3.6, 3.6, 2.3, 2.9, 2.2],
        size=9,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if talking_therapies %}")
    para(doc, "PHQ-9 and GAD-7 together, as NHS Talking Therapies measures recovery: {{ talking_therapies }}.")
    tag(doc, "{%p endif %}")
    risk_section(doc, "Risk at the end of treatment")
    tag(doc, "{%p if end_recommendations %}")
    para(doc, "Recommendations", style="Heading 2")
    para(doc, "{{ end_recommendations }}")
    tag(doc, "{%p endif %}")
    para(doc, "Follow-up", style="Heading 2")
    para(doc, "{{ end_follow_up }}")
    para(doc, "Your patient's care continues with you. Please contact us if you have any questions about this "
              "letter.")
    signature(doc)
    return doc


def results_table(doc) -> None:
    """The questionnaire results with a plain-English line under each (court report, assessment record)."""
    loop_table(
        doc,
        ["Measure", "Date", "Score", "Severity", "Clinical range", "Notes"],
        "results",
        ["{{ r.measure }}", "{{ r.date }}", "{{ r.score }}", "{{ r.severity }}", "{{ r.clinical }}", "{{ r.notes }}"],
        # Wide enough that no heading breaks inside a word ("Scor/e") and "30 September 2026" stays on one line,
        # even in the wider font LibreOffice falls back to without Arial; 16.6 cm, the text width.
        [2.1, 3.8, 1.6, 2.4, 1.9, 4.8],
        under="{{ r.plain }}",
    )


def assessment_record():
    doc = new_document("MHTR practitioner assessment")
    para(doc, "MHTR Practitioner Assessment", style="Title", after=0)
    para(doc, "{% if draft %}DRAFT: {% endif %}For the Clinical Lead / Responsible Clinician", style="Subtitle",
         after=8)
    draft_notice(doc)
    label_table(doc, [
        ("Name", "{{ client_name }}"),
        ("Date of birth", "{{ client_dob }}"),
        ("NHS number", "{{ client_nhs or 'not known' }}"),
        ("Our ref", "{{ ref }}"),
        ("Date of assessment", "{{ assessment_date }}"),
        ("Assessed by", "{{ assessed_by }}"),
        ("Requirements assessed", "{{ requirements }}"),
        ("Consent to assessment and treatment", "{{ consent }}"),
        ("GP", "{{ gp_practice or 'not recorded' }}{% if gp_registered == 'no' %} (not registered){% endif %}"),
    ])
    para(doc, "Psychometric assessment outcomes", style="Heading 2")
    tag(doc, "{%p if results %}")
    results_table(doc)
    tag(doc, "{%p else %}")
    para(doc, "No questionnaires recorded.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if core_areas %}")
    para(doc, "CORE-34: areas of difficulty and distress", style="Heading 2")
    loop_table(doc, ["Area", "Result"], "core_areas", ["{{ r.label }}", "{{ r.text }}"], [5.2, 11.4])
    tag(doc, "{%p endif %}")
    risk_section(doc, "Risk")
    tag(doc, "{%p for sec in sections %}")
    para(doc, "{{ sec.heading }}", style="Heading 2")
    tag(doc, "{%p for t in sec.topics %}")
    para(doc, "{{ t.label }}", style="Heading 3", after=0)
    para(doc, "{{ t.text }}", after=6)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    para(doc, "Prepared by {{ practitioner or 'the MHTR practitioner' }}, {{ service_name }}, on {{ date }}.",
         before=8)
    return doc


def probation_update():
    doc = new_document("MHTR: update for probation")
    addressee_block(doc, ("{{ addressee or '[addressee missing]' }}", "National Probation Service"))
    draft_notice(doc)
    para(doc, "Dear {{ addressee_name or 'Colleague' }},")
    re_block(doc)
    tag(doc, "{%p if which == 'court-accepted' %}")
    para(doc, "I am writing to confirm that on {{ sentence_date }} {{ court or 'the court' }} made a {{ order_text }} "
              "for {{ client_name }}, and to tell you how treatment will start.")
    para(doc, "The order and the start of treatment", style="Heading 2")
    label_table(doc, [
        ("Order", "{{ order_text }}"),
        ("Date of sentence", "{{ sentence_date }}"),
        ("Length of order", "{{ order_length or 'not recorded' }}"),
        ("Planned sessions", "{{ planned_sessions }}, {{ session_frequency }}"),
        ("Treating practitioner", "{{ practitioner or 'not recorded' }}"),
        ("Post-sentence case management meeting", "{{ case_meeting }}"),
        ("First treatment session", "{{ first_session }}"),
        ("GP registration", "{{ gp_registration }}"),
    ], label_cm=6.0, value_cm=10.6)
    para(doc, "Attendance", style="Heading 2")
    para(doc, "We will tell you the same working day of any unacceptable absence, and share each week's attendance "
              "with you. The decision on any breach rests with probation.")
    tag(doc, "{%p else %}")
    para(doc, "{{ outcome_text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if which == 'cl-declined' %}")
    para(doc, "Reasons", style="Heading 2")
    para(doc, "{{ reasons or '[reasons missing]' }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if which == 'cl-approved' %}")
    para(doc, "For the pre-sentence report", style="Heading 2")
    label_table(doc, [
        ("Recommendation to court", "{{ recommendation or 'Not recorded.' }}"),
        ("Treatment plan", "{{ treatment_plan or 'About ' ~ planned_sessions ~ ' one-to-one sessions, ' ~ "
         "session_frequency ~ ', with ' ~ (practitioner or 'an MHTR practitioner') ~ '.' }}"),
        ("When therapy can start", "{{ first_therapy or 'Within six weeks of sentence.' }}"),
        ("GP registration", "{{ gp_registration }}"),
    ], label_cm=6.0, value_cm=10.6)
    tag(doc, "{%p endif %}")
    risk_section(doc)
    signature(doc)
    return doc


def non_attendance():
    doc = new_document("MHTR: unacceptable absence")
    addressee_block(doc, ("{{ ro_line or '[Responsible Officer missing]' }}", "National Probation Service"))
    draft_notice(doc)
    para(doc, "Dear {{ ro_name or 'Colleague' }},")
    re_block(doc)
    para(doc, "I am writing to tell you that {{ client_name }} has not attended treatment under their "
              "{{ order_text }}{% if sentence_date %} made on {{ sentence_date }}{% endif %} without an acceptable "
              "reason. There {{ 'has' if absence_count == '1' else 'have' }} been {{ absence_count }} unacceptable "
              "{{ 'absence' if absence_count == '1' else 'absences' }} in the order.")
    para(doc, "Unacceptable absences", style="Heading 2")
    loop_table(doc, ["", "Date", "Appointment", "What was recorded"], "absences",
               ["{{ r.n }}", "{{ r.date }}", "{{ r.appointment }}", "{{ r.note }}"], [0.8, 3.8, 5.8, 6.2])
    para(doc, "Attendance so far", style="Heading 2")
    para(doc, "Sessions attended: {{ sessions_attended }}{% if last_attended %}, the last on {{ last_attended }}"
              "{% endif %}.")
    para(doc, "What we have done to re-engage them", style="Heading 2")
    para(doc, "{{ absence_actions or '[not recorded]' }}")
    tag(doc, "{%p if offered %}")
    para(doc, "Appointments offered since:", keep=True)
    tag(doc, "{%p endif %}")
    bullets(doc, "offered", "{{ s }}")
    para(doc, "Breach decision", style="Heading 2")
    para(doc, "{{ breach_decision }} The decision on breach rests with probation; please let us know what you "
              "decide, so that our record and the treatment plan match it.")
    signature(doc)
    return doc


def client_completion():
    doc = new_document("The end of your MHTR treatment")
    addressee_block(doc, ("{{ client_name }}", "{{ client_address or '[address missing]' }}"))
    draft_notice(doc)
    para(doc, "Dear {{ salutation }},")
    para(doc, "The end of your treatment", style="Heading 2")
    para(doc, "Your treatment under the Mental Health Treatment Requirement finished on {{ completion_date }}. "
              "You came to {{ sessions_attended }} {{ 'session' if sessions_attended == '1' else 'sessions' }}. "
              "Thank you for the work you put into them.")
    tag(doc, "{%p if recommendations %}")
    para(doc, "What we suggest next", style="Heading 2")
    para(doc, "{{ recommendations }}")
    tag(doc, "{%p endif %}")
    para(doc, "Staying in touch", style="Heading 2")
    para(doc, "{% if follow_up_dates %}We will get in touch around {{ follow_up_dates }} to ask you to fill in the "
              "same short questionnaires again, so we can see how you are getting on. {% endif %}If you feel you "
              "need a little more support, you can ask us for one to three more sessions"
              "{% if service_phone %}: call us on {{ service_phone }}{% endif %}.")
    para(doc, "If you need help urgently", style="Heading 2")
    bullets(doc, "helplines", "{{ s }}")
    bullets(doc, "crisis_local", "{{ s }}")
    para(doc, "Local services", style="Heading 2")
    bullets(doc, "local_services", "{{ s }}")
    para(doc, "Apps, books and websites", style="Heading 2")
    bullets(doc, "resources", "{{ s }}")
    bullets(doc, "public_health", "{{ s }}")
    para(doc, "Your GP", style="Heading 2")
    para(doc, "{% if gp_registered == 'no' or not gp_practice %}If you are not registered with a GP, please register "
              "with a practice near you; we can help if you ask.{% else %}Your GP practice, {{ gp_practice }}, can "
              "keep helping you with your mental and physical health.{% endif %}")
    signature(doc, "With best wishes,")
    return doc


BUILDS = {
    "gp_letter_accepted.docx": gp_letter_accepted,
    "gp_letter_declined.docx": gp_letter_declined,
    "court_report.docx": court_report,
    "consent_form.docx": consent_form,
    "completion_letter.docx": completion_letter,
    "assessment_record.docx": assessment_record,
    "probation_update.docx": probation_update,
    "non_attendance.docx": non_attendance,
    "client_completion.docx": client_completion,
}


def build(out: Path = OUT) -> list[Path]:
    """Write every template into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in BUILDS.items():
        path = out / name
        make().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(p)
