"""Previewing and writing a case's Word documents: what the app and ``mhtr-tui letter`` call.

``preview`` builds a document's fields and the warnings that name anything missing, writing nothing.
``write`` renders the service's template (or the one shipped in ``letters/templates``) with docxtpl, stamps
its properties (``letters.properties``), saves it owner-only into the letters folder under a name made of the
case reference, the kind and the date (never the client's name; ``-draft`` in the name of a draft), records it
on the case (kind, file, SHA-256) and closes the open checklist tasks that asked for it, all or nothing.

The rule for closing tasks is this one: only a FINAL document closes anything (``Draft.final``: nothing the kind
requires is missing and nothing holds it back). It closes, as done by mhtr-tui, the case's open tasks whose item
names ``document:<kind>`` in ``done_by`` (``records.app_done.complete_by_app``). A draft is written and recorded
but closes nothing. A document the case's events do not support is refused with the reason before anything is
written, and one that asks to be confirmed (a court report after sentence) is written only with
``confirmed=True``.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from checklists.model import Checklist, document_action
from db import documents as docdb
from db.database import Database
from db.files import OutputRefused, names_folder, resolve_output, write_private
from db.transaction import transaction
from letters.assessment_record import assessment_record
from letters.case_file import CaseFile, gather
from letters.client_completion import client_completion
from letters.common import Draft
from letters.completion_letter import completion_letter
from letters.consent_form import consent_form
from letters.court_report import court_report
from letters.gp_letter import gp_letter
from letters.kinds import KINDS, document_kind
from letters.non_attendance import non_attendance
from letters.probation_update import probation_update
from letters.properties import stamp
from letters.settings import letters_dir, templates_dir
from letters.text import clean_context
from records.app_done import complete_by_app
from records.clients import require_case, require_not_archived
from vocabulary.identity import ValidationError

SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "templates"
BUILDERS: dict[str, Callable[[CaseFile], Draft]] = {
    "gp-letter": gp_letter,
    "court-report": court_report,
    "consent-form": consent_form,
    "completion-letter": completion_letter,
    "assessment-record": assessment_record,
    "probation-update": probation_update,
    "non-attendance": non_attendance,
    "client-completion": client_completion,
}


@dataclass
class Written:
    """What ``write_document`` did: the file, its record, its checksum, and the tasks it ticked."""

    path: Path
    document_id: int
    sha256: str
    title: str
    ticked: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    final: bool = True
    missing: list[str] = field(default_factory=list)


def draft(db: Database, kind: str, ref: str, today: date) -> Draft:
    """The document's fields and warnings (refused with ValidationError if the events do not support it)."""
    kind = document_kind(kind)
    cf = gather(db, ref, today)
    result = BUILDERS[kind](cf).finish()
    _, warning = template_path(db, result.template)
    if warning:
        result.warnings.append(warning)
    return result


# When no task asks for a document, the one the case has most likely reached, latest stage first; the consent
# form, which any open case supports, comes last so it is never the default.
LIKELY_ORDER = (
    "completion-letter",
    "client-completion",
    "non-attendance",
    "gp-letter",
    "court-report",
    "probation-update",
    "assessment-record",
    "consent-form",
)
DUE_WITHIN_DAYS = 7


def availability(db: Database, ref: str, today: date) -> dict[str, str | None]:
    """For every kind, None if the case's events support it, else why not (the refusal ``draft`` would give);
    the case is read once."""
    cf = gather(db, ref, today)
    out: dict[str, str | None] = {}
    for kind in KINDS:
        try:
            BUILDERS[kind](cf)
            out[kind] = None
        except ValidationError as exc:
            out[kind] = str(exc)
    return out


def suggested_kind(tasks: list[dict], available: dict[str, str | None], today: date, chosen: str | None = None) -> str:
    """The document the Letters menu opens on: ``chosen`` (the highlighted task's) if it is a document; else
    the one an open task due by a week from now asks for (urgent first, then the latest stage's, so the GP
    letter after sentence comes before an older task left open); else the kind the case has most likely reached
    (``LIKELY_ORDER``) among those its events support; never the consent form while anything else is
    possible."""
    if chosen in KINDS:
        return chosen
    horizon = (today + timedelta(days=DUE_WITHIN_DAYS)).isoformat()
    due = [
        t
        for t in tasks
        if t.get("status") == "open" and t.get("action") in KINDS and t["due"] <= horizon
    ]
    for t in sorted(due, key=lambda t: (bool(t.get("urgent")), t["due"]), reverse=True):
        return t["action"]
    for kind in LIKELY_ORDER:
        if available.get(kind, "") is None:
            return kind
    return LIKELY_ORDER[0]


def preview(db: Database, kind: str, ref: str, today: date) -> tuple[dict, list[str]]:
    """``(fields, warnings)``: what the document will say and what is missing. Writes nothing."""
    d = draft(db, kind, ref, today)
    return d.fields, d.warnings


def template_path(db: Database, name: str) -> tuple[Path, str | None]:
    """The service's template ``name`` if its folder has one, else the shipped one (with a warning saying so)."""
    folder = templates_dir(db)
    if folder is not None:
        own = folder / name
        if own.is_file():
            return own, None
        return SHIPPED_TEMPLATES / name, f"the templates folder {folder} has no {name}; the shipped one is used"
    return SHIPPED_TEMPLATES / name, None


# What a template must show, whoever edited it: a service's copy that leaves one out would send a document
# that misleads (a draft without its DRAFT marking, a GP letter without the risk or the NHS number), so it is
# refused with the template's name. Every template shows the client, the reference and the draft marking.
MUST_SHOW_ALL = ("client_name", "client_dob", "ref", "draft", "draft_notice")
MUST_SHOW: dict[str, tuple[str, ...]] = {
    "gp_letter_accepted.docx": ("client_nhs", "gp_practice", "gp_address", "subject", "risk_lines", "ro_line"),
    "gp_letter_declined.docx": ("client_nhs", "gp_practice", "gp_address", "subject", "risk_lines", "reasons"),
    "court_report.docx": ("client_nhs", "risk", "results", "decision", "court_recommendations"),
    "completion_letter.docx": ("client_nhs", "gp_practice", "gp_address", "subject", "risk_lines", "outcomes"),
    "consent_form.docx": ("programme", "retention", "requirements"),
    "assessment_record.docx": ("client_nhs", "results", "risk_lines", "sections"),
    "probation_update.docx": ("client_nhs", "addressee", "subject", "risk_lines"),
    "non_attendance.docx": ("client_nhs", "ro_line", "absences", "absence_actions", "breach_decision"),
    "client_completion.docx": ("client_address", "helplines", "local_services"),
}


def _left_out(tpl, env, name: str) -> list[str]:
    """The fields ``MUST_SHOW`` names for template ``name`` that the template (body, headers, footers) never
    uses."""
    used = tpl.get_undeclared_template_variables(env)
    return [f for f in (*MUST_SHOW_ALL, *MUST_SHOW.get(name, ())) if f not in used]


def render(template: Path, fields: dict, now: datetime | None = None) -> bytes:
    """The filled document as .docx bytes, its properties stamped (``letters.properties``). Typed text is
    cleaned and escaped; a template naming a field the document does not have, with a broken tag, or leaving
    out what its kind must show (``MUST_SHOW``) is refused with the template's name."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined, TemplateError, UndefinedError

    try:
        tpl = DocxTemplate(template)
        tpl.init_docx()
    except Exception as exc:
        raise ValidationError(f"cannot open the template {template} ({type(exc).__name__})") from None
    env = Environment(autoescape=True, undefined=StrictUndefined)
    try:
        left_out = _left_out(tpl, env, template.name)
        if left_out:
            raise ValidationError(
                f"the template {template.name} leaves out {', '.join(left_out)}, which it must show; nothing written"
            )
        tpl.render(clean_context(fields), jinja_env=env, autoescape=True)
    except UndefinedError as exc:
        raise ValidationError(
            f"the template {template.name} uses a field this document does not have ({exc})"
        ) from None
    except TemplateError as exc:
        raise ValidationError(f"the template {template.name} has a broken tag: {exc}") from None
    stamp(
        tpl.docx,
        title=fields.get("title") or "",
        practitioner=fields.get("practitioner") or "",
        service=fields.get("service_name") or "",
        now=now,
    )
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def file_name(
    ref: str, kind: str, today: date, taken: Callable[[str], bool] = lambda name: False, *, final: bool = True
) -> str:
    """``MHTR-0007-gp-letter-2026-11-20.docx`` (``...-gp-letter-draft-...`` for a draft), with ``-2``, ``-3``...
    if that name is taken."""
    stem = f"{ref}-{kind}{'' if final else '-draft'}-{today.isoformat()}"
    name, n = f"{stem}.docx", 1
    while taken(name):
        n += 1
        name = f"{stem}-{n}.docx"
    return name


def named_as_draft(name: str, ref: str, kind: str) -> bool:
    """Whether a file called ``name`` is a draft by ``file_name``'s rule (a path the user chose says nothing)."""
    return name.startswith(f"{ref}-{kind}-draft-")


def _target(
    db: Database, ref: str, kind: str, today: date, path: Path | str | None, final: bool = True
) -> Path:
    """Where the document goes: ``-o`` read by the one rule every command follows (``db.files.resolve_output``:
    a folder that exists or is typed ending in ``/``, made owner-only if its parent exists), else the letters
    folder. Only the checks that are the letters' own are made here: a file name must end in ``.docx``, and a
    name in a folder is never one already taken (``-2``, ``-3``...), since a document never replaces another.
    """
    typed = path if path is not None and str(path).strip() else None
    if typed is not None and not names_folder(typed):
        target = Path(typed).expanduser()
        if target.suffix.lower() != ".docx":
            raise ValidationError(f"{target}: a Word document's name ends in .docx")
    default = letters_dir(db) if typed is None else None
    if default is not None and default.exists() and not default.is_dir():
        raise ValidationError(f"{default} is a file, not a folder for letters")
    try:
        return resolve_output(
            typed,
            lambda folder: file_name(ref, kind, today, lambda name: (folder / name).exists(), final=final),
            default_folder=default,
        )
    except OutputRefused as exc:
        raise ValidationError(str(exc)) from None


def write_document(
    db: Database,
    kind: str,
    ref: str,
    path: Path | str | None = None,
    *,
    today: date,
    checklist: Checklist,
    confirmed: bool = False,
    now: datetime | None = None,
) -> Written:
    """Render, save, record and (for a final document) close its tasks, all or nothing; see the module
    docstring. A document whose preview asks to be confirmed is refused, with the question, unless
    ``confirmed``."""
    d = draft(db, kind, ref, today)
    if d.confirm and not confirmed:
        raise ValidationError(f"{d.confirm} Nothing written (mhtr-tui letter ... --yes writes it)")
    template, _ = template_path(db, d.template)
    data = render(template, d.fields, now)
    digest = hashlib.sha256(data).hexdigest()
    case = require_case(db, ref)
    require_not_archived(case)
    target = _target(db, case["ref"], d.kind, today, path, d.final)
    if target.exists():
        raise ValidationError(f"{target} already exists; a document never replaces another, choose another name")
    try:
        with transaction(db):
            doc_id = docdb.insert_document(db, case["case_id"], d.kind, str(target.resolve()), digest)
            ticked = []
            if d.final:
                what = f"{KINDS.get(d.kind, d.kind)} written"
                ticked = complete_by_app(db, checklist, case["case_id"], document_action(d.kind), what)
            write_private(target, data)
    except FileExistsError:
        raise ValidationError(f"{target} already exists; nothing was saved") from None
    except OSError as exc:
        raise ValidationError(f"cannot write {target}: {exc.strerror or exc}; nothing was saved") from None
    return Written(target, doc_id, digest, d.title, ticked, d.warnings, d.final, d.missing)


def write(
    db: Database,
    kind: str,
    ref: str,
    path: Path | str | None = None,
    *,
    today: date,
    checklist: Checklist,
    confirmed: bool = False,
) -> Path:
    """Write the document and return where it was saved (see ``write_document`` for the details)."""
    return write_document(db, kind, ref, path, today=today, checklist=checklist, confirmed=confirmed).path


def documents_of(db: Database, ref: str) -> list[dict]:
    """Documents written for a case: kind, path, sha256, created_at, created_by, whether the file is there and
    whether it was written as a draft."""
    case = require_case(db, ref)
    return [
        {
            **row,
            "exists": Path(row["path"]).is_file(),
            "draft": named_as_draft(Path(row["path"]).name, case["ref"], row["kind"]),
        }
        for row in docdb.documents_of_case(db, case["case_id"])
    ]
