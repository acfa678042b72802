"""The command line: one module per command group, each with ``register(subparsers)``.

Handlers parse arguments, call the domain (``records``, ``questionnaires``, ``letters``, ``exports``) and
print. Refused input raises ``ValidationError``; ``mhtr_tui.main`` turns it into one line on stderr and a
non-zero exit, so no handler prints tracebacks or half-done work.
"""
