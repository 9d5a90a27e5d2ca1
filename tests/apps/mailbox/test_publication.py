"""Publishing answered letters in the public column: consent, masking, privacy review, refusal."""

import pytest

from gongkai.apps.mailbox.errors import (
    LetterStateError,
    MailboxPermissionDenied,
    PublicationBlocked,
)
from gongkai.apps.mailbox.models import Letter, PublicLetter, PublishStatus
from gongkai.apps.mailbox.selectors import public_letter_count
from gongkai.apps.mailbox.services import (
    letter_answer,
    letter_consent_withdraw,
    letter_publication_prepare,
    letter_publication_refuse,
    letter_publish,
)
from gongkai.apps.privacy.selectors import privacy_review_latest
from gongkai.domain.codes import id_check_char
from tests.apps.mailbox.helpers import write

pytestmark = pytest.mark.django_db

CONTENT = "我叫王小明，电话13912345678，家住和平路。请问12路公交车的首末班时间是几点？"
REPLY = "王小明您好！12路公交车首班6:00，末班21:30。如有疑问请拨打0399-8000131。"
ID_NUMBER = "11010519491231002" + id_check_char("11010519491231002")


def answered(world, consent=True):
    letter = write(world.dept_a, content=CONTENT, consent_publish=consent).letter
    letter_answer(actor=world.reviewer_a, letter=letter, text=REPLY)
    return Letter.objects.get(pk=letter.pk)


def test_prepare_masks_personal_data_and_records_a_review(world):
    letter = answered(world)
    letter_publication_prepare(actor=world.officer_a, letter=letter)
    letter.refresh_from_db()
    assert "13912345678" not in letter.public_content
    assert "139****5678" in letter.public_content
    assert "王小明" not in letter.public_content
    assert "请问12路公交车的首末班时间是几点" in letter.public_content
    assert "0399-8000131" in letter.public_reply  # an office number stays
    review = privacy_review_latest(letter)
    assert review is not None and review.agency_id == world.dept_a.pk
    assert [s.label for s in review.sources.order_by("position")] == [
        "公开标题",
        "公开来信",
        "公开答复",
    ]


def test_publish_copies_only_the_masked_texts(world):
    letter = answered(world)
    letter_publication_prepare(actor=world.officer_a, letter=letter)
    public = letter_publish(actor=world.officer_a, letter=letter)
    letter.refresh_from_db()
    assert letter.publish_status == PublishStatus.PUBLISHED
    assert (public.number, public.agency_id, public.replied_on) == (
        letter.number,
        world.dept_a.pk,
        letter.replied_on,
    )
    for text in (public.subject, public.content, public.reply):
        assert "13912345678" not in text and "王小明" not in text
    assert public_letter_count() == 1


def test_publishing_needs_consent(world):
    letter = answered(world, consent=False)
    assert letter.publish_status == PublishStatus.NO_CONSENT
    with pytest.raises(LetterStateError, match="未同意公开"):
        letter_publication_prepare(actor=world.officer_a, letter=letter)
    with pytest.raises(LetterStateError):
        letter_publish(actor=world.officer_a, letter=letter)
    assert not PublicLetter.objects.exists()


def test_publishing_needs_a_prepared_and_reviewed_copy(world):
    letter = answered(world)
    with pytest.raises(LetterStateError, match="先生成公开稿"):
        letter_publish(actor=world.officer_a, letter=letter)
    assert not PublicLetter.objects.exists()


def test_unresolved_findings_block_publication(world):
    letter = answered(world)
    # staff paste a text that still carries an ID number into the public copy
    letter_publication_prepare(
        actor=world.officer_a,
        letter=letter,
        subject="公交线路咨询",
        content=f"身份证号码{ID_NUMBER}的市民来信询问公交首末班时间。",
        reply="首班6:00，末班21:30。",
    )
    with pytest.raises(PublicationBlocked, match="身份证"):
        letter_publish(actor=world.officer_a, letter=letter)
    assert Letter.objects.get(pk=letter.pk).publish_status == PublishStatus.PENDING
    assert not PublicLetter.objects.exists()


def test_a_finding_masked_in_the_privacy_review_is_masked_in_the_public_copy(world):
    from gongkai.apps.privacy.selectors import privacy_findings_open
    from gongkai.apps.privacy.services import privacy_finding_mask

    letter = answered(world)
    letter_publication_prepare(
        actor=world.officer_a,
        letter=letter,
        subject="公交线路咨询",
        content=f"身份证号码{ID_NUMBER}的市民来信询问公交首末班时间。",
        reply="首班6:00，末班21:30。",
    )
    for finding in privacy_findings_open(letter):
        privacy_finding_mask(actor=world.reviewer_a, finding=finding)
    public = letter_publish(actor=world.officer_a, letter=letter)
    assert ID_NUMBER not in public.content


def test_a_value_masked_after_publication_leaves_the_public_column_at_once(world):
    """Let through with a reason, published, then masked after all: the page an anonymous
    visitor receives (and the API) follow the decision without another publication."""
    from django.test import Client

    from gongkai.apps.privacy.selectors import privacy_findings_open
    from gongkai.apps.privacy.services import privacy_finding_mask, privacy_finding_override

    letter = answered(world)
    letter_publication_prepare(
        actor=world.officer_a,
        letter=letter,
        subject="公交线路咨询",
        content=f"身份证号码{ID_NUMBER}的市民来信询问公交首末班时间。",
        reply="首班6:00，末班21:30。",
    )
    (finding,) = privacy_findings_open(letter)
    privacy_finding_override(actor=world.reviewer_a, finding=finding, reason="来信人要求公开原文")
    letter_publish(actor=world.officer_a, letter=letter)
    anonymous = Client()
    url = f"/mailbox/letters/{letter.number}/"
    assert ID_NUMBER in anonymous.get(url).content.decode()
    privacy_finding_mask(actor=world.reviewer_a, finding=finding)  # the override withdrawn
    for page in (url, f"/api/mailbox/letters/{letter.number}", "/api/mailbox/letters"):
        response = anonymous.get(page)
        assert response.status_code == 200, page
        text = response.content.decode()
        assert ID_NUMBER not in text, page
    assert ID_NUMBER[:6] + "********" in anonymous.get(url).content.decode()
    assert PublicLetter.objects.get(letter=letter).content.startswith("身份证号码110105****")


def test_changing_the_copy_after_review_without_a_new_review_blocks(world):
    letter = answered(world)
    letter_publication_prepare(actor=world.officer_a, letter=letter)
    Letter.objects.filter(pk=letter.pk).update(public_content=f"身份证{ID_NUMBER}")
    with pytest.raises(PublicationBlocked, match="内容已修改"):
        letter_publish(actor=world.officer_a, letter=Letter.objects.get(pk=letter.pk))
    assert not PublicLetter.objects.exists()


def test_only_the_handling_agency_publishes(world):
    letter = answered(world)
    for who in (world.officer_b, world.applicant, world.supervisor):
        with pytest.raises(MailboxPermissionDenied):
            letter_publication_prepare(actor=who, letter=letter)
    assert Letter.objects.get(pk=letter.pk).public_prepared_at is None


def test_refuse_publication_with_a_reason_then_withdraw(world):
    letter = answered(world)
    with pytest.raises(Exception, match="理由"):
        letter_publication_refuse(actor=world.officer_a, letter=letter, reason="")
    letter_publication_refuse(actor=world.officer_a, letter=letter, reason="涉及第三方个人事项")
    letter.refresh_from_db()
    assert (letter.publish_status, letter.publish_refused_reason) == (
        PublishStatus.REFUSED,
        "涉及第三方个人事项",
    )


def test_unpublish_removes_the_public_copy(world):
    letter = answered(world)
    letter_publication_prepare(actor=world.officer_a, letter=letter)
    letter_publish(actor=world.officer_a, letter=letter)
    assert public_letter_count() == 1
    letter_publication_refuse(actor=world.officer_a, letter=letter, reason="写信人电话要求撤下")
    assert not PublicLetter.objects.exists()
    assert public_letter_count() == 0  # the cached count follows


def test_the_writer_withdraws_consent_and_the_copy_goes(world):
    letter = answered(world)
    letter_publication_prepare(actor=world.officer_a, letter=letter)
    letter_publish(actor=world.officer_a, letter=letter)
    letter_consent_withdraw(letter=letter)
    letter.refresh_from_db()
    assert (letter.consent_publish, letter.publish_status, letter.public_content) == (
        False,
        PublishStatus.NO_CONSENT,
        "",
    )
    assert not PublicLetter.objects.exists()


@pytest.mark.parametrize("name", ["欧阳晓明", "王芳", "李建国"])
def test_the_writers_name_is_masked_whole_and_the_copy_passes_review(world, name):
    letter = write(
        world.dept_a,
        writer_name=name,
        consent_publish=True,
        content=f"我叫{name}，电话13912345678，请问12路公交车几点发车？",
    ).letter
    letter_answer(actor=world.reviewer_a, letter=letter, text=f"{name}您好！首班车6:00发车。")
    letter_publication_prepare(actor=world.officer_a, letter=letter)
    public = letter_publish(actor=world.officer_a, letter=letter)  # no finding left open
    assert name not in public.content + public.reply
    assert public.reply.startswith(name[0] + "*")


def test_a_public_letter_is_read_in_one_statement_without_ordering(world):
    """Its page and its API answer read the letter and its agency in one statement; the
    number is unique, so no ORDER BY is built for it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    letter = answered(world)
    letter_publication_prepare(actor=world.officer_a, letter=letter)
    letter_publish(actor=world.officer_a, letter=letter)
    anonymous = Client()
    page, api = f"/mailbox/letters/{letter.number}/", f"/api/mailbox/letters/{letter.number}"
    for url in (page, api):
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.get(url)
        assert response.status_code == 200, url
        if url == page:
            assert world.dept_a.name in response.content.decode()
        else:
            assert response.json()["agency_name"] == world.dept_a.name
        reads = [q["sql"] for q in queries if "mailbox_publicletter" in q["sql"]]
        assert len(reads) == 1, url
        assert "ORDER BY" not in reads[0].upper(), url
