"""The review service: findings, blocking, mask/override with audit, masked copies."""

from __future__ import annotations

import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.privacy.errors import PrivacyActionDenied, PrivacyBlocked, PrivacyError
from gongkai.apps.privacy.models import (
    FindingStatus,
    PrivacyFinding,
    PrivacyReview,
    PrivacySettings,
)
from gongkai.apps.privacy.selectors import (
    privacy_findings_blocking,
    privacy_findings_open,
    privacy_review_latest,
)
from gongkai.apps.privacy.services import (
    ReviewSource,
    privacy_assert_publishable,
    privacy_finding_mask,
    privacy_finding_override,
    privacy_mask_text,
    privacy_review,
)

pytestmark = pytest.mark.django_db

LETTER = (
    "来信人张伟，身份证号码110101199003074573，手机13812345678，家住东城区人民路128号3栋501室。"
    "统一社会信用代码91110000600037341L，国办发〔2017〕47号，2019年1月17日。"
)


def _review(world, text=LETTER, actor=None, target=None):
    return privacy_review(
        actor=actor or world.officer_a,
        target=target or world.dept_a,
        agency_id=world.dept_a.pk,
        sources=[ReviewSource("正文", text=text)],
    )


def test_review_finds_personal_data_and_leaves_public_codes(world):
    review = _review(world)
    kinds = sorted(review.findings.values_list("kind", flat=True))
    assert kinds == ["address", "id_number", "mobile", "name"]
    id_finding = review.findings.get(kind="id_number")
    assert id_finding.masked_value == "110101********4573"
    assert "1101011990" not in id_finding.context_before + id_finding.context_after
    assert review.findings.get(kind="mobile").masked_value == "138****5678"
    assert review.findings.get(kind="name").masked_value == "张*"
    event = AuditEvent.objects.get(action="privacy.review")
    assert event.agency_id == world.dept_a.pk
    assert '"findings":4' in event.after.replace(" ", "")


def test_unreviewed_target_is_blocked(world):
    with pytest.raises(PrivacyBlocked, match="尚未进行隐私审查"):
        privacy_assert_publishable(world.dept_b)


def test_open_findings_block_until_masked_or_overridden(world):
    review = _review(world)
    with pytest.raises(PrivacyBlocked) as caught:
        privacy_assert_publishable(world.dept_a)
    assert caught.value.count == 4
    assert caught.value.kinds == {"身份证号": 1, "手机号码": 1, "详细住址": 1, "姓名": 1}
    assert "4 处未处理的个人信息" in str(caught.value)
    findings = list(review.findings.all())
    for finding in findings[:-1]:
        privacy_finding_mask(actor=world.officer_a, finding=finding)
    with pytest.raises(PrivacyBlocked):
        privacy_assert_publishable(world.dept_a)
    privacy_finding_override(
        actor=world.reviewer_a, finding=findings[-1], reason="依法应当公开的当事人信息"
    )
    privacy_assert_publishable(world.dept_a)  # no exception
    assert AuditEvent.objects.filter(action="privacy.finding_mask").count() == 3
    assert AuditEvent.objects.filter(action="privacy.finding_override").count() == 1


def test_override_needs_a_reason_and_the_right_role(world):
    review = _review(world)
    finding = review.findings.get(kind="id_number")
    with pytest.raises(PrivacyError, match="理由"):
        privacy_finding_override(actor=world.reviewer_a, finding=finding, reason="  ")
    with pytest.raises(PrivacyActionDenied):
        privacy_finding_override(actor=world.officer_a, finding=finding, reason="依法公开的名单")
    with pytest.raises(PrivacyActionDenied):
        privacy_finding_mask(actor=world.officer_b, finding=finding)
    with pytest.raises(PrivacyActionDenied):
        privacy_finding_mask(actor=world.supervisor, finding=finding)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN
    assert finding.resolved_by is None
    assert not AuditEvent.objects.filter(action__startswith="privacy.finding").exists()


def test_new_review_replaces_the_open_one_and_keeps_decisions(world):
    first = _review(world)
    privacy_finding_override(
        actor=world.reviewer_a, finding=first.findings.get(kind="name"), reason="署名公开经本人同意"
    )
    second = _review(world, text=LETTER + "另：联系人李娜，电话13900001111。")
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert privacy_review_latest(world.dept_a) == second
    carried = second.findings.get(kind="name", masked_value="张*")
    assert carried.status == FindingStatus.OVERRIDDEN and carried.carried_over
    assert privacy_findings_open(world.dept_a).filter(kind="name").count() == 1
    with pytest.raises(PrivacyError, match="取代"):
        privacy_finding_mask(actor=world.officer_a, finding=first.findings.get(kind="mobile"))


def test_threshold_is_a_setting(world):
    _review(world)
    assert privacy_findings_blocking(world.dept_a).count() == 4
    conf = PrivacySettings.objects.create(threshold=1.0, report_floor=0.4)
    assert privacy_findings_blocking(world.dept_a).count() == 0
    privacy_assert_publishable(world.dept_a)
    conf.threshold = 0.5
    conf.save()
    with pytest.raises(PrivacyBlocked):
        privacy_assert_publishable(world.dept_a)


def test_mask_text_honours_overrides(world):
    review = _review(world)
    privacy_finding_override(
        actor=world.reviewer_a,
        finding=review.findings.get(kind="name"),
        reason="来信人同意公开姓名",
    )
    masked = privacy_mask_text(LETTER, review=review)
    assert "张伟" in masked
    assert "110101********4573" in masked and "138****5678" in masked
    assert "人民路128号" not in masked and "人民路。" in masked
    assert "91110000600037341L" in masked and "国办发〔2017〕47号" in masked
    assert "张伟" not in privacy_mask_text(LETTER)


def test_a_source_without_text_or_file_is_refused(world):
    with pytest.raises(PrivacyError, match="既没有文字也没有文件"):
        privacy_review(
            actor=world.officer_a,
            target=world.dept_a,
            agency_id=None,
            sources=[ReviewSource("正文", text="手机13812345678"), ReviewSource("附件")],
        )
    assert not PrivacyReview.objects.exists()
    assert not PrivacyFinding.objects.exists()


def test_nothing_to_review_is_publishable(world):
    """A reply with nothing attached (the applicant inspects on site) passes the gate."""
    review = privacy_review(actor=world.officer_a, target=world.dept_a, agency_id=None, sources=[])
    assert review.findings.count() == 0
    privacy_assert_publishable(world.dept_a)


def test_context_never_shows_part_of_another_finding(world):
    text = "当事人：陈伟，性别：男，身份证号码：370102199503135314，住址：示例市东城区建设路12号3栋2单元101室。"
    review = _review(world, text=text)
    for finding in review.findings.all():
        shown = finding.context_before + finding.masked_value + finding.context_after
        assert "1995031353" not in shown and "陈伟" not in shown, finding.kind


def test_settings_validate_in_chinese_and_build_the_mask_policy(world):
    from django.core.exceptions import ValidationError

    from gongkai.domain.privacy import AddressStyle, KeepRule, NameStyle

    conf = PrivacySettings(threshold=0.6, report_floor=0.7)
    with pytest.raises(ValidationError, match="提示阈值应在 0 到拦截阈值之间"):
        conf.full_clean()
    conf = PrivacySettings(id_keep_head=10)
    with pytest.raises(ValidationError, match="出生日期"):
        conf.full_clean()
    conf = PrivacySettings(
        id_keep_head=2, id_keep_tail=3, name_style="surname", address_style="stars", mask_char="×"
    )
    policy = conf.policy()
    assert policy.id_number == KeepRule(2, 3)
    assert policy.name is NameStyle.SURNAME and policy.address is AddressStyle.STARS
    assert policy.char == "×"
