"""A server refuses to start beside others when the platform would diverge."""

import datetime as dt

import pytest
from django.db import connection

from gongkai import clock
from gongkai.apps.catalog.search import get_engine
from gongkai.apps.catalog.search.follow import cursor_for
from gongkai.apps.jobs.models import Node, NodeRole
from gongkai.apps.portal.nodes import deployment_problems, secret_mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def here(settings, tmp_path):
    settings.GONGKAI_NODE_NAME = "a"
    settings.SEARCH_INDEX_DIR = tmp_path / "search-a"
    settings.MEDIA_ROOT = tmp_path / "media-a"
    return settings


def other(**fields):
    defaults = {
        "name": "b",
        "role": NodeRole.WEB,
        "engine": "tantivy",
        "index_id": "index-of-b",
        "seen_at": clock.now(),
    }
    return Node.objects.create(**{**defaults, **fields})


def test_alone_a_server_starts_and_registers_itself(here):
    assert deployment_problems() == []
    node = Node.objects.get(name="a", role=NodeRole.WEB)
    assert node.engine == "tantivy" and node.secret_mark == secret_mark()
    assert node.index_id == cursor_for(get_engine()).index_id()


def test_beside_another_server_the_embedded_setup_is_refused(here, settings):
    other()
    problems = " ".join(deployment_problems())
    assert "GONGKAI_BROKER_URL" in problems
    if connection.vendor == "sqlite":
        assert "PostgreSQL" in problems
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        assert "Redis" in problems
    assert not Node.objects.filter(name="a").exists()  # a refused server is not registered


def test_a_server_long_gone_does_not_count(here):
    other(seen_at=clock.now() - dt.timedelta(hours=1))
    assert deployment_problems() == []


def test_files_cache_secret_and_search_that_differ_are_each_named(here):
    index_id = cursor_for(get_engine()).index_id()
    other(storage_mark="token-on-b", cache_mark="token-on-b", secret_mark="another-key")
    other(name="c", engine="postgres")
    other(name="d", index_id=index_id)
    problems = " ".join(deployment_problems())
    assert "读不到服务器“b”写入的上传文件" in problems
    assert "与服务器“b”不是同一个缓存" in problems
    assert "SECRET_KEY 与服务器“b”不同" in problems
    assert "服务器“c”使用 postgres 检索" in problems
    assert "与服务器“d”是同一个" in problems


def test_servers_sharing_files_and_cache_are_not_refused_for_them(here):
    """B's marks are readable here: the same storage and the same cache."""
    from django.core.cache import cache
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save(".gongkai-servers/b", ContentFile(b"token-of-b"))
    cache.set(".gongkai-servers:b", "token-of-b", None)
    other(storage_mark="token-of-b", cache_mark="token-of-b", secret_mark=secret_mark())
    problems = " ".join(deployment_problems())
    assert "上传文件" not in problems and "不是同一个缓存" not in problems
    assert "SECRET_KEY" not in problems


def test_a_second_server_with_the_same_name_is_refused(here):
    other(name="a", index_id="an-index-elsewhere")
    assert "另一台服务器也叫“a”" in " ".join(deployment_problems())
