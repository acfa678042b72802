"""The options of ``mhtr-tui event``, generated from the event-kind registry (``vocabulary.event_kinds.KINDS``), and
the event's data read back from them; shared with ``mhtr-tui appointment attend --complete``, which records a
completion with the same options.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from vocabulary.event_fields import FLAG, NUMBER, YES_NO, Field, Kind
from vocabulary.event_kinds import KINDS


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


def add_field_options(p: argparse.ArgumentParser, kinds: Iterable[Kind] = KINDS.values()) -> None:
    """One option per field name across ``kinds`` (``--outcome`` serves the court, a session and a breach); every
    kind by default (``event``), one kind's for a command that records it too (``appointment attend --complete``).
    """
    options: dict[str, list[tuple[Kind, Field]]] = {}
    flag_values: dict[str, list[tuple[Kind, Field]]] = {}
    for kind in kinds:
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


def kind_data(args: argparse.Namespace, kind: Kind) -> dict:
    """The fields of ``kind`` as given on the command line (the domain checks and cleans them)."""
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


def given_options(args: argparse.Namespace, kinds: Iterable[Kind] = KINDS.values()) -> list[str]:
    """The field options of ``kinds`` set on the command line (a flag set, a value given)."""
    out = []
    for kind in kinds:
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
