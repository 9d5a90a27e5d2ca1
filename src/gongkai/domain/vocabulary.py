"""One vocabulary: the Chinese label of every audit action, background job and job result.

The audit log, the case page's history, the job pages and the API read labels from here and
nowhere else; a test checks that every action the code records has one. A context that declares
its actions as an enum (``gongkai.domain.actions.Action``; the modules in
``ACTION_ENUM_MODULES``) keeps their labels there; the table below holds the others.
"""

from __future__ import annotations

import importlib

from gongkai.domain.actions import Action

# the domain modules that declare a context's actions as an enum (their labels live there)
ACTION_ENUM_MODULES = (
    "gongkai.domain.casestates",
    "gongkai.domain.catalogue",
    "gongkai.domain.mailbox",
    "gongkai.domain.reports.states",
    "gongkai.domain.inspections",
)

ACTION_LABELS: dict[str, str] = {
    # accounts, organizations, portal
    "user.login": "登录",
    "user.register": "注册申请人账户",
    "user.staff_create": "创建工作人员账户",
    "user.roles_set": "设置角色",
    "api_token.create": "创建接口令牌",
    "api_token.revoke": "吊销接口令牌",
    "agency.create": "新增机关",
    "agency.update": "修改机关信息",
    "portal.settings_create": "创建网站设置",
    "admin.delete": "在管理后台删除",
    "job.enqueue": "提交后台任务",
    # audit chain
    "audit.chain_open": "开启本机关审计链",
    "audit.heads_publish": "公布审计链链头",
    # notices
    "notice.deliver": "生成通知",
    "notice.sent": "通知已发送",
    "notice.failed": "通知发送失败",
    # working-day calendar
    "calendar.import": "导入节假日安排",
    "calendar_entry.save": "保存日历条目",
    "calendar_entry.delete": "删除日历条目",
    "calendar_year.confirm": "确认年度工作日历",
    "deadline_rule.save": "保存时限规则",
    # 依申请公开: gongkai.domain.casestates.ApplicationAction
    # 主动公开目录: gongkai.domain.catalogue.CatalogAction
    # search words
    "search_alias.create": "新增搜索同义词",
    "search_alias.update": "修改搜索同义词",
    "search_alias.delete": "删除搜索同义词",
    # 隐私审查
    "privacy.review": "隐私审查",
    "privacy.review_mask_all": "遮盖全部须处理的个人信息",
    "privacy.finding_mask": "遮盖个人信息",
    "privacy.finding_override": "说明理由放行",
    "privacy.check_create": "隐私自查",
    # 政府信箱
    "letter.submit": "收到来信",
    "letter.hotline_take_in": "接收12345工单",
    "letter.draft_save": "保存答复草稿",
    "letter.rate": "写信人评价",
    "letter.consent_withdraw": "撤回公开同意",
    "letter.publication_prepare": "准备公开稿",
    "letter.publication_refuse": "不予公开",
    "letter.publish": "公开信件",
    "letter.unpublish": "撤下公开信件",
    "letter.public_refresh": "按隐私审查决定更新公开信件",
    "letter.due_recompute": "重新计算答复期限",
    "classifier.train": "训练分办模型",
    "mailbox.classifier_train": "训练分办模型",
    "mailbox.demo_history": "载入示例信件",
    "mailbox.demo_settings": "载入示例信箱设置",
    "mailbox.time_limits_default": "设置默认答复时限",
    "mailbox.hotline_import": "导入12345工单",
    "hotline_import.create": "新建工单导入",
    "hotline_import.finish": "完成工单导入",
    "hotline_import.fail": "工单导入失败",
    # 双随机一公开、保障房摇号: gongkai.domain.inspections.InspectionAction
    # 年度报告: gongkai.domain.reports.states.ReportAction
}

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
    """Labels of every Action enum defined so far (gongkai.domain.actions): a context that
    declares its actions as an enum needs no entry in ACTION_LABELS."""
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
    return {**_enum_labels(), **ACTION_LABELS}


def action_label(action: str) -> str:
    """The Chinese label of an audit action; an unknown name is shown as it is."""
    label = ACTION_LABELS.get(action)
    return label if label is not None else _enum_labels().get(action, action)


def job_label(kind: str) -> str:
    return JOB_LABELS.get(kind, kind)


def result_label(key: str) -> str:
    return RESULT_LABELS.get(key, key)
