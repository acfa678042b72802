"""What the service records about clients, cases and events: the actions and the read models.

The words they use (identity, dates, stages, event kinds) are in ``vocabulary``. ``casework`` is the one place
where a user's action (add a client, record an event, tick a task) is turned into database writes and checklist
tasks, so the command line and the app do each thing the same way.
"""
