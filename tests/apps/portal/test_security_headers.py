"""Pages carry a strict CSP and a Permissions-Policy; no template runs inline script; the
deployment check refuses a placeholder secret; rich text keeps only allow-listed classes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.apps.catalog.richtext import sanitise_html
from gongkai.apps.portal.security import check_secret_key

TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "gongkai" / "templates"


@pytest.mark.django_db
def test_pages_carry_csp_and_permissions_policy(client, world):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script_handlers_or_styles():
    offenders = []
    browser_pages = [
        p for p in TEMPLATES.rglob("*.html") if not p.name.endswith(("_pdf.html", "_document.html"))
    ]
    for path in browser_pages:
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)", text):
            offenders.append(f"{path.name}: inline <script>")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path.name}: event handler attribute")
        if re.search(r'\sstyle="', text) or "<style" in text:
            offenders.append(f"{path.name}: inline style")
    assert offenders == []


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-a-long-random-string-of-at-least-fifty-characters",
        "embedded-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "short",
        "a" * 60,
    ],
)
def test_check_deploy_refuses_placeholder_or_weak_keys(settings, key):
    settings.SECRET_KEY = key
    assert [e.id for e in check_secret_key(None)] in (["gongkai.E001"], ["gongkai.E002"])


def test_check_deploy_accepts_a_random_key(settings):
    settings.SECRET_KEY = "Zq3vX9-kLm2pR8sT1uW4yB6nC0dF5gH7jK2lP9oI3eA8rQ1tY6uV"
    assert check_secret_key(None) == []


def test_rich_text_keeps_only_the_bodys_own_classes():
    html = '<p class="signature btn alert">甲</p><div class="site-header">乙</div><span class="underline">丙</span>'
    assert sanitise_html(html) == (
        '<p class="signature">甲</p><div class="">乙</div><span class="underline">丙</span>'
    )
