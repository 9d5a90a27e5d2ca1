"""The public checker under hostile files: refused before parsing, with a Chinese reason, on
the page, through the API and on the command line (exit 4, no traceback)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.hostile import big_xlsx, bomb_docx

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bomb_docx(xml_megabytes=100)  # ≈ 400 KB packed


@pytest.fixture(scope="module")
def sheet() -> bytes:
    return big_xlsx(cells=30_000)


def _post_page(client: Client, name: str, data: bytes):
    page = client.get("/reports/check/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    upload = SimpleUploadedFile(name, data)
    return client.post("/reports/check/", {"file": upload, "csrfmiddlewaretoken": token.group(1)})


def test_the_page_refuses_a_decompression_bomb_before_parsing(bomb):
    assert len(bomb) < 600_000
    response = _post_page(Client(enforce_csrf_checks=True), "年报.docx", bomb)
    assert response.status_code == 200
    assert "文件“年报.docx”解压后为99MB，超过60MB的上限" in response.content.decode()


def test_the_api_refuses_a_sheet_with_too_many_cells(sheet):
    response = Client(enforce_csrf_checks=True).post(
        "/api/reports/check", {"file": SimpleUploadedFile("年报.xlsx", sheet)}
    )
    assert response.status_code == 400
    assert (
        response.json()["detail"] == "文件“年报.xlsx”的表格单元格超过20,000个的上限，请拆分后再上传"
    )


def test_the_cli_says_it_could_not_read_with_its_own_exit_code(bomb, tmp_path, capsys):
    from gongkai.cli import main

    path = tmp_path / "年报.docx"
    path.write_bytes(bomb)
    assert main(["report", "check", str(path)]) == 4
    captured = capsys.readouterr()
    assert "无法读取" in captured.err and "Traceback" not in captured.err + captured.out


def test_a_damaged_file_is_unreadable_not_a_crash(tmp_path, capsys):
    from gongkai.cli import main

    path = tmp_path / "年报.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert main(["report", "check", str(path)]) == 4
    assert "Traceback" not in capsys.readouterr().err


def test_the_checker_is_limited_per_address():
    client = Client()
    for _ in range(30):
        client.post("/api/reports/check", {"file": SimpleUploadedFile("a.html", b"<p>x</p>")})
    refused = client.post("/api/reports/check", {"file": SimpleUploadedFile("a.html", b"<p>x</p>")})
    assert refused.status_code == 429 and "核对过于频繁" in refused.json()["detail"]
