"""Actions and states of the webcheck context (labels are what the audit log shows)."""

from __future__ import annotations

from gongkai.domain.actions import Action, State, StateTable


class WebcheckAction(Action):
    SITE_CREATE = "webcheck.site_create", "登记政府网站"
    SITE_UPDATE = "webcheck.site_update", "修改政府网站登记"
    ACCOUNT_CREATE = "webcheck.account_create", "登记政务新媒体账号"
    ACCOUNT_UPDATE = "webcheck.account_update", "修改政务新媒体账号登记"
    REGISTRY_IMPORT = "webcheck.registry_import", "导入网站与新媒体名录"
    RULES_SET = "webcheck.rules_set", "设定年度检查指标"
    CHECK_START = "webcheck.check_start", "开始网站检查"
    CHECK_RUN = "webcheck.check_run", "抓取网站"
    CHECK_FINISH = "webcheck.check_finish", "完成网站检查并评分"
    CHECK_FAIL = "webcheck.check_fail", "网站检查未能完成"
    SAMPLE_FREEZE = "webcheck.sample_freeze", "冻结网站抽查名单"
    SAMPLE_DRAW = "webcheck.sample_draw", "抽取网站抽查样本"
    RECTIFY_OPEN = "webcheck.rectify_open", "下发网站整改任务"
    RECTIFY_CLOSE = "webcheck.rectify_close", "复查通过，关闭整改任务"
    RECTIFY_DEADLINE = "webcheck.rectify_deadline_recompute", "工作日历调整，重算整改期限"
    MEDIA_RECORDS_IMPORT = "webcheck.media_records_import", "导入政务新媒体发布和留言记录"
    MEDIA_CHECK = "webcheck.media_check", "检查政务新媒体账号并评分"


class CheckState(State):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "检查中"
    DONE = "done", "已完成"
    FAILED = "failed", "未能完成"


CHECK_STATES: StateTable[CheckState, WebcheckAction] = StateTable.of(
    [
        (CheckState.QUEUED, WebcheckAction.CHECK_RUN, CheckState.RUNNING),
        (CheckState.RUNNING, WebcheckAction.CHECK_RUN, CheckState.RUNNING),  # resumed
        ((CheckState.QUEUED, CheckState.RUNNING), WebcheckAction.CHECK_FINISH, CheckState.DONE),
        ((CheckState.QUEUED, CheckState.RUNNING), WebcheckAction.CHECK_FAIL, CheckState.FAILED),
    ]
)


class SampleState(State):
    FROZEN = "frozen", "已冻结待抽取"
    DRAWN = "drawn", "已抽取"


SAMPLE_STATES: StateTable[SampleState, WebcheckAction] = StateTable.of(
    [(SampleState.FROZEN, WebcheckAction.SAMPLE_DRAW, SampleState.DRAWN)]
)


class RectifyState(State):
    OPEN = "open", "整改中"
    CLOSED = "closed", "已整改"


RECTIFY_STATES: StateTable[RectifyState, WebcheckAction] = StateTable.of(
    [(RectifyState.OPEN, WebcheckAction.RECTIFY_CLOSE, RectifyState.CLOSED)]
)
