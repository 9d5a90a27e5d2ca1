"""Two servers, each with its own tantivy index, following one change log."""

import pytest

from gongkai.apps.catalog.models import SearchChange, SearchLog
from gongkai.apps.catalog.search import get_engine
from gongkai.apps.catalog.search.base import EngineQuery
from gongkai.apps.catalog.search.follow import FileCursor, catch_up, request_rebuild
from tests.apps.catalog.factories import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def servers(settings, tmp_path):
    """Server A's and B's index directories; ``on(name)`` points this process at one."""
    settings.GONGKAI_SEARCH_ENGINE = "tantivy"

    def on(name):
        settings.SEARCH_INDEX_DIR = tmp_path / name
        return get_engine()

    return on


def found(engine, word):
    return engine.search(EngineQuery(terms=(word,))).ids


def test_a_document_published_through_one_server_is_found_on_both(world, servers):
    a, b = servers("a"), servers("b")
    for engine, name in ((a, "a"), (b, "b")):  # first start: both build from the database
        servers(name)
        assert catch_up(engine).rebuilt
    doc = published(world.dept_a, title="关于公布城市道路养护计划的通知")
    servers("a")
    catch_up(a)
    assert found(a, "养护") == [doc.pk] and found(b, "养护") == []
    servers("b")
    done = catch_up(b)
    assert found(b, "养护") == [doc.pk]
    assert (done.documents, done.behind, done.rebuilt) == (1, 0, False)
    # nothing new: nothing applied
    assert catch_up(b).documents == 0


def test_a_server_that_was_down_catches_up_and_a_rebuild_request_reaches_every_server(
    world, servers
):
    a, b = servers("a"), servers("b")
    for engine, name in ((a, "a"), (b, "b")):
        servers(name)
        catch_up(engine)
    first = published(world.dept_a, title="第一份养老服务补贴公示")
    second = published(world.dept_b, title="第二份养老服务补贴公示")
    servers("b")  # B was down while both were published
    assert catch_up(b).documents == 2
    assert sorted(found(b, "养老")) == sorted([first.pk, second.pk])
    marker = request_rebuild()
    for engine, name in ((a, "a"), (b, "b")):
        servers(name)
        done = catch_up(engine)
        assert done.rebuilt and done.position >= marker
        assert sorted(found(engine, "养老")) == sorted([first.pk, second.pk])


def test_a_change_committed_after_a_later_one_is_not_skipped(world, servers):
    a = servers("a")
    catch_up(a)
    early = published(world.dept_a, title="早开始晚提交的采购公告")
    late = published(world.dept_a, title="晚开始早提交的招聘公告")
    early_change = SearchChange.objects.filter(document_id=early.pk).get().pk
    # as the index saw it: the earlier transaction had not committed yet
    SearchChange.objects.filter(pk=early_change).delete()
    done = catch_up(a)
    assert found(a, "招聘") == [late.pk] and found(a, "采购") == []
    assert early_change in FileCursor(a.root.parent).load().gaps
    SearchChange.objects.create(pk=early_change, document_id=early.pk)  # now it commits
    done = catch_up(a)
    assert found(a, "采购") == [early.pk] and done.documents == 1
    assert early_change not in FileCursor(a.root.parent).load().gaps


def test_a_recreated_or_restored_database_makes_every_index_rebuild(world, servers):
    a = servers("a")
    catch_up(a)
    doc = published(world.dept_a, title="恢复备份前的公告")
    catch_up(a)
    SearchLog.objects.all().delete()  # another database (or a restored one) behind the site
    done = catch_up(a)
    assert done.rebuilt and found(a, "公告") == [doc.pk]


def _entry(doc_id, words):
    from gongkai.apps.catalog.search.base import IndexEntry

    return IndexEntry(
        doc_id=doc_id,
        title_tokens=words,
        body_tokens=words,
        agency_ids=(1,),
        column_ids=(),
        topic_ids=(),
        genre_id=0,
        year=2024,
        validity=1,
        published_ts=1_700_000_000,
    )


def test_a_web_process_looks_at_the_index_files_at_most_once_a_second(tmp_path, monkeypatch):
    from gongkai.apps.catalog.search import tantivy_engine
    from gongkai.apps.catalog.search.tantivy_engine import TantivyEngine

    # a long second, so that a slow machine does not reach it during the test
    monkeypatch.setattr(tantivy_engine, "RECHECK_SECONDS", 3600.0)
    web, follower = TantivyEngine(tmp_path), TantivyEngine(tmp_path)  # two processes
    web.upsert([_entry(1, "养老 服务")])
    assert found(web, "养老") == [1]  # its own write, at once
    looks = []
    stamp = web._file_stamp
    monkeypatch.setattr(web, "_file_stamp", lambda g: looks.append(g) or stamp(g))
    follower.upsert([_entry(2, "养老 补贴")])  # the follower commits
    for _ in range(20):  # searches within the second do not look at the files
        assert found(web, "养老") == [1]
    assert looks == []
    web.refresh()  # what the page cache asks before keeping a list
    assert sorted(found(web, "养老")) == [1, 2] and len(looks) == 1
    follower.upsert([_entry(3, "养老 机构")])
    monkeypatch.setattr(tantivy_engine, "RECHECK_SECONDS", 0.0)  # the second has passed
    assert sorted(found(web, "养老")) == [1, 2, 3]


def test_a_generation_switch_by_another_process_is_followed(tmp_path, monkeypatch):
    from gongkai.apps.catalog.search import tantivy_engine
    from gongkai.apps.catalog.search.tantivy_engine import TantivyEngine

    web, follower = TantivyEngine(tmp_path), TantivyEngine(tmp_path)
    web.upsert([_entry(1, "养老")])
    assert found(web, "养老") == [1]
    follower.activate(follower.build_new([_entry(5, "养老"), _entry(6, "养老")]))
    monkeypatch.setattr(tantivy_engine, "RECHECK_SECONDS", 0.0)
    assert sorted(found(web, "养老")) == [5, 6]
