"""The trainer's side of the workbook: what the dashboard, the exports and the analysts' tables
know about a workshop's case sheets. Never imported by the participant's workbook, except the
one function a save calls (:func:`complaint.trainer.saved.write_saved_summary`)."""
