"""双随机一公开 and 保障房摇号: public pages under /inspections/, back office under
/backoffice/inspections/."""

from django.urls import path

from gongkai.apps.inspections.views import backoffice as bo
from gongkai.apps.inspections.views import portal

app_name = "inspections"

BO = "backoffice/inspections/"

urlpatterns = [
    # portal
    path("inspections/", portal.index, name="index"),
    path("inspections/tasks/", portal.task_list, name="tasks"),
    path("inspections/tasks/<int:pk>/", portal.task_detail, name="task"),
    path(
        "inspections/tasks/<int:pk>/commitment.json", portal.task_commitment, name="task_commitment"
    ),
    path("inspections/tasks/<int:pk>/record.json", portal.task_record, name="task_record"),
    path(
        "inspections/tasks/<int:pk>/substitutions.json",
        portal.task_substitutions,
        name="task_substitutions",
    ),
    path(
        "inspections/tasks/<int:pk>/results.csv", portal.task_results_csv, name="task_results_csv"
    ),
    path("inspections/items/", portal.items, name="items"),
    path("inspections/rules/", portal.rules, name="rules"),
    path("inspections/entities/", portal.entities, name="entities"),
    path("inspections/entities/<str:uscc>/", portal.entity_detail, name="entity"),
    path("inspections/lotteries/", portal.lotteries, name="lotteries"),
    path("inspections/lotteries/<int:pk>/", portal.lottery_detail, name="lottery"),
    path(
        "inspections/lotteries/<int:pk>/commitment.json",
        portal.lottery_commitment,
        name="lottery_commitment",
    ),
    path(
        "inspections/lotteries/<int:pk>/record.json", portal.lottery_record, name="lottery_record"
    ),
    path("inspections/verify/", portal.verify, name="verify"),
    path("inspections/verify/verify_draw.py", portal.verifier_script, name="verifier_script"),
    # back office
    path(BO, bo.dashboard, name="bo_dashboard"),
    path(BO + "tasks/new/", bo.task_new, name="bo_task_new"),
    path(BO + "tasks/<int:pk>/", bo.task_detail, name="bo_task"),
    path(BO + "tasks/<int:pk>/edit/", bo.task_edit, name="bo_task_edit"),
    path(BO + "tasks/<int:pk>/freeze/", bo.task_freeze, name="bo_task_freeze"),
    path(BO + "tasks/<int:pk>/draw/", bo.task_draw, name="bo_task_draw"),
    path(BO + "tasks/<int:pk>/finish/", bo.task_finish, name="bo_task_finish"),
    path(BO + "tasks/<int:pk>/publish/", bo.task_publish, name="bo_task_publish"),
    path(BO + "tasks/<int:pk>/cancel/", bo.task_cancel, name="bo_task_cancel"),
    path(BO + "tasks/<int:pk>/correct/", bo.task_correct, name="bo_task_correct"),
    path(BO + "tasks/<int:pk>/results/", bo.task_results, name="bo_task_results"),
    path(BO + "tasks/<int:pk>/results/import/", bo.results_import, name="bo_results_import"),
    path(BO + "tasks/<int:pk>/results/<int:selection_pk>/", bo.result_record, name="bo_result"),
    path(
        BO + "tasks/<int:pk>/results/<int:selection_pk>/substitute/",
        bo.selection_substitute,
        name="bo_substitute",
    ),
    path(BO + "items/", bo.item_list, name="bo_items"),
    path(BO + "items/new/", bo.item_form, name="bo_item_new"),
    path(BO + "items/<int:pk>/edit/", bo.item_form, name="bo_item_edit"),
    path(BO + "items/<int:pk>/toggle/", bo.item_toggle, name="bo_item_toggle"),
    path(BO + "entities/", bo.entity_list, name="bo_entities"),
    path(BO + "entities/import/", bo.entity_import, name="bo_entity_import"),
    path(BO + "entities/imports/<int:pk>/", bo.entity_import_detail, name="bo_import"),
    path(
        BO + "entities/imports/<int:pk>/errors.csv",
        bo.entity_import_errors,
        name="bo_import_errors",
    ),
    path(BO + "inspectors/", bo.inspector_list, name="bo_inspectors"),
    path(BO + "inspectors/new/", bo.inspector_form, name="bo_inspector_new"),
    path(BO + "inspectors/<int:pk>/", bo.inspector_detail, name="bo_inspector"),
    path(BO + "inspectors/<int:pk>/edit/", bo.inspector_form, name="bo_inspector_edit"),
    path(BO + "conflicts/<int:pk>/withdraw/", bo.conflict_withdraw, name="bo_conflict_withdraw"),
    path(BO + "rules/", bo.ruleset_list, name="bo_rulesets"),
    path(BO + "rules/new/", bo.ruleset_form, name="bo_ruleset_new"),
    path(BO + "rules/<int:pk>/edit/", bo.ruleset_form, name="bo_ruleset_edit"),
    path(BO + "lotteries/", bo.lottery_list, name="bo_lotteries"),
    path(BO + "lotteries/new/", bo.lottery_new, name="bo_lottery_new"),
    path(BO + "lotteries/<int:pk>/", bo.lottery_detail, name="bo_lottery"),
    path(BO + "lotteries/<int:pk>/import/", bo.lottery_import, name="bo_lottery_import"),
    path(BO + "lotteries/<int:pk>/freeze/", bo.lottery_freeze, name="bo_lottery_freeze"),
    path(BO + "lotteries/<int:pk>/draw/", bo.lottery_draw, name="bo_lottery_draw"),
    path(BO + "lotteries/<int:pk>/cancel/", bo.lottery_cancel, name="bo_lottery_cancel"),
]
