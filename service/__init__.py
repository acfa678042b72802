"""The domain service: the database, the clock, the checklist and the settings of one run, and the actions the
app and the command line call (``service.core.Service``, ``service.clock.Clock``)."""
