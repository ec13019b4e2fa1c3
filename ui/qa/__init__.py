"""The QA lead's workspace: decision finder, replay in the protected view, blind verdicts,
report with charts, CSV export."""
