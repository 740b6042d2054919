"""Guidance a consumer can rely on: advice that fits Chinese wallets, the provider directory's
schema, and no internal note of the project's in anything a user sees or prints."""

import json
import re

import pytest

from complaint.escalation import EVIDENCE_LEVELS, JurisdictionError
from complaint.paths import PROJECT_ROOT
from complaint.providers import directory, parse_directory

# Words about how the project was made, not about the user's case: a user must see the source
# itself and how sure it is, never these.
INTERNAL = re.compile(
    r"种子文章|seed article|shared/|seed 文章|PRODUCT\.md|项目简介|project brief|离线环境|offline environment|工作簿",
    re.IGNORECASE,
)
USER_VISIBLE = [
    *sorted((PROJECT_ROOT / "data").rglob("*.json")),
    *sorted((PROJECT_ROOT / "share").rglob("*.j2")),
]


def strings(value, where="$"):
    """Every string in a JSON document, with where it is (keys starting with "_" are notes for editors)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not key.startswith("_"):
                yield from strings(item, f"{where}.{key}")


@pytest.mark.parametrize("path", USER_VISIBLE, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_no_user_visible_string_names_internal_files_or_notes(path):
    if path.suffix == ".json":
        found = [
            (where, text)
            for where, text in strings(json.loads(path.read_text(encoding="utf-8")))
            if INTERNAL.search(text)
        ]
    else:  # a template: what the page shows, not its comments ({# … #}) or scripts' comments
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        found = [("template", m.group(0)) for m in INTERNAL.finditer(text)]
    assert found == [], found


def test_the_scan_catches_what_it_is_meant_to():
    for text in (
        "种子文章“升级投诉”",
        "项目 shared/seed 文章",
        "Seed article",
        "PRODUCT.md",
        "在本离线环境中未能",
        "数字钱包投诉工作簿",
    ):
        assert INTERNAL.search(text), text


def test_every_wallet_names_its_licensed_company_and_how_sure_that_is():
    entries = directory()
    assert set(entries) == {"jd", "alipay", "wechat_pay", "paypal"}
    assert (
        entries["jd"].entity.name == "网银在线（北京）支付科技有限公司"
        and entries["jd"].entity.former_name == "网银在线（北京）科技有限公司"
    )
    assert entries["alipay"].entity.name == "支付宝（中国）网络技术有限公司"
    assert entries["wechat_pay"].entity.name == "财付通支付科技有限公司"
    for entry in entries.values():
        assert (
            entry.entity.evidence in EVIDENCE_LEVELS and entry.contact.evidence in EVIDENCE_LEVELS
        )
        assert "官方" in entry.contact.safety["zh"] and "official" in entry.contact.safety["en"]
        # a phone number only where a primary source confirms it: none is confirmed today
        assert (
            not re.search(r"\d{5,}", entry.contact.how["zh"] + entry.contact.how["en"])
            or entry.contact.evidence == "primary"
        )


@pytest.mark.parametrize(
    "breakage",
    [
        lambda p: p["licensed_entity"].pop("evidence"),
        lambda p: p["licensed_entity"].update(evidence="sure"),
        lambda p: p["licensed_entity"].pop("name"),
        lambda p: p["official_contact"].pop("last_checked"),
        lambda p: p["official_contact"]["safety"].pop("en"),
    ],
)
def test_the_directory_refuses_an_entry_without_its_evidence(breakage):
    doc = json.loads(
        (PROJECT_ROOT / "data" / "content" / "providers.json").read_text(encoding="utf-8")
    )
    breakage(doc["providers"][0])
    with pytest.raises(JurisdictionError):
        parse_directory(doc)


def _security():
    return json.loads(
        (PROJECT_ROOT / "data" / "content" / "security.json").read_text(encoding="utf-8")
    )


def test_security_advice_fits_chinese_wallets_and_cites_nist_rev_4():
    doc = _security()
    actions = {a["id"]: a for a in doc["actions"]}
    for action in ("enable_2fa", "upgrade_from_sms"):
        zh, en = actions[action]["text"]["zh"], actions[action]["text"]["en"]
        assert "登录设备保护" in zh and "数字证书" in zh and "device protection" in en
        # authenticator apps and passkeys are offered only where a service has them
        assert "PayPal" in zh and "PayPal" in en
    assert "CISA" in actions["upgrade_from_sms"]["why"]["en"]
    assert (
        "NIST"
        not in actions["change_reused_password"]["why"]["zh"]
        + actions["change_reused_password"]["why"]["en"]
    )
    assert "3.1.1.2" in doc["guidance_note"]["zh"] and "§3.1.1.2" in doc["source"]["en"]
    assert "生日" in doc["guidance_note"]["zh"] and "6位数字" in doc["guidance_note"]["zh"]
    assert "device_lock" in {a["id"] for a in doc["answer_sets"]["two_factor"]}
    signin = actions["secure_after_unknown_signin"]["text"]
    assert signin["zh"].index("110") < signin["zh"].index("96110") and signin["en"].index(
        "110"
    ) < signin["en"].index("96110")


def test_locked_accounts_and_wrong_transfers_get_their_legal_routes():
    problems = {
        p["id"]: p
        for p in json.loads(
            (PROJECT_ROOT / "data" / "content" / "problems.json").read_text(encoding="utf-8")
        )["problems"]
    }
    locked = " ".join(problems["account_locked"]["first_advice"]["zh"])
    assert "申诉" in locked and "第三十二条" in locked and "原因" in locked
    funds = " ".join(problems["funds_not_arriving"]["first_advice"]["en"])
    assert "Civil Code Art. 985" in funds and "recipient" in funds
    ads = problems["false_advertising"]["first_advice"]["zh"][1]
    assert (
        ads.startswith("向市场监管部门投诉") and "举报" in ads
    )  # 投诉 for your loss, 举报 for the violation


def test_the_privacy_line_says_the_trainer_can_open_saved_answers():
    zh = json.loads((PROJECT_ROOT / "data" / "i18n" / "zh.json").read_text(encoding="utf-8"))
    en = json.loads((PROJECT_ROOT / "data" / "i18n" / "en.json").read_text(encoding="utf-8"))
    assert (
        "服务器" in zh["step.review.intro"]
        and "培训老师" in zh["step.review.intro"]
        and "别人看不到" not in zh["step.review.intro"]
    )
    assert "trainer can open them" in en["step.review.intro"]
    assert zh["app.title"] == "数字钱包投诉助手" and "workbook" in en["app.title"]
    assert zh["ladder.reason.company_deadline"].startswith("如果公司到期仍未处理")


def test_no_jurisdiction_figure_lacks_its_evidence_level():
    for path in sorted((PROJECT_ROOT / "data" / "jurisdictions").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for key, entry in [*doc["deadlines"].items(), *doc["bodies"].items()]:
            assert entry.get("evidence") in EVIDENCE_LEVELS, f"{path.name}: {key}"


def test_security_actions_fit_the_wallet_in_use():
    from complaint.audit import load_security

    content = load_security()
    upgrade = content.actions["upgrade_from_sms"]
    jd, paypal, other = (content.action_text(upgrade, p) for p in ("jd", "paypal", "other"))
    assert (
        "身份验证器" not in jd["zh"] and "通行密钥" not in jd["zh"] and "登录设备保护" in jd["zh"]
    )
    assert "authenticator" not in jd["en"] and "passkey" not in jd["en"]
    assert "通行密钥" in paypal["zh"] and "设备保护" not in paypal["zh"]
    assert other == upgrade.text  # an unknown wallet: both kinds, each said to be where it applies
    assert set(content.wallet_kinds) == {"jd", "alipay", "wechat_pay", "paypal"}
