"""隐私审查 API: permission matrix, masked output only, bad input."""

from __future__ import annotations

import json

import pytest

from gongkai.apps.privacy.models import PrivacyReview
from gongkai.apps.privacy.services import ReviewSource, privacy_review

pytestmark = pytest.mark.django_db

TEXT = "申请人张伟，身份证号码110101199003074573，手机13812345678。国办发〔2017〕47号"


def _post(client, text):
    return client.post(
        "/api/privacy/scan", json.dumps({"text": text}), content_type="application/json"
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("applicant", 403), ("officer_b", 200), ("supervisor", 200)],
)
def test_scan_permissions(world, client_for, who, status):
    client = client_for(None if who == "anonymous" else getattr(world, who))
    assert _post(client, TEXT).status_code == status


def test_scan_returns_masked_values_only_and_stores_nothing(world, client_for):
    response = _post(client_for(world.officer_a), TEXT)
    data = response.json()
    assert data["blocking"] == 3
    assert [(f["kind"], f["masked"]) for f in data["findings"]] == [
        ("name", "张*"),
        ("id_number", "110101********4573"),
        ("mobile", "138****5678"),
    ]
    assert (
        data["masked_text"]
        == "申请人张*，身份证号码110101********4573，手机138****5678。国办发〔2017〕47号"
    )
    assert "110101199003074573" not in response.content.decode()
    assert not PrivacyReview.objects.exists()


def test_scan_rejects_empty_text(world, client_for):
    response = _post(client_for(world.officer_a), "  ")
    assert response.status_code == 400
    assert response.json()["detail"] == "文字内容为空"


def test_reviews_list_is_per_agency(world, client_for):
    privacy_review(
        actor=world.officer_a,
        target=world.dept_a,
        agency_id=world.dept_a.pk,
        sources=[ReviewSource("正文", text=TEXT)],
    )
    mine = client_for(world.officer_a).get("/api/privacy/reviews").json()
    assert [(r["agency_code"], r["blocking"]) for r in mine] == [("depta", 3)]
    assert client_for(world.officer_b).get("/api/privacy/reviews").json() == []
    assert len(client_for(world.supervisor).get("/api/privacy/reviews").json()) == 1
