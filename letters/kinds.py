"""The kinds of document, named as the checklist names them, and the names a user may type.

A checklist item that asks for a document carries ``action = "gp-letter"`` (or any kind below), so the app can
hand a task's action straight to ``letters.preview``, and ``done_by = ["document:gp-letter"]`` so writing the
final document closes it; the command line's shorter words (``gp``, ``completion``, ``consent``) mean the same
kinds.
"""

from __future__ import annotations

from vocabulary.identity import ValidationError

KINDS: dict[str, str] = {
    "gp-letter": "GP letter",
    "court-report": "court report",
    "consent-form": "consent form",
    "completion-letter": "completion letter",
    "assessment-record": "assessment record",
    "probation-update": "probation update",
    "non-attendance": "non-attendance letter",
    "client-completion": "end-of-treatment letter to the client",
}
CLI_NAMES: dict[str, str] = {
    "gp": "gp-letter",
    "court-report": "court-report",
    "completion": "completion-letter",
    "consent": "consent-form",
    "assessment-record": "assessment-record",
    "probation-update": "probation-update",
    "non-attendance": "non-attendance",
    "client-completion": "client-completion",
}


def document_kind(text: str) -> str:
    """The kind meant by ``text``: a checklist action name or a command-line word."""
    key = (text or "").strip().lower().replace("_", "-")
    if key in KINDS:
        return key
    if key in CLI_NAMES:
        return CLI_NAMES[key]
    raise ValidationError(f"unknown document {text!r}; documents are: {', '.join(CLI_NAMES)}")
