"""``mhtr-tui letter``, ``mhtr-tui assessment`` and ``mhtr-tui settings``: the Word documents, the assessment
record they draw on, and the service details printed on them. Parsing and printing only; the work is in
``letters/``.
"""

from __future__ import annotations

import argparse
import sys

from cli.common import open_service, print_json

LETTER_KINDS = (
    "gp",
    "court-report",
    "completion",
    "consent",
    "assessment-record",
    "probation-update",
    "non-attendance",
    "client-completion",
)


def register(sub: argparse._SubParsersAction, add_db) -> None:
    from letters.assessment_fields import FIELDS

    p = sub.add_parser(
        "letter",
        help="write a Word document for a case: " + " | ".join(LETTER_KINDS),
        description="Writes the document into the letters folder (setting letters_dir, default 'letters' beside "
        "the database) or to -o PATH, owner-only, and records it on the case. A document with everything it needs "
        "is final and ticks the checklist task that asked for it; otherwise it is a DRAFT (on every page, '-draft' "
        "in its name) and ticks nothing. 'gp' picks the accepted or declined letter from the case's events; "
        "'probation-update' the Clinical Lead or court update; a document the events do not support yet is "
        "refused with the reason.",
    )
    p.add_argument("kind", choices=LETTER_KINDS, metavar="KIND", help=" | ".join(LETTER_KINDS))
    p.add_argument("ref", metavar="REF")
    p.add_argument("-o", "--output", metavar="PATH", help="file (.docx) or folder to write to")
    p.add_argument("--preview", action="store_true", help="print the fields and warnings; write nothing")
    p.add_argument(
        "--yes",
        action="store_true",
        help="write even where the preview asks first (a court report after the court has decided)",
    )
    p.add_argument("--json", action="store_true")
    add_db(p)
    p.set_defaults(handler=_letter)

    a = sub.add_parser("assessment", help="show or edit the assessment record (seed 004 Appendix 1)")
    asub = a.add_subparsers(dest="assessment_command", metavar="SUBCOMMAND", required=True)
    show = asub.add_parser("show", help="print the assessment record of a case")
    show.add_argument("ref", metavar="REF")
    show.add_argument("--json", action="store_true")
    add_db(show)
    show.set_defaults(handler=_assessment_show)
    aset = asub.add_parser(
        "set",
        help="set fields of the assessment record ('' clears one, '-' reads it from stdin)",
        description="Assessment and report fields are locked once the court report is sent; the outcome fields "
        "(signposting, end_*) stay editable.",
    )
    aset.add_argument("ref", metavar="REF")
    for f in FIELDS:
        aset.add_argument(f"--{f.name.replace('_', '-')}", dest=f"field_{f.name}", metavar="TEXT", help=f.label)
    aset.add_argument("--json", action="store_true")
    add_db(aset)
    aset.set_defaults(handler=_assessment_set)

    s = sub.add_parser("settings", help="show or set the service details used on every document")
    ssub = s.add_subparsers(dest="settings_command", metavar="SUBCOMMAND", required=True)
    ls = ssub.add_parser("list", help="every setting, its value and what it is for")
    ls.add_argument("--json", action="store_true")
    add_db(ls)
    ls.set_defaults(handler=_settings_list)
    st = ssub.add_parser("set", help="set one setting ('' clears it)")
    st.add_argument("key", metavar="KEY")
    st.add_argument("value", metavar="VALUE")
    add_db(st)
    st.set_defaults(handler=_settings_set)


def _letter(args: argparse.Namespace) -> int:
    service = open_service(args)
    if args.preview:
        d = service.draft(args.kind, args.ref)
        if args.json:
            print_json(
                {
                    "kind": d.kind,
                    "title": d.title,
                    "final": d.final,
                    "missing": d.missing,
                    "confirm": d.confirm,
                    "fields": d.fields,
                    "warnings": d.warnings,
                }
            )
            return 0
        print(d.title + ("" if d.final else "  (would be written as a DRAFT)"))
        for key, value in d.fields.items():
            print(f"  {key}: {_short(value)}")
        for w in d.warnings:
            print(f"  ! {w}")
        if d.confirm:
            print(f"  ? {d.confirm} (--yes writes it)")
        return 0
    w = service.write_document(args.kind, args.ref, args.output, confirmed=args.yes)
    if args.json:
        print_json(
            {
                "path": str(w.path),
                "document_id": w.document_id,
                "sha256": w.sha256,
                "title": w.title,
                "final": w.final,
                "missing": w.missing,
                "ticked": w.ticked,
                "warnings": w.warnings,
            }
        )
        return 0
    print(f"{w.title} saved: {w.path}")
    if not w.final:
        print("  DRAFT: not for sending and no task ticked; fill in what is missing and write it again")
    for title in w.ticked:
        print(f"  ✓ {title}")
    for text in w.warnings:
        print(f"  ! {text}")
    return 0


def _short(value) -> str:
    if isinstance(value, list):
        return f"{len(value)} row(s)" if value and isinstance(value[0], dict) else "; ".join(map(str, value))
    text = " / ".join(str(value).splitlines())
    return text if len(text) <= 100 else text[:97] + "..."


def _assessment_show(args: argparse.Namespace) -> int:
    from letters.assessment_fields import FIELDS

    record = open_service(args).assessment(args.ref)
    if args.json:
        print_json(record)
        return 0
    print(f"{record['ref']} assessment record" + (f" ({record['date']})" if record["date"] else ""))
    if record["locked"]:
        print(f"  locked: {record['locked']}")
    for f in FIELDS:
        value = record["fields"][f.name]
        print(f"  {f.name}: {_short(value) if value else '-'}")
    return 0


def _assessment_set(args: argparse.Namespace) -> int:
    from letters.assessment_fields import FIELDS
    from vocabulary.identity import ValidationError

    given = {f.name: getattr(args, f"field_{f.name}") for f in FIELDS if getattr(args, f"field_{f.name}") is not None}
    from_stdin = [name for name, value in given.items() if value == "-"]
    if len(from_stdin) > 1:
        raise ValidationError("only one field can be read from stdin ('-')")
    if from_stdin:
        given[from_stdin[0]] = sys.stdin.read()
    record = open_service(args).save_assessment(args.ref, given)
    if args.json:
        print_json(record)
        return 0
    print(f"{record['ref']}: saved {', '.join(given)}")
    return 0


def _settings_list(args: argparse.Namespace) -> int:
    rows = open_service(args).settings_view()
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        value = r["value"] or (f"(default: {r['effective']})" if r["effective"] else "-")
        print(f"{r['key']}: {value}")
        print(f"    {r['about']}")
    return 0


def _settings_set(args: argparse.Namespace) -> int:
    value = open_service(args).save_setting(args.key, args.value)
    print(f"{args.key.strip().lower().replace('-', '_')} = {value}" if value else f"{args.key} cleared")
    return 0
