"""The administration checklist as data, and the engine that turns recorded events into dated tasks."""
