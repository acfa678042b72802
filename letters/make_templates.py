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
from pathlib import Path

from docx.shared import Cm

from letters.template_blocks import (
    addressee_block,
    bullets,
    draft_notice,
    keep_together,
    label_table,
    loop_table,
    new_document,
    para,
    re_block,
    registration_section,
    risk_section,
    runs,
    signature,
    tag,
)

OUT = Path(__file__).resolve().parent / "templates"


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
    para(doc, "{{ patient[:1]|upper }}{{ patient[1:] }}{% if not unregistered %},{% endif %} was assessed by our "
              "service{% if assessment_date %} on {{ assessment_date }}{% endif %} for a Mental Health Treatment "
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
    para(doc, "I am writing to tell you that {{ client_name }} did not attend their treatment appointment on "
              "{{ last_absence }} and gave no acceptable reason. This is a requirement of their {{ order_text }}"
              "{% if sentence_date %} made on {{ sentence_date }}{% endif %}. There "
              "{{ 'has' if absence_count == '1' else 'have' }} been {{ absence_count }} unacceptable "
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
