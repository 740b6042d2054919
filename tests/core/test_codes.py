import math
import re

import pytest

from complaint.codes import (
    ALPHABET,
    CODE_LENGTH,
    case_id_for,
    format_code,
    new_code,
    normalise_code,
)
from complaint.errors import InvalidInput


def test_new_codes_have_at_least_64_bits_and_use_only_the_alphabet():
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 64
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(f"[{ALPHABET}]{{{CODE_LENGTH}}}", code) for code in codes)


def test_typing_is_forgiving():
    code = "K7QX0M2PD9HTR41B"
    typed = "k7qx-oM2P d9ht-rIlb"  # lower case, dashes, spaces, O for 0, I and l for 1
    assert normalise_code(typed) == "K7QX0M2PD9HTR11B"
    assert normalise_code(format_code(code)) == code
    assert (
        normalise_code("ＫＱ７Ｘ０Ｍ２ＰＤ９ＨＴＲ４１Ｂ") == "KQ7X0M2PD9HTR41B"
    )  # full-width, as a Chinese IME types


@pytest.mark.parametrize(
    "typed",
    ["", "ABC", "K7QX0M2PD9HTR41B7", "K7QX0M2PD9HTR4U!", "../../etc/passwd", "K7QX0M2PD9HTR4\x00B"],
)
def test_malformed_codes_are_refused(typed):
    with pytest.raises(InvalidInput) as caught:
        normalise_code(typed)
    assert caught.value.key == "code.invalid"


def test_format_code_groups_by_four():
    assert format_code("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"


def test_case_id_is_stable_and_does_not_contain_the_code():
    code = new_code()
    assert case_id_for(code) == case_id_for(code)
    assert re.fullmatch(r"[0-9a-f]{24}", case_id_for(code))
    assert code.lower() not in case_id_for(code)
    assert case_id_for(code) != case_id_for(new_code())
