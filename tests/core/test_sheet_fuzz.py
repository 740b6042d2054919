"""Whatever bytes arrive as a case sheet, reading them either succeeds or raises CaseSheetError
with a message key: never another exception (which would reach the user as a traceback)."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from complaint.errors import CaseSheetError
from complaint.i18n import messages
from complaint.sheet import read_sheet

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHEETS = [path.read_bytes() for path in sorted(FIXTURES.glob("case-sheet-v*.csv"))]
KEYS = set(messages("en"))


def read_or_refuse(data: bytes) -> None:
    try:
        read_sheet(data)
    except CaseSheetError as error:
        assert error.key in KEYS, error.key


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000))
def test_random_bytes(data):
    read_or_refuse(data)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(SHEETS),
    st.integers(min_value=0),
    st.integers(min_value=0, max_value=8),
    st.binary(max_size=12),
)
def test_real_sheets_with_bytes_replaced(sheet, position, length, replacement):
    position %= len(sheet)
    read_or_refuse(sheet[:position] + replacement + sheet[position + length :])


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(SHEETS),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.integers(min_value=0),
)
def test_real_sheets_with_a_cell_rewritten(sheet, text, line_number):
    lines = sheet.decode("utf-8-sig").split("\r\n")
    index = line_number % len(lines)
    cells = lines[index].split(",")
    if len(cells) >= 3:
        cells[2] = '"' + text.replace('"', '""') + '"'
        lines[index] = ",".join(cells)
    read_or_refuse("\r\n".join(lines).encode("utf-8-sig"))
