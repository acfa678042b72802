"""Bringing an existing caseload in from the spreadsheets practitioners keep (.xlsx and .csv).

The work is split the way a person does it: read the sheet and find its heading row (``sheets``), decide
which column holds what (``mapping``), read each cell as the date, number or text it should be (``cells``) and
the return's details as the event form's choices (``details``),
plan what would be created and what cannot be read (``plan``), and only then write it all in one transaction
(``write``). ``report`` turns a plan into the lines both the command line and the app show.

Nothing here imports Textual; openpyxl is imported only when an .xlsx file is read.
"""
