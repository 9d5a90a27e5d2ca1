"""robots.txt keeps personal and working pages out of search engines and names the sitemap."""

import pytest

pytestmark = pytest.mark.django_db


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/backoffice/", "/track/", "/notices/", "/accounts/", "/api/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /catalog/" not in lines
    assert lines[-1] == "Sitemap: http://testserver/sitemap.xml"
