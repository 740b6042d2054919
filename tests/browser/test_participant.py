"""Who is stuck (issue 13): the participant's number on screen, and a name or seat for the trainer.

The number shown under the resume code must be the one the trainer's table shows for the same
case (both derive it from the case id), and the name typed here must land in the saved sheet.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from complaint.codes import case_id_for, normalise_code, participant_number
from complaint.sheet import read_sheet

from .conftest import PHONE
from .test_workbook_flow import open_workbook, start_new_case, wait_saved

pytestmark = pytest.mark.browser


def test_the_participant_sees_their_number_and_can_give_a_seat(
    new_page, voila_url, cases_dir, shoot
):
    page = new_page(PHONE)
    open_workbook(page, voila_url + "?lang=en")
    code = start_new_case(page)
    page.get_by_role(
        "button", name="Code & downloads"
    ).click()  # the number is behind it on a phone
    case_id = case_id_for(normalise_code(code))
    number = page.locator(".wb-participant-number")
    expect(number).to_contain_text(f"Your participant number: {participant_number(case_id)}")
    assert re.sub(r"[^0-9A-Z]", "", code) not in number.inner_text()
    seat = page.get_by_label("Name or seat for the trainer (optional, only the trainer sees it)")
    seat.fill("Row 3, seat 12")
    seat.press("Tab")
    sheet = cases_dir / f"{case_id}.csv"
    for _ in range(40):  # the autosave, about half a second after the change
        if read_sheet(sheet.read_bytes())["participant_label"] == "Row 3, seat 12":
            break
        page.wait_for_timeout(250)
    assert read_sheet(sheet.read_bytes())["participant_label"] == "Row 3, seat 12"
    wait_saved(page)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )  # no sideways scrolling on a phone
    shoot(page, "participant-number-phone")
