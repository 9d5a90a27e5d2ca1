"""Routing suggestions for the dispatcher, and training the letter classifier.

Suggestions come from two sources shown side by side: keyword rules administrators keep
(分办规则), and the classifier trained on past letters' final assignments, with its
probability as the confidence. The dispatcher decides; a suggestion never routes by itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.mailbox import permissions
from gongkai.apps.mailbox.errors import MailboxError, MailboxPermissionDenied
from gongkai.apps.mailbox.models import CLOSED_WITH_REPLY, ClassifierModel, Letter, RoutingRule
from gongkai.apps.mailbox.selectors import classifier_active
from gongkai.apps.organizations.models import Agency
from gongkai.domain.mailbox import LetterAction
from gongkai.domain.textclass import NaiveBayes, in_holdout, tokenize, train

MIN_EXAMPLES = 30
JOB_KIND = "mailbox.classifier_train"
# the dispatcher's form pre-selects a suggestion only at this calibrated probability or above
# (ADR 0103: on held-out letters, suggestions this sure were right about nine times in ten)
PRESELECT_PROBABILITY = 0.8

_lock = threading.Lock()
_loaded: dict[str, Any] = {"id": None, "model": None}


def letter_tokens(category: str, subject: str, content: str) -> list[str]:
    return [f"类别:{category}", *tokenize(f"{subject}\n{content}")]


def classifier_loaded() -> tuple[ClassifierModel | None, NaiveBayes | None]:
    """The active classifier, parsed once per process and reloaded after a retrain."""
    row = classifier_active()
    if row is None:
        return None, None
    with _lock:
        if _loaded["id"] != row.pk:
            _loaded["model"] = NaiveBayes.from_json(row.params)
            _loaded["id"] = row.pk
        return row, _loaded["model"]


@dataclass
class RouteSuggestion:
    agency: Agency
    probability: float | None = None  # the classifier's confidence, when it suggested this
    rule_hits: list[str] = field(default_factory=list)  # rule names (with matched words)
    score: float = 0.0

    @property
    def reasons(self) -> list[str]:
        reasons = list(self.rule_hits)
        if self.probability is not None:
            reasons.append(f"分类模型估计正确的概率 {self.probability:.0%}")
        return reasons

    @property
    def preselect(self) -> bool:
        """Sure enough to pre-select on the form (the dispatcher still confirms)."""
        return self.probability is not None and self.probability >= PRESELECT_PROBABILITY


def routing_suggestions(letter: Letter, *, limit: int = 4) -> list[RouteSuggestion]:
    text = f"{letter.subject}\n{letter.content}"
    found: dict[int, RouteSuggestion] = {}
    for rule in RoutingRule.objects.filter(is_active=True, agency__is_active=True).select_related(
        "agency"
    ):
        if rule.category and rule.category != letter.category:
            continue
        words = [w for w in rule.keyword_list if w in text]
        if not words:
            continue
        item = found.setdefault(rule.agency_id, RouteSuggestion(agency=rule.agency))
        item.rule_hits.append(f"分办规则“{rule.name}”：{'、'.join(words[:5])}")
        item.score += rule.weight * len(words)
    _row, model = classifier_loaded()
    if model is not None:
        predictions = model.predict(letter_tokens(letter.category, letter.subject, letter.content))
        ids = [int(p.label) for p in predictions]
        agencies = Agency.objects.in_bulk([i for i in ids if i not in found])
        for prediction in predictions:
            agency_id = int(prediction.label)
            if agency_id in found:
                item = found[agency_id]
            elif agency_id in agencies and agencies[agency_id].is_active:
                item = found.setdefault(agency_id, RouteSuggestion(agency=agencies[agency_id]))
            else:
                continue
            item.probability = prediction.probability
            item.score += 100 * prediction.probability
    ranked = sorted(found.values(), key=lambda s: (-s.score, s.agency.sort_order, s.agency.pk))
    return ranked[:limit]


def classifier_train(
    *, actor: Actor, holdout_share: float = 0.2, report: Callable[..., None] | None = None
) -> ClassifierModel:
    """Train on answered letters (label = the agency that finally answered), measure on a
    held-out share, and make it the active classifier."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if authenticated and not permissions.can_train_classifier(actor):
        raise MailboxPermissionDenied("只有分办人员可以训练分类模型")
    rows = (
        Letter.objects.filter(status__in=CLOSED_WITH_REPLY)
        .values_list("number", "category", "subject", "content", "agency_id")
        .order_by("id")
    )
    total = rows.count()
    training: list[tuple[list[str], str]] = []
    held_out: list[tuple[list[str], str]] = []
    for index, (number, category, subject, content, agency_id) in enumerate(
        rows.iterator(chunk_size=2000), start=1
    ):
        example = (letter_tokens(category, subject, content), str(agency_id))
        (held_out if in_holdout(number, holdout_share) else training).append(example)
        if report and index % 2000 == 0:
            report(index, total, f"已分词 {index}/{total} 封")
    labels = {label for _, label in training}
    if len(training) < MIN_EXAMPLES or len(labels) < 2:
        raise MailboxError(
            f"可供学习的已办结信件太少（现有 {len(training)} 封、{len(labels)} 个机关；至少需要 {MIN_EXAMPLES} 封、2 个机关）"
        )
    model = train(training)
    model.temperature = model.fit_temperature(held_out)
    evaluation = model.evaluate(held_out)
    with transaction.atomic():
        ClassifierModel.objects.filter(is_active=True).update(is_active=False)
        row = ClassifierModel.objects.create(
            examples=len(training),
            tested=evaluation.tested,
            accuracy=evaluation.accuracy,
            top3_accuracy=evaluation.top3_accuracy,
            labels=len(model.labels),
            vocabulary=model.vocabulary_size,
            holdout_share=holdout_share,
            params=model.to_json(),
            trained_by_label=str(getattr(actor, "audit_label", "系统")),
        )
        audit_record(
            actor=actor,
            action=LetterAction.CLASSIFIER_TRAIN,
            obj=row,
            after={
                "examples": row.examples,
                "tested": row.tested,
                "accuracy": round(row.accuracy, 4),
                "top3_accuracy": round(row.top3_accuracy, 4),
                "labels": row.labels,
                "temperature": model.temperature,
            },
        )
    if report:
        report(total, total, f"完成：留出 {evaluation.tested} 封，准确率 {evaluation.accuracy:.1%}")
    return row
