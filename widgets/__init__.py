"""Thin ipywidgets views of the workbook: one module per step, bound to ``complaint.model.Case``.

No business rules live here: validation, progress and storage come from the ``complaint`` core.
"""
