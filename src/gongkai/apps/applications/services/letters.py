"""Numbered letters: the wording comes from editable templates, the facts from the case."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

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
    """行政复议 goes to the government one level up (for a department: its own government)."""
    parent = getattr(agency, "parent", None)
    return parent.name if parent is not None else "上一级人民政府"


def _items(text: str) -> str:
    lines = [line.strip(" 　") for line in text.splitlines() if line.strip(" 　")]
    return "\n".join(
        f"　　{i}. {line.lstrip('0123456789.、．) ')}" for i, line in enumerate(lines, 1)
    )


def letter_values(application: Application, **extra: str) -> dict[str, str]:
    agency = application.agency
    description = application.description.replace("\n", " ")
    if len(description) > 200:
        description = description[:200] + "……"
    referred = application.referred_agency
    if referred is not None:
        referred_name = referred.name
        referred_contact = f"{referred.office_name}，地址：{referred.office_address}，电话：{referred.office_phone}"
    else:
        name, _, contact = application.referred_other.partition("，")
        referred_name, referred_contact = name, contact or "请向该机关咨询"
    decision_obj = DECISIONS_BY_CODE.get(application.draft_decision or application.decision)
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
        "负责机关联系方式": referred_contact,
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
    }
    values.update(extra)
    return values


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
        number=f"{prefix}〔{on.year}〕{n}号",
        issued_on=on,
        title=title,
        addressee=addressee,
        body=body,
        decision=variant if kind == LetterType.REPLY else "",
        sha256=hashlib.sha256(f"{title}\n{addressee}\n{body}".encode()).hexdigest(),
        to_applicant=to_applicant,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def preview_letter(application: Application, kind: str, variant: str = "", **extra: str) -> str:
    """The text a letter would have now (the draft screen shows it before approval)."""
    _title, template = template_for(kind, variant)
    return fill(template, letter_values(application, **extra))
