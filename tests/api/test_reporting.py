"""The reports API: public figures of published reports, and the checker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.apps.reporting.conftest import draft, published, sources, year_2025  # noqa: F401
from tests.apps.reporting.test_cli import FIXTURES

pytestmark = pytest.mark.django_db


def test_only_published_reports_are_listed(client, draft):  # noqa: F811
    data = client.get("/api/reports/").json()
    assert data == {"count": 0, "page": 1, "per_page": 50, "items": []}
    assert client.get("/api/reports/depta/2025").status_code == 404
    assert client.get("/api/reports/?agency=nowhere").status_code == 404


def test_published_report_figures(client, published):  # noqa: F811
    data = client.get("/api/reports/?year=2025").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["agency_code"] == "depta" and item["scope"] == "self" and item["format"] == "2021"
    figures = client.get(item["figures_url"]).json()
    t3 = next(t for t in figures["tables"] if t["table"] == "t3")
    assert next(r for r in t3["rows"] if r["row"] == "new")["values"]["total"] == 8
    assert figures["identities"]["ok"] is True


def test_check_endpoint(client):
    data = (FIXTURES / "broken_identity_2021.html").read_bytes()
    response = client.post("/api/reports/check", {"file": SimpleUploadedFile("r.html", data)})
    body = response.json()
    assert response.status_code == 200
    assert body["exit_code"] == 1 and body["format"] == "2021"
    assert body["identities"]["suspects"] == ["t3:disclosed:total"]
    response = client.post("/api/reports/check", {"file": SimpleUploadedFile("r.xls", b"x")})
    assert response.status_code == 400 and "暂不支持" in response.json()["detail"]
    none = client.post(
        "/api/reports/check",
        {"file": SimpleUploadedFile("n.html", (FIXTURES / "no_report_table.html").read_bytes())},
    ).json()
    assert none["found"] is False and none["exit_code"] == 2
