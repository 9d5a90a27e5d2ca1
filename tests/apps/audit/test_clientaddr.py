"""The client's address: X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from gongkai.apps.audit.clientaddr import client_address

rf = RequestFactory()


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        ([], "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # no proxies configured: header ignored
        (["10.0.0.0/8"], "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # not from a proxy
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.9", "198.51.100.9"),
        # a client cannot choose its address: the proxy appends the real one on the right
        (["10.0.0.0/8"], "10.0.0.2", "1.2.3.4, 198.51.100.9", "198.51.100.9"),
        # two proxies in a row are skipped
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.9, 10.0.0.7", "198.51.100.9"),
        (["10.0.0.0/8"], "10.0.0.2", "not-an-ip, 198.51.100.9", "198.51.100.9"),
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.9, garbage", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.9:5123", "198.51.100.9"),
        (["10.0.0.0/8"], "10.0.0.2", "", "10.0.0.2"),
        (["::1", "127.0.0.1"], "::1", "198.51.100.3", "198.51.100.3"),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, client):
    settings.GONGKAI_TRUSTED_PROXIES = trusted
    assert client_address(_request(remote, forwarded)) == client


@pytest.mark.django_db
def test_the_audit_chain_records_the_forwarded_client(client, settings, world):
    from gongkai.apps.audit.models import AuditEvent

    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(
        "/accounts/login/",
        {"username": "officer_a", "password": "pass-word-123"},
        HTTP_X_FORWARDED_FOR="198.51.100.44",
    )
    assert '"ip":"198.51.100.44"' in AuditEvent.objects.get(action="user.login").context
