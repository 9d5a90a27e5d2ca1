"""The publishing workflow, end to end through the services, with its permission matrix."""

import json

import pytest

from gongkai import clock
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.catalog import services
from gongkai.apps.catalog.errors import (
    CatalogPermissionDenied,
    CatalogValidationError,
    DocumentStateError,
)
from gongkai.apps.catalog.models import Document, DocumentCount, DocumentState, DocumentVersion
from gongkai.apps.privacy.errors import PrivacyBlocked
from gongkai.domain.codes import id_check_char
from tests.apps.catalog.factories import draft, published

pytestmark = pytest.mark.django_db


def _id_number() -> str:
    first = "11010519491231002"
    return first + id_check_char(first)


def _state(doc):
    doc.refresh_from_db()
    return doc.state, doc.version, doc.index_no


def test_draft_review_publish_assigns_index_number_and_counts(world):
    doc = draft(world.officer_a, world.dept_a, doc_number="示交发【2024】007号")
    assert doc.state == DocumentState.DRAFT
    assert doc.doc_number == "示交发〔2024〕7号"
    assert len(doc.doc_number_flags) == 2

    services.document_submit(actor=world.officer_a, document=doc)
    services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    services.document_publish(actor=world.officer_a, document=doc)

    doc.refresh_from_db()
    year = clock.localtime(doc.published_at).year
    assert doc.state == DocumentState.PUBLISHED and doc.version == 1
    assert doc.index_no == f"{world.dept_a.index_prefix}/{year}-00001"
    assert doc.secrecy_reviewed_by == world.reviewer_a and doc.privacy_signed_at is not None
    assert DocumentCount.objects.get(dimension="agency", key=world.dept_a.pk, year=year).count == 1
    actions = list(
        AuditEvent.objects.filter(object_id=str(doc.pk), object_type="catalog.document")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "document.draft_create",
        "document.submit",
        "document.render",  # at approval: the reviewer sees what cannot be published
        "document.approve",
        "document.render",  # at publication, from the review's decisions as they are then
        "document.publish",
    ]


def test_second_document_gets_the_next_sequence_and_numbers_stay_unique(world):
    first = published(world.dept_a)
    second = published(world.dept_a)
    assert first.index_no.endswith("-00001") and second.index_no.endswith("-00002")
    other = published(world.dept_b)
    assert other.index_no.startswith(world.dept_b.index_prefix)


def test_personal_data_blocks_approval_and_nothing_changes(world):
    doc = draft(
        world.officer_a,
        world.dept_a,
        body_html=f"<p>申请人王小明，身份证号码{_id_number()}，现予公示。</p>",
    )
    services.document_submit(actor=world.officer_a, document=doc)
    events = AuditEvent.objects.count()
    with pytest.raises(PrivacyBlocked):
        services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    assert _state(doc) == (DocumentState.PENDING, 0, None)
    assert AuditEvent.objects.count() == events


def test_publishing_requires_approval_first(world):
    doc = draft(world.officer_a, world.dept_a)
    with pytest.raises(DocumentStateError, match="待发布"):
        services.document_publish(actor=world.officer_a, document=doc)
    assert _state(doc) == (DocumentState.DRAFT, 0, None)


def test_submit_refuses_incomplete_metadata_with_every_problem_named(world):
    doc = draft(world.officer_a, world.dept_a, column=None, genre=None, written_on=None)
    with pytest.raises(CatalogValidationError) as exc:
        services.document_submit(actor=world.officer_a, document=doc)
    assert {"column", "genre", "written_on"} <= set(exc.value.errors)
    assert _state(doc)[0] == DocumentState.DRAFT


@pytest.mark.parametrize(
    ("intent", "fields", "field"),
    [
        ("bad 文号", {"doc_number": "第47号文"}, "doc_number"),
        ("written in the future", {"written_on": "2999-01-01"}, "written_on"),
        ("unknown genre", {"genre": "小说"}, "genre"),
        ("repealed without a date", {"validity": "repealed"}, "validity_on"),
        ("empty title", {"title": "  "}, "title"),
    ],
)
def test_bad_draft_input_is_refused_in_chinese_and_nothing_is_stored(world, intent, fields, field):
    before = Document.objects.count()
    with pytest.raises(CatalogValidationError) as exc:
        draft(world.officer_a, world.dept_a, **fields)
    assert field in exc.value.errors, intent
    assert all(
        "\u4e00" <= m[0] <= "\u9fff" or m[0] in "“《"
        for msgs in exc.value.errors.values()
        for m in msgs
    )
    assert Document.objects.count() == before


def test_revision_keeps_the_old_version_and_reason(world):
    doc = published(world.dept_a, title="关于2024年春季学期开学工作的通知")
    services.document_revise(
        actor=world.officer_a,
        document=doc,
        reason="更正开学日期",
        title="关于2024年春季学期开学工作的通知（更正）",
    )
    doc.refresh_from_db()
    kept = DocumentVersion.objects.get(document=doc)
    assert doc.version == 2 and doc.title.endswith("（更正）")
    assert kept.version == 1 and kept.reason == "更正开学日期"
    assert kept.snapshot["title"] == "关于2024年春季学期开学工作的通知"
    with pytest.raises(CatalogValidationError, match="修改理由"):
        services.document_revise(actor=world.officer_a, document=doc, reason=" ", title="再改")
    doc.refresh_from_db()
    assert doc.version == 2


def test_revision_adding_personal_data_is_refused_and_undone(world):
    doc = published(world.dept_a)
    with pytest.raises(PrivacyBlocked):
        services.document_revise(
            actor=world.officer_a,
            document=doc,
            reason="补充名单",
            body_html=f"<p>联系人张伟，身份证{_id_number()}</p>",
        )
    doc.refresh_from_db()
    assert doc.version == 1 and _id_number() not in doc.body_text
    assert not DocumentVersion.objects.filter(document=doc).exists()


def test_validity_change_is_a_version_with_date_and_successor(world):
    old = published(world.dept_a, title="示例市城市管理办法")
    new = published(world.dept_a, title="示例市城市管理条例实施办法")
    on = clock.today()
    services.document_validity_set(
        actor=world.reviewer_a,
        document=old,
        validity="repealed",
        on=on,
        superseded_by=new,
        reason="新办法施行",
    )
    old.refresh_from_db()
    assert (old.validity, old.validity_on, old.superseded_by_id, old.version) == (
        "repealed",
        on,
        new.pk,
        2,
    )
    assert list(new.supersedes.all()) == [old]


def test_withdraw_takes_the_document_off_and_decrements_counts(world):
    doc = published(world.dept_a)
    year = clock.localtime(doc.published_at).year
    services.document_withdraw(actor=world.reviewer_a, document=doc, reason="误发")
    doc.refresh_from_db()
    assert doc.state == DocumentState.WITHDRAWN and doc.withdraw_reason == "误发"
    assert DocumentCount.objects.get(dimension="all", key=0, year=year).count == 0
    services.document_republish(actor=world.head_a, document=doc, reason="核实后恢复")
    doc.refresh_from_db()
    assert doc.state == DocumentState.PUBLISHED


ACTIONS = {
    "update": lambda w, d: services.document_draft_update(actor=w, document=d, title="改标题"),
    "submit": lambda w, d: services.document_submit(actor=w, document=d),
    "delete": lambda w, d: services.document_draft_delete(actor=w, document=d),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", ["officer_b", "supervisor", "applicant", "norole_a"])
def test_only_own_agency_staff_with_a_role_may_touch_a_draft(world, action, who):
    doc = draft(world.officer_a, world.dept_a)
    before = (Document.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CatalogPermissionDenied):
        ACTIONS[action](getattr(world, who), doc)
    doc.refresh_from_db()
    assert (doc.title, doc.state) == ("关于印发示例市政务公开工作要点的通知", DocumentState.DRAFT)
    assert (Document.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "reviewer_b"])
def test_only_reviewers_of_the_agency_approve_or_withdraw(world, who):
    doc = draft(world.officer_a, world.dept_a)
    services.document_submit(actor=world.officer_a, document=doc)
    with pytest.raises(CatalogPermissionDenied):
        services.document_approve(actor=getattr(world, who), document=doc, secrecy_opinion="同意")
    assert _state(doc)[0] == DocumentState.PENDING
    pub = published(world.dept_a)
    with pytest.raises(CatalogPermissionDenied):
        services.document_withdraw(actor=getattr(world, who), document=pub, reason="x")
    assert _state(pub)[0] == DocumentState.PUBLISHED


def test_draft_create_for_a_released_request_file(world):
    doc = services.document_draft_create(
        actor=world.officer_a,
        agency=world.dept_a,
        title="2023年道路养护资金使用情况",
        attachments=[("养护资金.txt", "2023年道路养护资金共计1200万元。".encode())],
        source_note="依申请公开答复（示交申〔2024〕12号）后转为主动公开",
    )
    assert doc.origin == "request" and doc.disclosure_method == "from_request"
    assert doc.attachments.get().text.startswith("2023年道路养护资金")


def test_interpretation_links_both_ways(world):
    from gongkai.apps.catalog.models import Column

    policy = published(world.dept_a, title="示例市促进就业若干措施")
    interp = published(
        world.dept_a,
        title="《示例市促进就业若干措施》政策解读",
        column=Column.objects.get(slug="interpretation"),
        interprets=policy,
        interpretation_form="graphic",
    )
    assert interp.interprets == policy and list(policy.interpretations.all()) == [interp]
    with pytest.raises(CatalogValidationError, match="政策解读栏目"):
        published(world.dept_a, interprets=policy)


def test_annual_report_is_filed_published_and_refiled_as_a_version(world):
    doc = services.document_publish_annual_report(
        actor=world.supervisor,
        agency=world.city,
        year=2023,
        title="测试市人民政府2023年政府信息公开工作年度报告",
        body_html="<p>本报告按照《中华人民共和国政府信息公开条例》要求编制。</p>",
        attachments=[("年度报告.txt", "主动公开政府信息1234条。".encode())],
    )
    assert doc.state == DocumentState.PUBLISHED and doc.column.kind == "annual_report"
    again = services.document_publish_annual_report(
        actor=world.supervisor,
        agency=world.city,
        year=2023,
        title="测试市人民政府2023年政府信息公开工作年度报告",
        body_html="<p>本报告按照条例要求编制（修订）。</p>",
        attachments=[("年度报告.txt", "主动公开政府信息1235条。".encode())],
    )
    assert again.pk == doc.pk and again.version == 2
    assert again.attachments.get().text == "主动公开政府信息1235条。"
    with pytest.raises(CatalogPermissionDenied):
        services.document_publish_annual_report(
            actor=world.officer_b, agency=world.city, year=2023, title="x", body_html="y"
        )


def test_annual_report_goes_through_the_tables_steps_and_each_is_audited(world):
    doc = services.document_publish_annual_report(
        actor=world.supervisor,
        agency=world.city,
        year=2024,
        title="测试市人民政府2024年政府信息公开工作年度报告",
        body_html="<p>本报告按照《中华人民共和国政府信息公开条例》要求编制。</p>",
    )
    events = AuditEvent.objects.filter(object_type="catalog.document", object_id=str(doc.pk))
    steps = [
        (e.action, json.loads(e.before or "{}").get("state"), json.loads(e.after).get("state"))
        for e in events.order_by("pk")
        if e.action != "document.render"
    ]
    assert steps == [
        ("document.annual_report_file", "draft", "pending"),
        ("document.approve", "pending", "approved"),
        ("document.publish", "approved", "published"),
    ]
    assert json.loads(events.get(action="document.publish").after)["index_no"] == doc.index_no


def test_a_withdrawn_annual_report_filed_again_takes_the_tables_row(world):
    def file(title: str):
        return services.document_publish_annual_report(
            actor=world.supervisor,
            agency=world.dept_a,
            year=2024,
            title=title,
            body_html="<p>本报告按照《中华人民共和国政府信息公开条例》要求编制。</p>",
        )

    doc = file("测试市交通运输局2024年政府信息公开工作年度报告")
    services.document_withdraw(actor=world.reviewer_a, document=doc, reason="数据有误")
    again = file("测试市交通运输局2024年政府信息公开工作年度报告（更正）")
    assert again.pk == doc.pk and again.state == DocumentState.PUBLISHED
    filed = AuditEvent.objects.filter(
        object_type="catalog.document", object_id=str(doc.pk), action="document.annual_report_file"
    ).order_by("pk")
    assert [(json.loads(e.before)["state"], json.loads(e.after)["state"]) for e in filed] == [
        ("draft", "pending"),
        ("withdrawn", "pending"),  # the table's row from 已撤回, not a state set by hand
    ]


def test_annual_report_with_personal_data_waits_for_review(world):
    with pytest.raises(PrivacyBlocked):
        services.document_publish_annual_report(
            actor=world.supervisor,
            agency=world.city,
            year=2022,
            title="测试市2022年政府信息公开工作年度报告",
            body_html=f"<p>联系人李强，身份证号码{_id_number()}。</p>",
        )
    doc = Document.objects.get(external_id="annual-report-2022")
    assert doc.state == DocumentState.PENDING and doc.index_no is None
