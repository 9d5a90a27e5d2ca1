"""Uploads on S3-compatible object storage (OBS, OSS, MinIO …): the same flows against a
local S3 server (moto's server mode), as a second server would see them."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from django.core.files.storage import storages

from gongkai.apps.catalog.models import Attachment
from gongkai.apps.catalog.services import common
from gongkai.apps.jobs.models import Job
from tests.apps.catalog.factories import published
from tests.apps.catalog.test_ocr import needs_tesseract, scan

pytestmark = pytest.mark.django_db
BUCKET = "gongkai-files"


@pytest.fixture(scope="session")
def s3_server():
    """A moto S3 server on a free port of this machine for the test session."""
    binary = shutil.which("moto_server")
    if binary is None:
        pytest.fail("需要 moto[server]（make test 会安装）")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3(settings, s3_server):
    import boto3

    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_server,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
        "addressing_style": "path",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    storages._storages = {}  # the handler caches backends by alias
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    storages._storages = {}


def test_an_attachment_uploaded_is_stored_in_the_bucket_and_downloaded_by_the_public(
    world, client, s3, django_capture_on_commit_callbacks
):
    doc = published(world.dept_a, title="关于公布城市道路养护计划的通知")
    body = "二〇二六年道路养护计划全文".encode()
    with django_capture_on_commit_callbacks(execute=True):
        common.add_attachments(doc, [("养护计划.txt", body)])
    attachment = Attachment.objects.get(document=doc)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert attachment.file.name in keys
    stored = s3.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read()
    assert stored == body
    from gongkai.apps.catalog.models import PublishedFile
    from tests.apps.catalog.factories import rerender

    rerender(doc)  # the public receives the published rendition's copy (ADR 0032)
    response = client.get(PublishedFile.objects.get(document=doc).get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body


@needs_tesseract
def test_a_job_reads_the_upload_from_the_bucket(world, s3, django_capture_on_commit_callbacks):
    """The OCR job runs on whichever worker takes it: it reads the scan from the bucket."""
    doc = published(world.dept_a, title="扫描件")
    with django_capture_on_commit_callbacks(execute=True):
        common.add_attachments(doc, [("扫描件.png", scan("PNG"))])
    attachment = Attachment.objects.get(document=doc)
    assert "公交线网优化" in attachment.search_text
    assert Job.objects.get(kind="catalog.attachment_ocr").status == "done"
