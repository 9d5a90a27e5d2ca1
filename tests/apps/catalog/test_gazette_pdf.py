"""The gazette issue's PDF is on the GB/T 9704 page like every generated document."""

import datetime as dt

import pytest

from gongkai.apps.catalog.models import GazetteIssue
from gongkai.apps.catalog.services.gazette import gazette_issue_pdf_bytes
from tests.apps.catalog.factories import published
from tests.pagecheck import assert_gbt9704_pdf, pdf_glyphs

pytestmark = pytest.mark.django_db


def test_a_gazette_issue_pdf_is_a4_with_gbt9704_margins(world):
    issue = GazetteIssue.objects.create(
        agency=world.city, year=2026, number=3, published_on=dt.date(2026, 3, 28)
    )
    body = "".join(f"<p>第{i}条　" + "为进一步做好政务公开工作" * 8 + "。</p>" for i in range(12))
    published(
        world.city, title="测试市人民政府关于印发工作要点的通知", body=body
    ).__class__.objects.update(gazette_issue=issue)
    content = gazette_issue_pdf_bytes(issue)
    assert_gbt9704_pdf(content)
    text = "".join(g[5] for g in pdf_glyphs(content))
    assert "测试市人民政府公报" in text and "工作要点" in text


def test_an_issue_published_without_its_pdf_has_it_rendered_by_the_queued_job(world):
    """The demo publishes its issues in bulk and queues their PDFs, as a site's worker renders
    them after publication: the job stores the PDF, which the public page then serves."""
    from django.test import Client

    from gongkai.apps.catalog.services.gazette import PDF_JOB, gazette_issue_pdf_enqueue
    from gongkai.apps.jobs.models import Job
    from gongkai.apps.jobs.services import job_run_inline

    issue = GazetteIssue.objects.create(
        agency=world.city, year=2026, number=4, published_on=dt.date(2026, 4, 28), is_published=True
    )
    published(world.city, title="测试市人民政府关于公报的通知").__class__.objects.update(
        gazette_issue=issue
    )
    gazette_issue_pdf_enqueue(actor=world.admin, issue=issue)
    job = Job.objects.get(kind=PDF_JOB)
    assert job.params == {"issue_id": issue.pk}
    assert not GazetteIssue.objects.get(pk=issue.pk).pdf
    job_run_inline(job.pk)
    issue.refresh_from_db()
    assert issue.pdf and issue.pdf_generated_at is not None
    response = Client().get(f"/catalog/gazette/{issue.pk}/pdf/")
    assert response.status_code == 200
    assert response.getvalue() == issue.pdf.open("rb").read()
