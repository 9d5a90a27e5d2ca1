"""Numbered letters: the wording comes from editable templates, the facts from the case."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from gongkai.apps.accounts.models import user_or_none
from gongkai.apps.applications import due
from gongkai.apps.applications.letter_texts import DEFAULT_TEMPLATES, fill
from gongkai.apps.applications.models import (
    Application,
    CaseLetter,
    DeliveryMethod,
    LetterSettings,
    LetterTemplate,
    LetterType,
    ProvideForm,
)
from gongkai.apps.applications.services.common import next_number
from gongkai.apps.audit.frame import Actor
from gongkai.apps.workcalendar.selectors import ruleset_for_date
from gongkai.domain.decisions import DECISIONS_BY_CODE


def cn(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def template_for(kind: str, variant: str = "") -> tuple[str, str]:
    row = (
        LetterTemplate.objects.filter(kind=kind, variant=variant, is_active=True)
        .only("title", "body")
        .first()
    )
    if row is not None:
        return row.title, row.body
    try:
        return DEFAULT_TEMPLATES[(kind, variant)]
    except KeyError:
        return DEFAULT_TEMPLATES[(kind, "other.other" if kind == LetterType.REPLY else "")]


def prefixes(agency: Any) -> tuple[str, str]:
    settings_row = LetterSettings.objects.filter(agency=agency).first()
    if settings_row is not None:
        return settings_row.reply_prefix, settings_row.notice_prefix
    short = agency.display_short
    return f"{short}信息公开答", f"{short}信息公开告"


def review_body(agency: Any) -> str:
    """The 行政复议机关 a reply names: the one the agency has set (a vertically managed body —
    海关、金融、外汇管理、税务、国家安全 — goes to its 上一级主管部门, 行政复议法第二十七条),
    else the government one level up (for a department: its own government)."""
    own = (getattr(agency, "review_body", "") or "").strip()
    if own:
        return own
    parent = getattr(agency, "parent", None)
    return parent.name if parent is not None else "上一级人民政府"


def referral(application: Application) -> tuple[str, str, str]:
    """条例第三十六条第（五）项: the responsible agency's name and contact where it can be
    determined, and the sentence the letter tells the applicant."""
    referred = application.referred_agency
    if referred is not None:
        name = referred.name
        contact = "，".join(
            part
            for part in (
                referred.office_name,
                f"地址：{referred.office_address}" if referred.office_address else "",
                f"电话：{referred.office_phone}" if referred.office_phone else "",
            )
            if part
        )
    else:
        name, _, contact = (application.referred_other or "").strip().partition("，")
        name, contact = name.strip(), contact.strip().rstrip("。")
    if not name:
        return "", "", "本机关无法确定负责公开该政府信息的行政机关。"
    if not contact:
        return name, "", f"告知您该政府信息由{name}负责公开，请向该机关咨询。"
    return name, contact, f"告知您该政府信息由{name}负责公开，联系方式：{contact}。"


def _items(text: str) -> str:
    lines = [line.strip(" 　") for line in text.splitlines() if line.strip(" 　")]
    return "\n".join(
        f"　　{i}. {line.lstrip('0123456789.、．) ')}" for i, line in enumerate(lines, 1)
    )


def _law(application: Application) -> Any:
    """The time limits of the 条例 version the request is handled under (the rows
    administrators keep, seeded from ``domain.regulations``)."""
    return ruleset_for_date(application.received_on)


def letter_values(application: Application, **extra: str) -> dict[str, str]:
    agency = application.agency
    description = application.description.replace("\n", " ")
    if len(description) > 200:
        description = description[:200] + "……"
    referred_name, referred_contact, referred_sentence = referral(application)
    decision_obj = DECISIONS_BY_CODE.get(application.draft_decision or application.decision)
    law = _law(application)
    values = {
        "申请人": application.applicant_name,
        "登记号": application.number,
        "收到日期": cn(application.received_on),
        "申请内容": description,
        "答复意见": application.draft_text.strip(),
        "依据": decision_obj.basis if decision_obj else "",
        "获取方式": f"{ProvideForm(application.provide_form).label}，"
        f"{DeliveryMethod(application.delivery).label}",
        "机关名称": agency.name,
        "工作机构": agency.office_name,
        "办公地址": agency.office_address,
        "联系电话": agency.office_phone,
        # the contact on a letter is the disclosure office, never a person's account
        "承办人": agency.office_name,
        "复议机关": review_body(agency),
        "负责机关": referred_name,
        "负责机关联系方式": referred_contact or "请向该机关咨询",
        "负责机关告知": referred_sentence,
        "转交说明": "",
        "补正事项": _items(application.correction_items),
        "补正期限": due.letter_day(application.correction_until),
        "补正告知日期": cn(application.correction_sent_on),
        "延长天数": str(application.extension_days or ""),
        "延期理由": application.extension_reason.strip().rstrip("。"),
        "收费金额": str(application.fee_amount),
        "缴费期限": due.letter_day(application.fee_pay_until),
        "收费通知日期": cn(application.fee_noticed_on),
        "被征求意见方": application.consult_party,
        "第三方答复期限": str(law.third_party_days),
        "其他机关答复期限": str(law.other_agency_days),
        "缴费天数": str(law.fee_payment_days),
        "说明理由情况": application.reasons_grounds.strip(),
        "说明理由期限": due.letter_day(application.reasons_until),
        "说明理由告知日期": cn(application.reasons_requested_on),
    }
    values.update(extra)
    return values


def letter_number(prefix: str, year: int, n: int) -> str:
    return f"{prefix}〔{year}〕{n}号"


def letter_digest(title: str, addressee: str, body: str) -> str:
    """The SHA-256 printed on the delivery receipt and kept in the audit event."""
    return hashlib.sha256(f"{title}\n{addressee}\n{body}".encode()).hexdigest()


def issue_letter(
    *,
    actor: Actor,
    application: Application,
    kind: str,
    on: dt.date,
    variant: str = "",
    addressee: str | None = None,
    values: dict[str, str] | None = None,
    to_applicant: bool = True,
) -> CaseLetter:
    """Number and store a letter (inside the caller's transaction; audited by the caller)."""
    title, template = template_for(kind, variant)
    body = fill(template, values if values is not None else letter_values(application))
    reply_prefix, notice_prefix = prefixes(application.agency)
    series, prefix = (
        ("reply", reply_prefix) if kind == LetterType.REPLY else ("notice", notice_prefix)
    )
    n = next_number(application.agency_id, on.year, series)
    addressee = addressee if addressee is not None else application.applicant_name
    return CaseLetter.objects.create(
        application=application,
        kind=kind,
        number=letter_number(prefix, on.year, n),
        issued_on=on,
        title=title,
        addressee=addressee,
        body=body,
        decision=variant if kind == LetterType.REPLY else "",
        sha256=letter_digest(title, addressee, body),
        to_applicant=to_applicant,
        created_by=user_or_none(actor),
    )


def preview_letter(application: Application, kind: str, variant: str = "", **extra: str) -> str:
    """The text a letter would have now (the draft screen shows it before approval)."""
    _title, template = template_for(kind, variant)
    return fill(template, letter_values(application, **extra))
