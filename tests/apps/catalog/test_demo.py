"""The demo catalogue: size, shape, links, and the seed city's 2018 figures exactly."""

from collections import Counter

import pytest

from gongkai.apps.catalog.models import (
    Attachment,
    ChannelTally,
    Document,
    DocumentState,
    GazetteIssue,
)
from gongkai.apps.catalog.selectors import catalog_report_facts
from gongkai.apps.organizations.models import Agency
from gongkai.demo.world import demo_load
from gongkai.domain.reportfacts import PublicationChannel

pytestmark = pytest.mark.django_db

FOUNDATION = ["网站设置", "机关名录", "工作人员和申请人账户"]


def test_demo_catalogue_and_2018_figures():
    assert demo_load(only=[*FOUNDATION, "主动公开目录"])[-1] == "主动公开目录"
    published = Document.objects.filter(state=DocumentState.PUBLISHED)
    assert published.count() >= 3000
    years = {d.year for d in published.dates("published_at", "year")}
    assert set(range(2016, 2027)) <= years
    kinds = Counter(published.values_list("column__kind", flat=True))
    assert kinds["interpretation"] >= 50 and kinds["key_area"] >= 300
    # annual reports are filed by the reporting steps from the reports they compute
    assert kinds["annual_report"] == 0
    interp = published.filter(interprets__isnull=False).select_related("interprets").first()
    assert interp.interprets.interpretations.filter(pk=interp.pk).exists()
    assert (
        GazetteIssue.objects.filter(is_published=True, documents__isnull=False).distinct().count()
        >= 100
    )
    # each issue's PDF is left to the background worker, as a site's worker renders it
    from gongkai.apps.catalog.services.gazette import PDF_JOB
    from gongkai.apps.jobs.models import Job

    queued = {job.params["issue_id"] for job in Job.objects.filter(kind=PDF_JOB)}
    issues = GazetteIssue.objects.filter(is_published=True)
    assert queued == set(issues.values_list("pk", flat=True))
    assert not issues.exclude(pdf="").exists()
    assert published.filter(validity="repealed", superseded_by__isnull=False).exists()
    assert Document.objects.filter(state=DocumentState.PENDING).exists()
    assert Document.objects.filter(state=DocumentState.DRAFT, publish_due__isnull=False).exists()
    scan = Attachment.objects.get(filename="签发稿（扫描件）.pdf")  # read by OCR after loading
    assert scan.document.agency.code == "jtj" and scan.ocr_pages == [1] and scan.text == ""
    assert scan.ocr_status == "pending"

    facts = catalog_report_facts(
        agency_ids=list(Agency.objects.values_list("pk", flat=True)), year=2018
    )
    totals: Counter = Counter()
    for fact in facts:
        totals.update(fact.published)
    assert totals[PublicationChannel.WEBSITE] == 129_396
    assert totals[PublicationChannel.GAZETTE] == 157
    assert totals[PublicationChannel.WEIBO] == 20_635
    assert totals[PublicationChannel.WECHAT] == 41_115
    assert (
        totals[PublicationChannel.NEWSPAPER]
        + totals[PublicationChannel.TV]
        + totals[PublicationChannel.SCREEN]
        == 57_463
    )
    assert sum(totals.values()) == 248_766
    assert ChannelTally.objects.filter(year=2018).count() > 100

    counts = (Document.objects.count(), ChannelTally.objects.count())
    assert demo_load(only=[*FOUNDATION, "主动公开目录"]) == []
    assert (Document.objects.count(), ChannelTally.objects.count()) == counts


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_vocabularies_back():
    from django.core.management import call_command

    from gongkai.apps.catalog.models import Column, Genre, Topic

    call_command("flush", interactive=False, verbosity=0)
    assert Column.objects.filter(slug="statutory-fgwj").exists()
    assert Topic.objects.count() > 100 and Genre.objects.filter(is_official=True).count() == 15
