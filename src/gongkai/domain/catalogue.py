"""The publishing workflow of the 主动公开 catalogue: its states, its actions and the table.

A document is drafted, submitted to review (保密审查 and the privacy review's sign-off),
approved, published; a published one may be revised (each version kept), marked 失效/废止,
withdrawn and published again. Every step runs in the shared transition frame
(``gongkai.apps.audit.frame``), which sets the state from :data:`DOCUMENT_STATES`.
"""

from __future__ import annotations

from gongkai.domain.actions import Action, State, StateTable


class PublishingState(State):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    APPROVED = "approved", "待发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class CatalogAction(Action):
    """Every act the audit log records of the catalogue, with the label the log shows."""

    DRAFT_CREATE = "document.draft_create", "新建草稿"
    DRAFT_UPDATE = "document.draft_update", "修改草稿"
    DRAFT_DELETE = "document.draft_delete", "删除草稿"
    SUBMIT = "document.submit", "提交审核"
    RETURN = "document.return", "退回修改"
    APPROVE = "document.approve", "审核通过"
    PUBLISH = "document.publish", "发布"
    RENDER = "document.render", "生成公开版本（隐私遮盖后）"
    REVISE = "document.revise", "修改已发布的信息"
    WITHDRAW = "document.withdraw", "撤回"
    REPUBLISH = "document.republish", "重新发布"
    VALIDITY_SET = "document.validity_set", "设置有效性"
    CHANNEL_SET = "document.channel_set", "登记发布渠道"
    CHANNEL_REMOVE = "document.channel_remove", "删除发布渠道"
    IMPORT = "document.import", "导入"
    IMPORT_UPDATE = "document.import_update", "导入更新"
    ANNUAL_REPORT_FILE = "document.annual_report_file", "年度报告归档到公开目录"
    ATTACHMENT_OCR = "attachment.ocr", "识别扫描件文字"
    JOB_ATTACHMENT_OCR = "catalog.attachment_ocr", "识别扫描件文字"
    RENDITIONS_REBUILD = "catalog.renditions_rebuild", "重新生成公开版本"
    COUNTS_REBUILD = "catalog.counts_rebuild", "重新统计栏目数量"
    DEMO_LOAD = "catalog.demo_load", "载入示例目录"
    CATALOG_IMPORT = "catalog.import", "导入目录"
    INDEX_FLUSH = "catalog.index_flush", "更新全文索引"
    INDEX_REBUILD = "catalog.index_rebuild", "重建全文索引"
    GAZETTE_PDF = "catalog.gazette_pdf", "生成政府公报PDF"
    PATTERN_SET = "catalog_settings.pattern_set", "设置索引号规则"
    CHANNEL_TALLY_SET = "channel_tally.set", "填报渠道发布数量"
    GAZETTE_CREATE = "gazette_issue.create", "新建政府公报期次"
    GAZETTE_UPDATE = "gazette_issue.update", "修改政府公报期次"
    GAZETTE_PUBLISH = "gazette_issue.publish", "发布政府公报"
    GAZETTE_PDF_RENDER = "gazette_issue.pdf_render", "生成政府公报PDF"
    IMPORT_BATCH_CREATE = "import_batch.create", "新建导入批次"
    IMPORT_BATCH_FINISH = "import_batch.finish", "完成导入"


_S = PublishingState
_A = CatalogAction

DOCUMENT_STATES: StateTable[PublishingState, CatalogAction] = StateTable.of(
    [
        (_S.DRAFT, _A.SUBMIT, _S.PENDING),
        # an annual report filed by the reporting context (again: its new text replaces an
        # earlier attempt that is still unpublished or was withdrawn)
        ((_S.DRAFT, _S.PENDING, _S.APPROVED, _S.WITHDRAWN), _A.ANNUAL_REPORT_FILE, _S.PENDING),
        ((_S.PENDING, _S.APPROVED), _A.RETURN, _S.DRAFT),
        (_S.PENDING, _A.APPROVE, _S.APPROVED),
        (_S.APPROVED, _A.PUBLISH, _S.PUBLISHED),
        (_S.PUBLISHED, _A.REVISE, _S.PUBLISHED),
        (_S.PUBLISHED, _A.VALIDITY_SET, _S.PUBLISHED),
        (_S.PUBLISHED, _A.WITHDRAW, _S.WITHDRAWN),
        (_S.WITHDRAWN, _A.REPUBLISH, _S.PUBLISHED),
    ]
)


def sources(action: CatalogAction) -> list[PublishingState]:
    """The states in which ``action`` may be taken (for the refusal message)."""
    return [state for state in PublishingState if action in DOCUMENT_STATES.allowed(state)]
