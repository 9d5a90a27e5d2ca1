"""The actions and states of the inspections context (双随机一公开抽查、保障房摇号).

Every audit code of the context is an ``InspectionAction``. An 抽查任务 and a 保障房摇号 are
both verifiable draws: a draft is frozen (the commitment published), then drawn once the
announced random sources are out, or cancelled before that; a task's results are published
after the checks, and a task drawn wrongly is cancelled by its correction. ``DRAW_STATES``
is that table; the actions absent from it (editing, recording results) never move the state.
"""

from __future__ import annotations

from gongkai.domain.actions import Action, State, StateTable


class DrawState(State):
    DRAFT = "draft", "草稿"
    FROZEN = "frozen", "名单已固化，待随机源公布"
    DRAWN = "drawn", "已抽取"
    PUBLISHED = "published", "结果已公示"
    CANCELLED = "cancelled", "已撤销"


class InspectionAction(Action):
    ITEM_CREATE = "inspection_item.create", "新增抽查事项"
    ITEM_UPDATE = "inspection_item.update", "修改抽查事项"
    ITEM_ACTIVATE = "inspection_item.activate", "启用抽查事项"
    ITEM_DEACTIVATE = "inspection_item.deactivate", "停用抽查事项"
    ITEM_DEMO_LOAD = "inspection_item.demo_load", "载入示例抽查事项"
    INSPECTOR_CREATE = "inspector.create", "新增执法检查人员"
    INSPECTOR_UPDATE = "inspector.update", "修改执法检查人员"
    INSPECTOR_DEMO_LOAD = "inspector.demo_load", "载入示例执法检查人员"
    CONFLICT_DECLARE = "inspector_conflict.declare", "申报回避关系"
    CONFLICT_WITHDRAW = "inspector_conflict.withdraw", "撤回回避申报"
    RULESET_CREATE = "inspection_ruleset.create", "新建抽查细则"
    RULESET_UPDATE = "inspection_ruleset.update", "修改抽查细则"
    TASK_CREATE = "inspection_task.create", "新建抽查任务"
    TASK_UPDATE = "inspection_task.update", "修改抽查任务"
    TASK_FREEZE = "inspection_task.freeze", "固化名单，公开承诺"
    TASK_DRAW = "inspection_task.draw", "抽取"
    TASK_CANCEL = "inspection_task.cancel", "取消抽取"
    TASK_SUBSTITUTE = "inspection_task.substitute", "递补"
    TASK_CORRECT = "inspection_task.correct", "更正抽取"
    TASK_FINISH_CHECKS = "inspection_task.finish_checks", "检查结束"
    TASK_PUBLISH_RESULTS = "inspection_task.publish_results", "公示抽查结果"
    TASK_DEADLINE_RECOMPUTE = "inspection_task.deadline_recompute", "重新计算结果公示期限"
    TASK_REMIND = "inspection_task.remind", "发送结果公示提醒"
    RESULT_RECORD = "inspection_result.record", "登记抽查结果"
    RESULT_RECORD_MANY = "inspection_result.record_many", "批量登记抽查结果"
    RESULT_CORRECT = "inspection_result.correct", "更正抽查结果"
    ENTITY_IMPORT_START = "entity_import.start", "开始导入检查对象名录"
    ENTITY_IMPORT_FINISH = "entity_import.finish", "完成导入检查对象名录"
    ENTITY_IMPORT_FAIL = "entity_import.fail", "导入检查对象名录失败"
    ENTITY_IMPORT_CLI = "entity_import.cli", "命令行导入检查对象名录"
    ENTITY_IMPORT_DEMO_LOAD = "entity_import.demo_load", "载入示例检查对象名录"
    LOTTERY_CREATE = "housing_lottery.create", "新建摇号"
    LOTTERY_IMPORT_APPLICANTS = "housing_lottery.import_applicants", "导入摇号申请人"
    LOTTERY_FREEZE = "housing_lottery.freeze", "固化摇号名单"
    LOTTERY_DRAW = "housing_lottery.draw", "摇号"
    LOTTERY_CANCEL = "housing_lottery.cancel", "取消摇号"


_A = InspectionAction
_S = DrawState
DRAW_STATES: StateTable[DrawState, InspectionAction] = StateTable.of(
    [
        (_S.DRAFT, _A.TASK_FREEZE, _S.FROZEN),
        (_S.FROZEN, _A.TASK_DRAW, _S.DRAWN),
        ((_S.DRAFT, _S.FROZEN), _A.TASK_CANCEL, _S.CANCELLED),
        (_S.DRAWN, _A.TASK_FINISH_CHECKS, _S.DRAWN),
        (_S.DRAWN, _A.TASK_PUBLISH_RESULTS, _S.PUBLISHED),
        (_S.DRAWN, _A.TASK_CORRECT, _S.CANCELLED),
        (_S.DRAFT, _A.LOTTERY_FREEZE, _S.FROZEN),
        (_S.FROZEN, _A.LOTTERY_DRAW, _S.DRAWN),
        ((_S.DRAFT, _S.FROZEN), _A.LOTTERY_CANCEL, _S.CANCELLED),
    ]
)
