"""The demo city's mailbox reproduces the seed report: 23,311 of 23,608 answered (98.74%)."""

import pytest
from django.db.models import Count

from gongkai.apps.mailbox.models import Letter, LetterStatus, PublicLetter
from gongkai.apps.mailbox.selectors import mailbox_figures, mailbox_report_facts
from gongkai.apps.organizations.models import Agency
from gongkai.demo.world import demo_load
from gongkai.domain.mailbox import Figures

pytestmark = pytest.mark.django_db

FOUNDATION = ["网站设置", "机关名录", "工作人员和申请人账户", "政府信箱设置和分办规则"]


@pytest.mark.slow
def test_2018_reply_rate_from_the_demo_records():
    demo_load(only=[*FOUNDATION, "政府信箱2018年来信"])
    facts = mailbox_report_facts(
        agency_ids=list(Agency.objects.values_list("pk", flat=True)), year=2018
    )
    total = Figures(
        received=sum(f.received for f in facts), answered=sum(f.answered for f in facts)
    )
    assert (total.received, total.answered) == (23_608, 23_311)
    assert str(total.reply_rate) == "0.9874"
    # realistic shape: every month and category, most letters to 市长信箱 and departments
    months = mailbox_figures(year=2018, by="month")
    assert all(row.figures.received > 1000 for row in months)
    assert months[1].figures.received < months[7].figures.received  # 春节 in February
    by_category = dict(
        Letter.objects.filter(received_on__year=2018)
        .values_list("category")
        .annotate(n=Count("id"))
    )
    assert set(by_category) == {"consult", "suggestion", "complaint", "help", "other"}
    valid = Letter.objects.filter(received_on__year=2018).exclude(status=LetterStatus.INVALID)
    to_mayor = valid.filter(addressee__isnull=True).count()
    to_departments = valid.filter(addressee__kind="department").count()
    assert to_mayor > to_departments > valid.count() - to_mayor - to_departments
    assert Letter.objects.filter(status=LetterStatus.INVALID, received_on__year=2018).count() == 812
    # answered letters carry replies; published ones never show the writer's phone
    assert not valid.filter(replied_on__isnull=False, reply="").exists()
    published = PublicLetter.objects.select_related("letter")[:300]
    assert published
    for public in published:
        assert public.letter.writer_phone not in public.content
        assert public.letter.writer_name not in public.content + public.reply
    # loading again changes nothing
    count = Letter.objects.count()
    assert demo_load(only=[*FOUNDATION, "政府信箱2018年来信"]) == []
    assert Letter.objects.count() == count


def test_letters_in_every_state_for_the_demo_logins():
    demo_load(only=[*FOUNDATION, "政府信箱各状态信件"])
    statuses = set(Letter.objects.values_list("status", flat=True))
    assert statuses >= {
        "received",
        "handling",
        "review",
        "answered",
        "redirected",
        "converted",
        "invalid",
    }
    zhangsan = Letter.objects.filter(writer_user__username="zhangsan")
    assert set(zhangsan.values_list("status", flat=True)) >= {"received", "handling", "answered"}
    jtj = Letter.objects.filter(agency__code="jtj")
    assert jtj.filter(status="handling", due_date__isnull=False).exists()
    assert jtj.filter(status="answered", publish_status="pending").exists()
    assert PublicLetter.objects.filter(agency__code="jtj").exists()
    assert Letter.objects.filter(agency__code="bgs", status="received").exists()
