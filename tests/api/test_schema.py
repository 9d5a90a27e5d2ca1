from pathlib import Path

import pytest

from gongkai.api.schema_export import openapi_json

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_openapi_schema_is_current():
    assert COMMITTED.read_text(encoding="utf-8") == openapi_json(), (
        "docs/openapi.json is stale: run `make openapi` and commit it"
    )


@pytest.mark.django_db
def test_schema_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"].startswith("gongkai")


@pytest.mark.django_db
def test_agency_directory_endpoint(client, world):
    data = client.get("/api/agencies/").json()
    assert {row["code"] for row in data} >= {"city", "depta"}
