"""Paste from Word into the editor: the server's sanitiser cleans it, tables and headings stay."""

import pytest
from django.test import Client

from gongkai.apps.catalog.richtext import sanitise_pasted_html

pytestmark = pytest.mark.django_db

WORD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]--></head>
<body><h2 class="MsoTitle" style="mso-outline-level:2">一、总体要求</h2>
<p class="MsoNormal" style="text-indent:2em;font-family:仿宋_GB2312"><span lang="EN-US" style="mso-bidi-font-size:16pt">各区县人民政府<o:p></o:p></span></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<table class="MsoTableGrid" border="1" style="border-collapse:collapse"><tr><td style="width:100pt"><p class="MsoNormal">线路</p></td><td colspan="2"><p>调整</p></td></tr></table>
<p onclick="alert(1)"><img src="file:///C:/x.png">图</p><script>alert(2)</script></body></html>"""


def test_word_markup_is_cleaned_and_structure_kept():
    html = sanitise_pasted_html(WORD)
    assert "<h2>一、总体要求</h2>" in html
    assert "<p>各区县人民政府</p>" in html
    assert '<td colspan="2"><p>调整</p></td>' in html and "<table>" in html
    for gone in ("Mso", "mso-", "style", "o:p", "<img", "<script", "onclick", "&nbsp;</p>"):
        assert gone not in html, gone


def test_the_paste_endpoint_is_for_staff_with_csrf(world):
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(world.officer_a)
    staff.get("/backoffice/catalog/new/")
    token = staff.cookies["csrftoken"].value
    response = staff.post(
        "/backoffice/catalog/richtext/clean/", {"html": WORD}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200 and "<h2>一、总体要求</h2>" in response.json()["html"]
    assert staff.post("/backoffice/catalog/richtext/clean/", {"html": WORD}).status_code == 403
    applicant = Client()
    applicant.force_login(world.applicant)
    assert applicant.post("/backoffice/catalog/richtext/clean/", {"html": "x"}).status_code == 403
    assert Client().post("/backoffice/catalog/richtext/clean/", {"html": "x"}).status_code == 302


def test_the_vendored_editor_matches_its_recorded_checksums():
    import hashlib
    from pathlib import Path

    import gongkai

    folder = Path(gongkai.__file__).parent / "static" / "vendor" / "jodit"
    version = (folder / "VERSION").read_text().strip()
    assert version == "4.15.13"
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
