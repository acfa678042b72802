"""The words the rest of the domain speaks: who a client is (``identity``), dates and their ranges (``dates``),
events and the case state they add up to (``stages``), the event kinds with their fields and checks
(``event_kinds``, ``event_fields``) and the checks on typed text (``text``).

Pure: no database, no clock of its own, no checklist. The checklist engine (``checklists``) and the actions and
read models (``records``) build on it.
"""
