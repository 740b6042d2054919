"""Pure-Python core of the digital-wallet complaint workbook.

Nothing in this package imports ipywidgets, IPython or pandas: it is the case model,
the content catalog, the validation and progress rules and the CSV case-sheet storage,
all testable without a kernel. The UI lives in the sibling ``widgets`` package.
"""

__version__ = "0.1.0"
