"""``mhtr-tui event REF KIND [--date DATE] [options]``: record what happened on a case.

The options and their help are generated from the event-kind registry (``vocabulary.event_kinds.KINDS``): a field
added there is an option here, and an option given for a kind that does not have it is refused.
"""

from __future__ import annotations

import argparse
import textwrap

from cli.appointments import copy_entry, show_entry
from cli.common import open_service, print_json
from vocabulary.event_fields import FLAG, NUMBER, YES_NO, Field, Kind
from vocabulary.event_kinds import EVENT_KINDS, KINDS


def _metavar(f: Field) -> str:
    if f.choices:
        return "|".join(f.values)
    return "N" if f.type == NUMBER else "TEXT"


def kind_usage(kind: Kind, width: int = 100) -> str:
    """``court-outcome --accepted | --declined [--order CO|SSO] ...``: one kind's options, as the help lists them
    (lines broken between options, never inside one)."""
    parts = [kind.name]
    for f in kind.fields:
        if f.flags:
            text = " | ".join(f"--{v}" for v in f.values)
        elif f.type == YES_NO:
            text = f"{f.option} | --not-{f.option[2:]}"
        elif f.type == FLAG:
            text = f.option
        else:
            text = f"{f.option} {_metavar(f)}"
        parts.append(text if f.required is True else f"[{text}]")
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 1 + len(part) > width:
            lines.append("    " + part)
        else:
            lines[-1] += " " + part
    return "\n".join(lines)


def options_of(kind: Kind) -> list[str]:
    """Every option a kind takes (``--approved``, ``--declined``, ``--reason``...), for refusing the others."""
    out = []
    for f in kind.fields:
        if f.flags:
            out.extend(f"--{v}" for v in f.values)
        elif f.type == YES_NO:
            out.extend([f.option, f"--not-{f.option[2:]}"])
        else:
            out.append(f.option)
    return out


def _help_for(uses: list[tuple[Kind, Field]], text) -> str:
    """``session: how long it lasted; breach: what the court did``: each kind's words, kinds with the same joined."""
    by_text: dict[str, list[str]] = {}
    for kind, f in uses:
        by_text.setdefault(text(f), []).append(kind.name)
    return "; ".join(f"{', '.join(kinds)}: {words}" for words, kinds in by_text.items())


def _add_field_options(p: argparse.ArgumentParser) -> None:
    """One option per field name across every kind (``--outcome`` serves the court, a session and a breach)."""
    options: dict[str, list[tuple[Kind, Field]]] = {}
    flag_values: dict[str, list[tuple[Kind, Field]]] = {}
    for kind in KINDS.values():
        for f in kind.fields:
            if f.flags:
                for value in f.values:
                    flag_values.setdefault(value, []).append((kind, f))
            else:
                options.setdefault(f.option, []).append((kind, f))
    if flag_values:
        group = p.add_mutually_exclusive_group()
        for value, uses in flag_values.items():
            words = _help_for(uses, lambda f, v=value: dict(f.choices)[v])
            group.add_argument(f"--{value}", action="store_true", help=words)
    for option, uses in options.items():
        first = uses[0][1]
        words = _help_for(uses, lambda f: f.help)
        dest = first.name
        if first.type == YES_NO:
            group = p.add_mutually_exclusive_group()
            group.add_argument(option, dest=dest, action="store_true", default=None, help=words)
            negative = _help_for(uses, lambda f: f"not {f.help}")
            group.add_argument(f"--not-{option[2:]}", dest=dest, action="store_false", help=negative)
        elif first.type == FLAG:
            p.add_argument(option, dest=dest, action="store_true", help=words)
        else:
            extra: dict = {}
            if all(f.cli_choices for _, f in uses):
                values = [v for _, f in uses for v in f.values]
                extra["choices"] = list(dict.fromkeys(values + [v.lower() for v in values]))
            metavars = {_metavar(f) for _, f in uses}
            metavar = metavars.pop() if len(metavars) == 1 else None
            p.add_argument(option, dest=dest, metavar=None if "choices" in extra else metavar, help=words, **extra)


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
    _add_field_options(p)
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
    given = _given_options(args)
    if getattr(args, "copy", False) and (kind.action != "session" or getattr(args, "corrects", None)):
        raise ValidationError("--copy is for recording a session: it copies the session's health-system entry")
    stray = [o for o in given if o not in options_of(kind)]
    if stray:
        owners = [k.name for k in KINDS.values() if stray[0] in options_of(k)]
        raise ValidationError(f"{stray[0]} is for {', '.join(owners)}, not {kind.name}")
    data: dict = {}
    for f in kind.fields:
        if f.flags:
            data[f.name] = next((v for v in f.values if _flag_set(args, v)), None)
        else:
            data[f.name] = getattr(args, f.name, None)
    return data


def _flag_set(args: argparse.Namespace, value: str) -> bool:
    """Whether ``--value`` was given (argparse keeps ``--no-breach`` as ``no_breach``)."""
    return bool(getattr(args, value.replace("-", "_"), False))


def _given_options(args: argparse.Namespace) -> list[str]:
    """The field options set on the command line (a flag set, a value given)."""
    out = []
    for kind in KINDS.values():
        for f in kind.fields:
            if f.flags:
                out.extend(f"--{v}" for v in f.values if _flag_set(args, v))
                continue
            value = getattr(args, f.name, None)
            if value is None or value is False and f.type == FLAG:
                continue
            if f.type == YES_NO:
                out.append(f.option if value else f"--not-{f.option[2:]}")
            else:
                out.append(f.option)
    return list(dict.fromkeys(out))


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
