"""The annual report's states and actions: draft → 正在发布 → 已发布, back to draft when a
publication cannot finish. Every audit code of the reporting context is a ``ReportAction``;
the actions absent from the table (saving figures, rendering files) never move the state."""

from __future__ import annotations

from gongkai.domain.actions import Action, State, StateTable


class ReportState(State):
    DRAFT = "draft", "草稿"
    PUBLISHING = "publishing", "正在发布"
    PUBLISHED = "published", "已发布"


class ReportAction(Action):
    CREATE = "report.create", "新建年度报告"
    REFRESH = "report.refresh", "重新计算"
    NARRATIVE_SAVE = "report.narrative_save", "保存文字部分"
    ADJUST = "report.adjust", "人工调整"
    ADJUSTMENT_REMOVE = "report.adjustment_remove", "取消人工调整"
    PUBLISH_REQUEST = "report.publish_request", "提交发布"
    PUBLISH = "report.publish", "发布年度报告"
    PUBLIC_REFRESH = "report.public_refresh", "按隐私审查决定重新生成年度报告"
    PUBLISH_FAIL = "report.publish_fail", "发布未完成"
    FILE_RENDER = "report.file_render", "生成报告文件"
    CATALOGUE_FILE = "report.catalogue_file", "归档到公开目录"
    REMIND = "report.remind", "发送年报提醒"
    FIGURE_SET = "entered_figure.set", "填报数据"


REPORT_STATES: StateTable[ReportState, ReportAction] = StateTable.of(
    [
        (ReportState.DRAFT, ReportAction.PUBLISH_REQUEST, ReportState.PUBLISHING),
        (ReportState.PUBLISHING, ReportAction.PUBLISH, ReportState.PUBLISHED),
        (ReportState.PUBLISHING, ReportAction.PUBLISH_FAIL, ReportState.DRAFT),
    ]
)
