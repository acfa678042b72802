"""``mhtr-tui event REF KIND [--date DATE] [options]``: record what happened on a case.

The options and their help are generated from the event-kind registry (``vocabulary.event_kinds.KINDS``): a field
added there is an option here, and an option given for a kind that does not have it is refused.
"""

from __future__ import annotations

import argparse
import textwrap

from cli.appointments import copy_entry, show_entry
from cli.common import open_service, print_json
from cli.event_options import add_field_options, given_options, kind_data, kind_usage, options_of
from vocabulary.event_kinds import EVENT_KINDS, KINDS


def register(sub: argparse._SubParsersAction, add_db) -> None:
    epilog = "kinds and their options:\n" + textwrap.indent("\n".join(kind_usage(k) for k in KINDS.values()), "  ")
    p = sub.add_parser(
        "event",
        help="record what happened on a case; starts checklist stages",
        description="Record what happened on a case, on a date; it starts the checklist items it triggers.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ref", metavar="REF", help="case reference, e.g. MHTR-0007")
    p.add_argument("kind", metavar="KIND", help="one of: " + ", ".join(EVENT_KINDS))
    p.add_argument("--date", help="when it happened (default today): 20/11/2026, 2026-11-20, yesterday")
    add_field_options(p)
    p.add_argument(
        "--corrects",
        metavar="EVENT_ID",
        help="record this as a correction of event EVENT_ID (same kind); the old entry is kept",
    )
    p.add_argument(
        "--copy",
        action="store_true",
        help="session: copy its health-system entry to the clipboard as well (ticks its health system entry task)",
    )
    p.add_argument("--json", action="store_true", help="print the event and the tasks it created")
    add_db(p)
    p.set_defaults(handler=_event)


def event_data(args: argparse.Namespace) -> dict:
    """The event's details from the options of its kind; an option of another kind is refused."""
    from vocabulary.event_kinds import kind_of
    from vocabulary.identity import ValidationError

    kind = kind_of(args.kind)
    given = given_options(args)
    if getattr(args, "copy", False) and (kind.action != "session" or getattr(args, "corrects", None)):
        raise ValidationError("--copy is for recording a session: it copies the session's health-system entry")
    stray = [o for o in given if o not in options_of(kind)]
    if stray:
        owners = [k.name for k in KINDS.values() if stray[0] in options_of(k)]
        raise ValidationError(f"{stray[0]} is for {', '.join(owners)}, not {kind.name}")
    return kind_data(args, kind)


def _event(args: argparse.Namespace) -> int:
    service = open_service(args)
    data = event_data(args)
    extra: dict = {}
    if args.corrects:
        _check_correction_kind(service, args)
        data = {k: v for k, v in data.items() if v not in (None, False)}
        result = service.correct_event(args.ref, args.corrects, args.date, data)
    else:
        recorded = service.record(args.ref, args.kind, args.date, data)
        result = recorded.result
        if recorded.session is not None:
            session = recorded.session
            extra = {
                "appointment_id": session.appointment_id,
                "final": session.final,
                "health_entry": service.health_entry(session.event_id),
            }
        elif args.kind == "withdrawal":
            extra = {"cancelled_appointments": recorded.cancelled}
    if args.json:
        if args.copy:
            copy_entry(service, result.event_id)
        print_json(
            {
                "event_id": result.event_id,
                "stage": result.state.stage,
                "created": [{"key": s.key, "title": s.title, "due": s.due.isoformat()} for s in result.created],
                "closed": [{"key": c.key, "status": c.status} for c in result.closed],
                **extra,
            }
        )
        return 0
    verb = f"corrected (event {args.corrects} kept as it was)" if args.corrects else "recorded"
    print(f"{args.ref.upper()}: {EVENT_KINDS[args.kind].lower()} {verb}; stage now {result.state.label_in_sentence}")
    for s in result.created:
        print(f"  + {s.due:%d/%m/%Y}  {s.title}")
    for c in result.closed:
        print(f"  {'✓' if c.status == 'done' else '-'} {c.key} ({c.reason})")
    if extra.get("appointment_id"):
        print(f"  appointment {extra['appointment_id']} marked with this session")
    if extra.get("cancelled_appointments"):
        ids = ", ".join(str(i) for i in extra["cancelled_appointments"])
        print(f"  booked appointment(s) {ids} cancelled (consent withdrawn)")
    if extra.get("health_entry"):
        show_entry(service, result.event_id, extra["health_entry"], args.copy)
    return 0


def _check_correction_kind(service, args: argparse.Namespace) -> None:
    from vocabulary.identity import ValidationError

    events = {str(e["id"]): e for e in service.case_detail(args.ref)["events"]}
    event = events.get(str(args.corrects))
    if event and event["kind"] != args.kind:
        raise ValidationError(
            f"event {args.corrects} is a {event['kind']}, not a {args.kind}; a correction keeps the kind"
        )
