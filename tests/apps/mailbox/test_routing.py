"""Routing suggestions: keyword rules and the classifier trained on past assignments."""

import pytest

from gongkai.apps.mailbox.errors import MailboxError, MailboxPermissionDenied
from gongkai.apps.mailbox.models import ClassifierModel, RoutingRule
from gongkai.apps.mailbox.services import classifier_train, letter_answer, routing_suggestions
from tests.apps.mailbox.helpers import write

pytestmark = pytest.mark.django_db

TRANSPORT = ["公交站台被拆除", "出租车拒载绕路", "公交线路调整", "长途客运站秩序", "夜班公交太少"]
SCHOOL = ["小学入学报名材料", "学校违规补课收费", "幼儿园收费标准", "学区划分咨询", "教师体罚学生"]


def history(world, rounds=6):
    for index in range(rounds):
        for subject in TRANSPORT:
            letter = write(
                world.dept_a, subject=subject, content=f"{subject}，请尽快处理。第{index}次反映。"
            ).letter
            letter_answer(
                actor=world.reviewer_a, letter=letter, text="您好，已经处理完毕，感谢来信。"
            )
        for subject in SCHOOL:
            letter = write(
                world.dept_b, subject=subject, content=f"{subject}，请尽快处理。第{index}次反映。"
            ).letter
            letter_answer(
                actor=world.reviewer_b, letter=letter, text="您好，已经处理完毕，感谢来信。"
            )


def test_keyword_rules_suggest_an_agency(mbw):
    RoutingRule.objects.create(name="公共交通", keywords="公交，出租车", agency=mbw.dept_a)
    RoutingRule.objects.create(
        name="只管投诉", keywords="公交", category="complaint", agency=mbw.dept_b
    )
    letter = write(subject="公交站台", content="请问公交站台什么时候恢复？").letter
    suggestions = routing_suggestions(letter)
    assert [s.agency for s in suggestions] == [mbw.dept_a]
    assert suggestions[0].reasons == ["分办规则“公共交通”：公交"]
    assert suggestions[0].probability is None


def test_classifier_learns_final_assignments_and_shows_confidence(mbw):
    history(mbw)
    model = classifier_train(actor=mbw.dispatcher, holdout_share=0.25)
    assert model.examples + model.tested == 60 and model.labels == 2
    assert model.tested > 0 and 0.0 <= model.accuracy <= 1.0
    letter = write(subject="公交站台", content="家门口的公交站台被拆除了，请恢复。").letter
    best = routing_suggestions(letter)[0]
    assert best.agency == mbw.dept_a and best.probability > 0.9
    assert any("分类模型估计正确的概率" in r for r in best.reasons)
    again = classifier_train(actor=mbw.dispatcher, holdout_share=0.25)
    assert list(ClassifierModel.objects.filter(is_active=True)) == [again]
    assert (again.examples, again.tested) == (model.examples, model.tested)  # same split


def test_too_few_letters_to_learn_from(mbw):
    letter = write(mbw.dept_a).letter
    letter_answer(actor=mbw.reviewer_a, letter=letter, text="您好，已经处理完毕，感谢来信。")
    with pytest.raises(MailboxError, match="太少"):
        classifier_train(actor=mbw.dispatcher)
    assert not ClassifierModel.objects.exists()


def test_only_the_dispatch_office_trains(mbw):
    with pytest.raises(MailboxPermissionDenied):
        classifier_train(actor=mbw.officer_a)


def test_cli_train_reports_accuracy(mbw, capsys):
    from gongkai.cli import main

    history(mbw)
    assert main(["mailbox", "train", "--holdout", "0.25"]) == 0
    out = capsys.readouterr().out
    assert "准确率" in out and "前三命中率" in out
    assert main(["mailbox", "train", "--holdout", "0.9"]) == 2


def test_retrain_from_the_back_office_runs_as_a_job(
    mbw, client_for, django_capture_on_commit_callbacks
):
    from gongkai.apps.jobs.models import Job, JobStatus

    history(mbw)
    client = client_for(mbw.dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/backoffice/mailbox/classifier/", {"holdout": "25"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/backoffice/jobs/{job.pk}/"
    job.refresh_from_db()
    assert (
        job.status == JobStatus.DONE and job.result["训练信件"] + job.result["留出检验信件"] == 60
    )
    page = client.get("/backoffice/mailbox/classifier/").content.decode()
    assert "准确率（首选）" in page and "使用中" in page
