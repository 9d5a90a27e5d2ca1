"""Background jobs of the mailbox: 12345 file imports and classifier training (with progress)."""

from __future__ import annotations

from typing import Any

from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.mailbox.services import classifier_train, hotline_import_run


def run_hotline_import(job: Any, report: Any) -> dict[str, Any]:
    return hotline_import_run(
        job.params["import_id"], report=report, actor=job.created_by or SYSTEM
    )


def run_classifier_training(job: Any, report: Any) -> dict[str, Any]:
    row = classifier_train(
        actor=job.created_by or SYSTEM,
        holdout_share=float(job.params.get("holdout", 0.2)),
        report=report,
    )
    return {
        "模型": row.pk,
        "训练信件": row.examples,
        "留出检验信件": row.tested,
        "准确率": f"{row.accuracy:.1%}",
        "前三命中率": f"{row.top3_accuracy:.1%}",
    }
