"""One vocabulary: the Chinese label of every audit action, background job and job result.

The audit log, the case page's history, the job pages and the API read labels from here and
nowhere else; a test checks that every action the code records has one. (Turning the names into
per-context enums is the next step; this table is what they will carry.)
"""

from __future__ import annotations

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
    # 依申请公开
    "application.register": "登记申请",
    "application.register_past": "导入往年登记簿中的申请",
    "application.accept": "受理并分派承办人",
    "application.assign": "改派承办人",
    "application.correction_request": "发出补正告知",
    "application.correction_receive": "收到补正材料",
    "application.consult_start": "征求意见",
    "application.consult_end": "收到征求意见结果",
    "application.extension_request": "申请延期",
    "application.extension_approve": "批准延期",
    "application.extension_reject": "不批准延期",
    "application.fee_notice": "发出收费通知",
    "application.fee_served": "收费通知送达",
    "application.fee_paid": "已缴费",
    "application.reasons_request": "要求申请人说明理由（条例第三十五条）",
    "application.reasons_accept": "认可申请理由（条例第三十五条）",
    "application.reply_draft": "拟写答复，提交审核",
    "application.reply_return": "退回修改",
    "application.reply_approve": "审核通过，作出答复",
    "application.deliver": "送达",
    "application.archive": "归档",
    "application.withdraw": "撤回申请",
    "application.document_add": "添加材料",
    "application.document_withdraw": "撤下材料",
    "application.appeal_record": "登记行政复议或诉讼",
    "application.appeal_decide": "登记复议或诉讼结果",
    "application.deadline_recompute": "工作日历调整，重新计算期限",
    "application.notice_contacts": "设置接收通知的方式",
    "application.export": "导出申请登记簿",
    "application.proactive_draft": "建议转为主动公开，生成目录草稿",
    "application.proactive_dismiss": "不采纳转为主动公开的建议",
    "application.remind": "发送到期提醒",
    # 主动公开目录
    "document.draft_create": "新建草稿",
    "document.draft_update": "修改草稿",
    "document.draft_delete": "删除草稿",
    "document.submit": "提交审核",
    "document.return": "退回修改",
    "document.approve": "审核通过",
    "document.publish": "发布",
    "document.render": "生成公开版本（隐私遮盖后）",
    "application.released_render": "生成送申请人的遮盖版本",
    "catalog.renditions_rebuild": "重新生成公开版本",
    "document.revise": "修改已发布的信息",
    "document.withdraw": "撤回",
    "document.republish": "重新发布",
    "document.validity_set": "设置有效性",
    "document.channel_set": "登记发布渠道",
    "document.channel_remove": "删除发布渠道",
    "document.import": "导入",
    "document.import_update": "导入更新",
    "document.annual_report_file": "年度报告归档到公开目录",
    "attachment.ocr": "识别扫描件文字",
    "catalog.attachment_ocr": "识别扫描件文字",
    "catalog.counts_rebuild": "重新统计栏目数量",
    "catalog.demo_load": "载入示例目录",
    "catalog.import": "导入目录",
    "catalog.index_flush": "更新全文索引",
    "catalog.index_rebuild": "重建全文索引",
    "catalog.gazette_pdf": "生成政府公报PDF",
    "catalog_settings.pattern_set": "设置索引号规则",
    "search_alias.create": "新增搜索同义词",
    "search_alias.update": "修改搜索同义词",
    "search_alias.delete": "删除搜索同义词",
    "channel_tally.set": "填报渠道发布数量",
    "gazette_issue.create": "新建政府公报期次",
    "gazette_issue.update": "修改政府公报期次",
    "gazette_issue.publish": "发布政府公报",
    "gazette_issue.pdf_render": "生成政府公报PDF",
    "import_batch.create": "新建导入批次",
    "import_batch.finish": "完成导入",
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
    # 双随机一公开、保障房摇号
    "inspection_item.create": "新增抽查事项",
    "inspection_item.update": "修改抽查事项",
    "inspection_item.activate": "启用抽查事项",
    "inspection_item.deactivate": "停用抽查事项",
    "inspection_item.demo_load": "载入示例抽查事项",
    "inspector.create": "新增执法检查人员",
    "inspector.update": "修改执法检查人员",
    "inspector.demo_load": "载入示例执法检查人员",
    "inspector_conflict.declare": "申报回避关系",
    "inspector_conflict.withdraw": "撤回回避申报",
    "inspection_ruleset.create": "新建抽查细则",
    "inspection_ruleset.update": "修改抽查细则",
    "inspection_task.create": "新建抽查任务",
    "inspection_task.update": "修改抽查任务",
    "inspection_task.freeze": "固化名单，公开承诺",
    "inspection_task.draw": "抽取",
    "inspection_task.cancel": "取消抽取",
    "inspection_task.substitute": "递补",
    "inspection_task.correct": "更正抽取",
    "inspection_task.finish_checks": "检查结束",
    "inspection_task.publish_results": "公示抽查结果",
    "inspection_task.deadline_recompute": "重新计算结果公示期限",
    "inspection_task.remind": "发送结果公示提醒",
    "inspection_result.record": "登记抽查结果",
    "inspection_result.record_many": "批量登记抽查结果",
    "inspection_result.correct": "更正抽查结果",
    "entity_import.start": "开始导入检查对象名录",
    "entity_import.finish": "完成导入检查对象名录",
    "entity_import.cli": "命令行导入检查对象名录",
    "entity_import.demo_load": "载入示例检查对象名录",
    "housing_lottery.create": "新建摇号",
    "housing_lottery.import_applicants": "导入摇号申请人",
    "housing_lottery.freeze": "固化摇号名单",
    "housing_lottery.draw": "摇号",
    "housing_lottery.cancel": "取消摇号",
    # 年度报告
    "report.create": "新建年度报告",
    "report.refresh": "重新计算",
    "report.narrative_save": "保存文字部分",
    "report.adjust": "人工调整",
    "report.adjustment_remove": "取消人工调整",
    "report.publish_request": "提交发布",
    "report.publish": "发布年度报告",
    "report.public_refresh": "按隐私审查决定重新生成年度报告",
    "report.publish_fail": "发布未完成",
    "report.file_render": "生成报告文件",
    "report.catalogue_file": "归档到公开目录",
    "report.remind": "发送年报提醒",
    "entered_figure.set": "填报数据",
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
    from gongkai.domain.actions import Action

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
