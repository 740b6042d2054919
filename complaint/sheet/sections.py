"""The sheet's sections: groups of rows after the case's own answers, each with its own key
families (the part of a key before the first dot: ``evidence.…``).

A section is one module of this package with a :class:`Section`: how its rows are written from
a case, and how its cells are read back into :class:`Case` keyword arguments. ``SECTIONS`` in
``complaint/sheet/__init__.py`` lists them in the sheet's order; the sheet writes and reads
each, and keeps a key of a family no section claims as an extra row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import Translator
from ..model import Case
from .cells import Cells, Row


@dataclass(frozen=True)
class Section:
    name: str
    #: The first part of the keys this section writes and reads.
    families: tuple[str, ...]
    #: The section's rows for a case, unescaped.
    rows: Callable[[Case, Translator], list[Row]]
    #: From the cells of the section's families: the Case keyword arguments it restores, and
    #: the keys it used up (a key it leaves is kept as an extra row). Raises CaseSheetError.
    read: Callable[[Cells], tuple[dict[str, object], set[str]]]


def section_of_family(sections: tuple[Section, ...]) -> dict[str, Section]:
    """Which section reads the keys of each family; a family claimed twice is a mistake."""
    owner: dict[str, Section] = {}
    for section in sections:
        for family in section.families:
            if family in owner:
                raise ValueError(
                    f"sheet sections {owner[family].name!r} and {section.name!r} both claim {family!r}"
                )
            owner[family] = section
    return owner
