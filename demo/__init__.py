"""The demo: a synthetic caseload (people who do not exist, cases at every stage) to try the app on."""
