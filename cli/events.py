"""``mhtr-tui event REF KIND [--date DATE] [options]``: record what happened on a case."""

from __future__ import annotations

import argparse

from cli.common import open_service, print_json
from records.stages import EVENT_KINDS, SESSION_OUTCOMES


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser(
        "event",
        help="record what happened on a case; starts checklist stages",
        description="Kinds: " + ", ".join(EVENT_KINDS),
    )
    p.add_argument("ref", metavar="REF", help="case reference, e.g. MHTR-0007")
    p.add_argument("kind", metavar="KIND", help="one of: " + ", ".join(EVENT_KINDS))
    p.add_argument("--date", help="when it happened (default today): 20/11/2026, 2026-11-20, yesterday")
    p.add_argument("--reason", help="reason (not-eligible, declined decisions, adjournment, breach)")
    decision = p.add_mutually_exclusive_group()
    decision.add_argument("--approved", action="store_true", help="cl-decision: approved")
    decision.add_argument("--accepted", action="store_true", help="court-outcome: MHTR made")
    decision.add_argument("--declined", action="store_true", help="cl-decision or court-outcome: declined")
    p.add_argument(
        "--order", choices=["CO", "SSO", "co", "sso"], help="court-outcome: Community or Suspended Sentence Order"
    )
    p.add_argument("--length-months", help="court-outcome: length of the order in months")
    p.add_argument("--sessions", help="court-outcome: planned sessions (default 12)")
    p.add_argument("--sentenced-on-day", action="store_true", help="court-outcome: sentenced on the day (within 24 h)")
    p.add_argument("--combined", choices=["DRR", "ATR", "drr", "atr"], help="court-outcome: combined requirement")
    p.add_argument("--outcome", help="session: " + " | ".join(SESSION_OUTCOMES) + "; breach: what the court did")
    p.add_argument("--final", action="store_true", help="session: the final session")
    p.add_argument("--extra", action="store_true", help="session: an extra session after completion")
    p.add_argument("--notes", help="session: notes")
    p.add_argument("--months", help="follow-up: 3, 6 or 12")
    related = p.add_mutually_exclusive_group()
    related.add_argument(
        "--mhtr-related", dest="mhtr_related", action="store_true", default=None, help="breach: related to the MHTR"
    )
    related.add_argument(
        "--not-mhtr-related", dest="mhtr_related", action="store_false", help="breach: related to another requirement"
    )
    p.add_argument(
        "--corrects",
        metavar="EVENT_ID",
        help="record this as a correction of event EVENT_ID (same kind); the old entry is kept",
    )
    p.add_argument("--json", action="store_true", help="print the event and the tasks it created")
    add_db(p)
    p.set_defaults(handler=_event)


def event_data(args: argparse.Namespace) -> dict:
    """The event's details from the flags that apply to its kind."""
    data: dict = {}
    if args.reason:
        data["reason"] = args.reason
    if args.kind == "cl-decision":
        data["decision"] = "approved" if args.approved else "declined" if args.declined else None
    elif args.kind == "court-outcome":
        data["outcome"] = "accepted" if args.accepted else "declined" if args.declined else None
        data.update(
            order=args.order,
            length_months=args.length_months,
            sessions=args.sessions,
            sentenced_on_day=args.sentenced_on_day,
            combined=args.combined,
        )
    elif args.kind == "session":
        data.update(outcome=args.outcome, final=args.final, extra=args.extra, notes=args.notes)
    elif args.kind == "follow-up":
        data["months"] = args.months
    elif args.kind == "breach":
        data.update(mhtr_related=args.mhtr_related, outcome=args.outcome)
    return data


def _event(args: argparse.Namespace) -> int:
    service = open_service(args)
    extra: dict = {}
    if args.corrects:
        _check_correction_kind(service, args)
        data = {k: v for k, v in event_data(args).items() if v not in (None, False)}
        result = service.correct_event(args.ref, args.corrects, args.date, data)
    elif args.kind == "session":
        result, extra = _session(service, args)
    elif args.kind == "withdrawal":
        result, cancelled = service.withdraw_consent(args.ref, args.date)
        extra = {"cancelled_appointments": cancelled}
    else:
        result = service.record_event(args.ref, args.kind, args.date, event_data(args))
    if args.json:
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
    print(f"{args.ref.upper()}: {EVENT_KINDS[args.kind].lower()} {verb}; stage now {result.state.label.lower()}")
    for s in result.created:
        print(f"  + {s.due:%d/%m/%Y}  {s.title}")
    for c in result.closed:
        print(f"  {'✓' if c.status == 'done' else '-'} {c.key} ({c.reason})")
    if extra.get("appointment_id"):
        print(f"  appointment {extra['appointment_id']} marked with this session")
    if extra.get("cancelled_appointments"):
        ids = ", ".join(str(i) for i in extra["cancelled_appointments"])
        print(f"  booked appointment(s) {ids} cancelled (consent withdrawn)")
    return 0


def _session(service, args: argparse.Namespace):
    """A session goes through ``records.sessions.log_session``: it closes the day's booked appointment and keeps
    to the three extra sessions allowed after completion (a session after completion is an extra one).
    """
    log = service.log_session(
        args.ref,
        args.date,
        args.outcome or "attended",
        notes=args.notes,
        final=args.final,
        extra=True if args.extra else None,
    )
    return log.result, {"appointment_id": log.appointment_id, "final": log.final}


def _check_correction_kind(service, args: argparse.Namespace) -> None:
    from records.identity import ValidationError

    events = {str(e["id"]): e for e in service.case_detail(args.ref)["events"]}
    event = events.get(str(args.corrects))
    if event and event["kind"] != args.kind:
        raise ValidationError(
            f"event {args.corrects} is a {event['kind']}, not a {args.kind}; a correction keeps the kind"
        )
