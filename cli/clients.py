"""``mhtr-tui client add | list | show | update | new-case | archive | unarchive``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cli.common import console, open_service, print_json

if TYPE_CHECKING:
    from service.core import Service

# (flag, field, help)
CLIENT_OPTIONS = (
    ("--name", "name", "full name"),
    ("--dob", "dob", "date of birth (20/11/1990 or 1990-11-20)"),
    ("--nhs", "nhs_number", "NHS number (10 digits, checked)"),
    ("--gender", "gender", "gender"),
    ("--ethnicity", "ethnicity", "ethnic category"),
    ("--address", "address", "postal address"),
    ("--postcode", "postcode", "postcode"),
    ("--phone", "phone", "phone number"),
    ("--gp-practice", "gp_practice", "GP practice name"),
    ("--gp-address", "gp_address", "GP practice address"),
    ("--gp-registered", "gp_registered", "registered with a GP: yes/no"),
    ("--gp-registered-date", "gp_registered_date", "date registered with the GP"),
    ("--gp-registered-via-mhtr", "gp_registered_via_mhtr", "registered with a GP as a result of the MHTR: yes/no"),
    ("--referral-source", "referral_source", "who referred (seed 004 list)"),
    ("--offence", "offence_type", "offence type (seed 004 list)"),
    ("--court", "court", "court"),
    ("--ro-name", "ro_name", "probation Responsible Officer"),
    ("--ro-contact", "ro_contact", "Responsible Officer's phone or email"),
    ("--risk-level", "risk_level", "probation risk level: Low, Medium, High, Very high"),
    ("--requirement", "requirement", "MHTR, MHTR & DRR or MHTR & ATR"),
    ("--accommodation", "accommodation", "accommodation status"),
    ("--looked-after", "looked_after", "looked-after child / care leaver: yes/no"),
    ("--ehc-plan", "ehc_plan", "Education, Health and Care Plan: yes/no"),
    ("--pregnancy", "pregnancy", "pregnant: yes/no"),
    ("--caring", "caring", "caring responsibilities: yes/no"),
    ("--disability", "disability", "disability: yes/no"),
    ("--armed-forces", "armed_forces", "armed forces history: yes/no"),
)


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser("client", help="add, list and show clients")
    csub = p.add_subparsers(dest="client_command", metavar="SUBCOMMAND", required=True)

    add = csub.add_parser("add", help="add a client and open their first case; prints the case reference")
    upd = csub.add_parser("update", help="correct or complete a client's details")
    upd.add_argument("ref", metavar="REF")
    for parser in (add, upd):
        add_db(parser)
        for flag, dest, text in CLIENT_OPTIONS:
            parser.add_argument(flag, dest=dest, help=text, required=(parser is add and dest in ("name", "dob")))
    add.set_defaults(handler=_add)
    upd.set_defaults(handler=_update)

    newcase = csub.add_parser("new-case", help="open a further case for the client of REF (a new referral)")
    newcase.add_argument("ref", metavar="REF")
    add_db(newcase)
    newcase.set_defaults(handler=_new_case)

    ls = csub.add_parser("list", help="list cases with their stage and next task")
    add_db(ls)
    ls.add_argument("--archived", action="store_true", help="list the archived cases instead, with when and why")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=_list)

    arc = csub.add_parser(
        "archive",
        help="archive a case (never deleted): it leaves the caseload and Today; unarchive brings it back",
        description="Sets when and why the case was archived, audited. Refused for an archived case, and while "
        "appointments are booked ahead (cancel them first). Its open tasks stay as they are, out of Today; no "
        "event can be recorded on it until it is unarchived. Subject access and past monthly returns still "
        "include it.",
    )
    arc.add_argument("ref", metavar="REF")
    arc.add_argument("--reason", required=True, metavar="TEXT", help="why (kept with the case and in its history)")
    arc.add_argument("--json", action="store_true")
    add_db(arc)
    arc.set_defaults(handler=_archive)

    unarc = csub.add_parser("unarchive", help="bring an archived case back, its open tasks as they were")
    unarc.add_argument("ref", metavar="REF")
    unarc.add_argument("--json", action="store_true")
    add_db(unarc)
    unarc.set_defaults(handler=_unarchive)

    show = csub.add_parser("show", help="a case: details, events and tasks")
    show.add_argument("ref", metavar="REF")
    add_db(show)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)


def _fields(args: argparse.Namespace) -> dict:
    return {dest: getattr(args, dest) for _, dest, _ in CLIENT_OPTIONS if getattr(args, dest, None) is not None}


def _add(args: argparse.Namespace) -> int:
    print(open_service(args).add_client(_fields(args)))
    return 0


def _update(args: argparse.Namespace) -> int:
    open_service(args).update_client(args.ref, _fields(args))
    print(f"updated {args.ref.upper()}")
    return 0


def _new_case(args: argparse.Namespace) -> int:
    print(open_service(args).new_case(args.ref))
    return 0


def _list(args: argparse.Namespace) -> int:
    service = open_service(args)
    if args.archived:
        return _list_archived(service, args.json)
    rows = service.caseload()
    if args.json:
        print_json(rows)
        return 0
    from rich.table import Table

    table = Table("Ref", "Name", "Stage", "Sessions", "Next task", "Due", box=None)
    for r in rows:
        table.add_row(r["ref"], r["name"], r["stage_label"], r["sessions"], r["next_task"] or "", r["next_due_uk"])
    console().print(table)
    return 0


def _list_archived(service: Service, as_json: bool) -> int:
    from records.audit_trail import uk_time

    rows = service.archived_cases()
    if as_json:
        print_json(rows)
        return 0
    from rich.table import Table

    table = Table("Ref", "Name", "Archived", "Reason", box=None)
    for r in rows:
        table.add_row(r["ref"], r["name"], uk_time(r["archived_at"]), r["reason"] or "")
    console().print(table)
    return 0


def _archive(args: argparse.Namespace) -> int:
    done = open_service(args).archive(args.ref, args.reason)
    if args.json:
        print_json({"ref": done.ref, "archived_at": done.archived_at, "reason": done.reason})
        return 0
    print(f"archived {done.ref} ({done.reason}); mhtr-tui client unarchive {done.ref} brings it back")
    return 0


def _unarchive(args: argparse.Namespace) -> int:
    done = open_service(args).unarchive(args.ref)
    if args.json:
        print_json({"ref": done.ref, "archived_at": None, "reason": None})
        return 0
    print(f"unarchived {done.ref}: back in the caseload, its open tasks in Today")
    return 0


def _show(args: argparse.Namespace) -> int:
    detail = open_service(args).case_detail(args.ref)
    if args.json:
        print_json(detail)
        return 0
    from rich.text import Text

    from vocabulary.dates import uk
    from vocabulary.identity import gp_words

    # Styled pieces and what the record holds kept apart: nothing typed is read as markup.
    con = console()
    c = detail
    nhs = c["nhs_number_display"] or "-"
    con.print(Text.assemble((c["ref"], "bold"), f"  {c['name']}  born {uk(c['dob'])}  NHS {nhs}"))
    con.print(f"Stage: {c['stage_label']}    GP: {gp_words(c) or '-'}    RO: {c['ro_name'] or '-'}")
    if c["sentence_date"]:
        order = [f"Sentenced {uk(c['sentence_date'])}" + (" (on the day)" if c["sentenced_on_day"] else "")]
        if c["sessions_planned"]:
            order.append(f"sessions {c['sessions_attended']}/{c['sessions_planned']}")
        if c["order_end"]:
            order.append(f"order ends {uk(c['order_end'])}")
        con.print("    ".join(order))
    if c.get("case_archived_at"):
        from records.audit_trail import uk_time

        con.print(f"Archived {uk_time(c['case_archived_at'])}: {c.get('case_archive_reason') or '-'}")
    con.print(Text.assemble("\n", ("Events", "bold")))
    for e in c["events"]:
        con.print(f"  {uk(e['date'])}  {e['label']}  {e['summary']}")
    con.print(Text.assemble("\n", ("Open tasks", "bold")))
    for t in c["tasks"]:
        if t["status"] == "open":
            con.print(f"  #{t['id']:<6} {uk(t['due'])}  {t['title']}")
    return 0
