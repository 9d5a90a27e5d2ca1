"""One vocabulary: the Chinese label of every audit action, background job and job result.

The audit log, the case page's history, the job pages and the API read labels from here and
nowhere else. Every context declares its audit actions as an enum
(``gongkai.domain.actions.Action``; the modules in ``ACTION_ENUM_MODULES``) that carries their
labels, and ``audit_record`` takes nothing else, so an action without a label does not type
check; a test checks that every action the code records is a member of one of them.
"""

from __future__ import annotations

import importlib

from gongkai.domain.actions import Action

# the domain modules that declare a context's actions as an enum (their labels live there)
ACTION_ENUM_MODULES = (
    "gongkai.domain.accounts",
    "gongkai.domain.auditlog",
    "gongkai.domain.casestates",
    "gongkai.domain.catalogue",
    "gongkai.domain.credit",
    "gongkai.domain.inspections",
    "gongkai.domain.jobs",
    "gongkai.domain.mailbox",
    "gongkai.domain.notices",
    "gongkai.domain.organizations",
    "gongkai.domain.portal",
    "gongkai.domain.privacy.actions",
    "gongkai.domain.reports.states",
    "gongkai.domain.searchwords",
    "gongkai.domain.webcheck.states",
    "gongkai.domain.workcalendar",
)

JOB_LABELS: dict[str, str] = {
    "applications.remind": "依申请公开到期提醒",
    "catalog.index_flush": "更新全文索引",
    "catalog.index_rebuild": "重建全文索引",
    "catalog.gazette_pdf": "生成政府公报PDF",
    "catalog.import": "导入目录",
    "catalog.attachment_ocr": "识别扫描件文字",
    "mailbox.hotline_import": "导入12345工单",
    "mailbox.classifier_train": "训练分办模型",
    "inspections.entity_import": "导入检查对象名录",
    "reporting.publish": "发布年度报告",
    "reporting.files": "生成年度报告文件",
    "webcheck.check": "政府网站检查",
}

# keys of a job's result (the job pages show them as labels)
RESULT_LABELS: dict[str, str] = {
    "reminded": "已提醒的申请数",
    "rows": "行数",
    "created": "新增",
    "updated": "更新",
    "skipped": "已存在跳过",
    "failed": "有误",
    "errors": "错误明细",
    "format": "文件格式",
}


def _enum_labels() -> dict[str, str]:
    """Labels of every Action enum: those of ``ACTION_ENUM_MODULES`` and any other defined."""
    for module in ACTION_ENUM_MODULES:
        importlib.import_module(module)
    found: dict[str, str] = {}
    pending = list(Action.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        found.update({m.value: m.label for m in cls})
    return found


def all_action_labels() -> dict[str, str]:
    """Every known action code and its label (for the audit log's filter)."""
    return _enum_labels()


def action_label(action: str) -> str:
    """The Chinese label of an audit action; an unknown name is shown as it is."""
    return _enum_labels().get(action, action)


def job_label(kind: str) -> str:
    return JOB_LABELS.get(kind, kind)


def result_label(key: str) -> str:
    return RESULT_LABELS.get(key, key)
