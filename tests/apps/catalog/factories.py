"""Catalogue test data: documents created through the services, or published directly."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from gongkai import clock
from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.catalog.models import Column, Document, DocumentState, Genre, Topic
from gongkai.apps.catalog.services import common
from gongkai.apps.catalog.services.documents import allocate_index_no

_n = itertools.count(1)


def column(slug: str = "statutory-fgwj") -> Column:
    return Column.objects.get(slug=slug)


def topic(path: str = "综合政务\\政务公开") -> Topic:
    return Topic.objects.get(path=path)


def genre(name: str = "通知") -> Genre:
    return Genre.objects.get(name=name)


def aware(year: int, month: int = 6, day: int = 15, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def published(
    agency,
    *,
    title: str | None = None,
    when: dt.datetime | None = None,
    body: str = "",
    joint=(),
    **fields: Any,
) -> Document:
    """A published document made the way an import makes one (index number, counters, index
    queue), without the review steps; for tests that need many documents quickly."""
    when = when or clock.now()
    data = {
        "title": title or f"关于做好第{next(_n)}项政务公开工作的通知",
        "column": fields.pop("column", None) or column(),
        "topic": fields.pop("topic", None) or topic(),
        "genre": fields.pop("genre", None) or genre(),
        "body_html": body or "<p>为进一步做好政府信息公开工作，现将有关事项通知如下。</p>",
        "written_on": fields.pop("written_on", when.date()),
        **fields,
    }
    if joint:
        data["joint_agencies"] = list(joint)
    cleaned = common.clean_fields(agency.pk, data)
    doc = Document(agency=agency, origin="import")
    joint_list = common.apply_fields(doc, cleaned)
    doc.save()
    if joint_list:
        doc.joint_agencies.set(joint_list)
    doc.index_no = allocate_index_no(agency, clock.localtime(when).date())
    doc.published_at = when
    doc.state = DocumentState.PUBLISHED
    doc.version = 1
    doc.save()
    from gongkai.apps.catalog.services.rendition import rendition_build

    rendition_build(doc, unreviewed=True, audit=False)  # what the public receives
    common.counts_apply(common.count_keys([doc], {doc.pk: common.joint_ids(doc)}))
    from gongkai.apps.catalog.search.indexing import schedule_index

    schedule_index([doc.pk])
    return doc


def draft(actor, agency, **fields: Any) -> Document:
    from gongkai.apps.catalog.services import document_draft_create

    data = {
        "title": "关于印发示例市政务公开工作要点的通知",
        "body_html": "<p>各县（市、区）人民政府，市政府各部门：现将工作要点印发给你们，请认真贯彻落实。</p>",
        "column": column(),
        "topic": topic(),
        "genre": genre(),
        "written_on": clock.today(),
        "doc_number": "示政办发〔2024〕3号",
    }
    data.update(fields)
    return document_draft_create(actor=actor, agency=agency, **data)


SYSTEM_ACTOR = SYSTEM


def rerender(doc: Document, *, reviewer: Any = None) -> None:
    """Rebuild a published document's rendition after a test changed it behind the services;
    with ``reviewer``, the privacy review runs and the reviewer lets pages without text
    through with a reason (the way a person who looked at them would)."""
    from gongkai.apps.catalog.services.rendition import rendition_build

    doc = Document.objects.get(pk=doc.pk)
    review = None
    if reviewer is not None:
        from gongkai.apps.catalog import privacy_gate
        from gongkai.apps.privacy.services import privacy_finding_override

        review = privacy_gate.review_document(actor=reviewer, document=doc)
        for finding in review.findings.filter(kind="unreadable"):
            privacy_finding_override(actor=reviewer, finding=finding, reason="已核对原件，可以公开")
    rendition_build(doc, review=review, unreviewed=True, audit=False)
