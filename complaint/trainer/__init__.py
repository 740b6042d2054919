"""The trainer's side of the workbook: what the dashboard, the exports and the analysts' tables
know about a workshop's case sheets. The participant's workbook uses one part of it: the store
appends each saved sheet's summary to its folder's journal (complaint.trainer.saved)."""
