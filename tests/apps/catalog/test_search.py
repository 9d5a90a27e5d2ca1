"""The same search cases on both engines (tantivy; PostgreSQL in CI's PostgreSQL pass)."""

import pytest

from gongkai import clock
from gongkai.apps.catalog import services
from gongkai.apps.catalog.models import Column, Document, Genre, SearchChange, SearchTokens
from gongkai.apps.catalog.search.base import VALIDITY_CODES, EngineQuery, Filters
from gongkai.apps.catalog.search.indexing import index_entries, index_flush, index_rebuild
from gongkai.apps.catalog.selectors.search import SearchParams, catalog_search
from tests.apps.catalog.factories import aware, column, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(world):
    docs = {
        "budget": published(
            world.dept_a,
            title="示例市交通运输局关于公开2018年财政预算的通知",
            body="<p>根据政府信息公开工作要求，现将本局2018年部门预算公开如下。</p>",
            column=column("statutory-yjs"),
            when=aware(2018, 3, 1),
            doc_number="示交发〔2018〕12号",
        ),
        "school": published(
            world.dept_b,
            title="关于做好2019年义务教育招生入学工作的通知",
            body="<p>各区教育局：义务教育招生入学工作事关千家万户，经费纳入财政保障。</p>",
            column=column("key-jy"),
            when=aware(2019, 5, 1),
        ),
        "joint": published(
            world.dept_a,
            title="关于规范道路养护资金管理的意见",
            body="<p>道路养护资金纳入年度财政预算，专款专用。</p>" * 3,
            column=column("key-czyjs"),
            joint=[world.dept_b],
            when=aware(2019, 8, 1),
            genre=Genre.objects.get(name="意见"),
            validity="repealed",
            validity_on=aware(2020, 1, 1).date(),
        ),
        "safety": published(
            world.county,
            title="东城区开展安全生产大检查的通报",
            body="<p>全区共检查企业120家，发现隐患35处。</p>",
            column=column("key-aqsc"),
            when=aware(2020, 7, 1),
            genre=Genre.objects.get(name="通报"),
        ),
    }
    return docs


def _index(engine, docs):
    entries, gone = index_entries([d.pk for d in docs.values()])
    engine.upsert(entries)
    engine.delete(gone)


def _ids(result):
    return result.ids


def test_two_word_query_matches_title_or_body_and_ranks_title_first(engine, corpus):
    _index(engine, corpus)
    result = engine.search(EngineQuery(terms=("财政", "预算")))
    assert result.total == 2
    assert result.ids == [corpus["budget"].pk, corpus["joint"].pk]


def test_every_word_is_required(engine, corpus):
    _index(engine, corpus)
    assert engine.search(EngineQuery(terms=("财政",))).total == 3
    assert engine.search(EngineQuery(terms=("财政", "检查"))).total == 0


def test_filters_include_joint_publishers_and_parent_columns(engine, corpus, world):
    _index(engine, corpus)
    by_b = engine.search(EngineQuery(terms=("财政",), filters=Filters(agency=world.dept_b.pk)))
    assert set(by_b.ids) == {corpus["school"].pk, corpus["joint"].pk}
    statutory = Column.objects.get(slug="statutory")
    assert engine.search(EngineQuery(terms=(), filters=Filters(column=statutory.pk))).ids == [
        corpus["budget"].pk
    ]
    key_areas = Column.objects.get(slug="key-areas")
    assert engine.search(EngineQuery(terms=(), filters=Filters(column=key_areas.pk))).total == 3
    repealed = engine.search(
        EngineQuery(terms=(), filters=Filters(validity=VALIDITY_CODES["repealed"]))
    )
    assert repealed.ids == [corpus["joint"].pk]
    y2019 = engine.search(EngineQuery(terms=("财政",), filters=Filters(year=2019)))
    assert set(y2019.ids) == {corpus["school"].pk, corpus["joint"].pk}


def test_facet_counts(engine, corpus, world):
    _index(engine, corpus)
    result = engine.search(EngineQuery(terms=("财政",), facets=True))
    assert result.facets["year"] == {2018: 1, 2019: 2}
    assert result.facets["agency"] == {world.dept_a.pk: 2, world.dept_b.pk: 2}
    assert result.facets["validity"] == {VALIDITY_CODES["valid"]: 2, VALIDITY_CODES["repealed"]: 1}
    key_areas = Column.objects.get(slug="key-areas")
    assert result.facets["column"][key_areas.pk] == 2


def test_postgres_counts_beyond_its_cap_describe_the_newest_matches(
    engine_name, corpus, world, client, monkeypatch
):
    """Past COUNT_CAP matches PostgreSQL reports a lower bound and facet counts of the
    newest matches, and the search page says so; below it everything is exact."""
    if engine_name != "postgres":
        pytest.skip("PostgreSQL only")
    from gongkai.apps.catalog.search import postgres_engine
    from gongkai.apps.catalog.search.postgres_engine import PostgresEngine

    engine = PostgresEngine()
    _index(engine, corpus)
    full = engine.search(EngineQuery(terms=("财政",), facets=True))
    assert (full.total, full.exact, full.facets_exact) == (3, True, True)
    monkeypatch.setattr(postgres_engine, "COUNT_CAP", 2)
    capped = engine.search(EngineQuery(terms=("财政",), facets=True, limit=1))
    assert (capped.total, capped.exact, capped.facets_exact) == (2, False, False)
    # the two newest matches: the joint opinion (2019-08) and the school notice (2019-05)
    assert capped.facets["year"] == {2019: 2}
    assert capped.facets["agency"] == {world.dept_a.pk: 1, world.dept_b.pk: 2}
    html = client.get("/search/?q=财政&per_page=1").content.decode()
    assert "共找到 <strong>2</strong> 条以上结果" in html
    assert "以下分类计数按最新的 2 条结果统计" in html
    monkeypatch.setattr(postgres_engine, "COUNT_CAP", 1001)
    html = client.get("/search/?q=财政").content.decode()
    assert "条以上结果" not in html and "分类计数按最新" not in html


def test_date_sort_and_browse_without_words(engine, corpus):
    _index(engine, corpus)
    by_date = engine.search(EngineQuery(terms=("财政",), sort="date"))
    assert by_date.ids == [corpus["joint"].pk, corpus["school"].pk, corpus["budget"].pk]
    browse = engine.search(EngineQuery(terms=(), limit=2, offset=1))
    assert browse.total == 4 and browse.ids == [corpus["joint"].pk, corpus["school"].pk]


def test_delete_and_update(engine, corpus):
    _index(engine, corpus)
    engine.delete([corpus["budget"].pk])
    assert engine.search(EngineQuery(terms=("预算",))).ids == [corpus["joint"].pk]
    assert engine.count() == 3
    _index(engine, corpus)  # upsert twice: no duplicates
    _index(engine, corpus)
    assert engine.count() == 4


def test_agency_name_and_its_usual_parts_both_find_documents(engine, corpus):
    _index(engine, corpus)
    assert corpus["budget"].pk in engine.search(EngineQuery(terms=("交通运输",))).ids
    assert engine.search(EngineQuery(terms=("测试市交通运输局",))).total >= 1


# the search page selector -------------------------------------------------------------


def test_search_page_by_words_with_snippets_and_facets(engine, corpus):
    _index(engine, corpus)
    page = catalog_search(SearchParams(q="财政 预算"))
    assert page.total == 2 and page.sort == "relevance"
    first = page.hits[0]
    assert first.document.pk == corpus["budget"].pk
    assert [f.text for f in first.title if f.hit] == ["财政", "预算"]
    assert any(f.hit for f in page.hits[1].snippet.fragments)
    assert page.hits[1].snippet.text in corpus["joint"].body_text.replace("\n", " ")
    labels = {g["name"]: g for g in page.facet_groups}
    assert {v.label for v in labels["year"]["values"]} == {"2018年", "2019年"}


@pytest.mark.parametrize(
    "typed", ["示交发〔2018〕12号", "示交发[2018]12号", "示交发【2018】第012号", "示交发(2018)12号"]
)
def test_exact_doc_number_lookup_accepts_common_variants(engine, corpus, typed):
    _index(engine, corpus)
    page = catalog_search(SearchParams(q=typed))
    assert page.exact == [corpus["budget"]]


def test_exact_index_number_lookup(engine, corpus):
    _index(engine, corpus)
    page = catalog_search(SearchParams(q=corpus["school"].index_no.lower()))
    assert page.exact == [corpus["school"]]


def test_no_result_page_suggests_dropping_filters_or_words(engine, corpus, world):
    _index(engine, corpus)
    page = catalog_search(SearchParams(q="安全生产 检查", agency=world.dept_a.code))
    assert page.total == 0
    kinds = {s["kind"]: s for s in page.suggestions}
    assert kinds["no_filters"]["count"] == 1
    page = catalog_search(SearchParams(q="财政 火箭"))
    assert (
        page.total == 0
        and {"q": "财政", "count": 3}.items()
        <= next(s for s in page.suggestions if s["kind"] == "term").items()
    )


def test_unknown_filters_are_ignored_with_a_note(engine, corpus):
    _index(engine, corpus)
    page = catalog_search(SearchParams(q="财政", agency="nope", validity="maybe"))
    assert page.total == 3 and len(page.notes) == 2


def test_withdrawn_documents_leave_the_index_after_commit(
    engine_name, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        doc = published(world.dept_a, title="关于调整公交线路的公告")
    assert catalog_search(SearchParams(q="公交线路")).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.document_withdraw(actor=world.reviewer_a, document=doc, reason="线路方案调整")
    assert catalog_search(SearchParams(q="公交线路")).total == 0


def test_published_through_the_workflow_is_found_within_the_request(
    engine_name, world, django_capture_on_commit_callbacks
):
    from tests.apps.catalog.factories import draft

    doc = draft(
        world.officer_a,
        world.dept_a,
        title="示例市公共交通票价调整方案",
        doc_number="示交发〔2024〕21号",
    )
    services.document_submit(actor=world.officer_a, document=doc)
    services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_publish(actor=world.officer_a, document=doc)
    assert catalog_search(SearchParams(q="票价 调整")).hits[0].document.pk == doc.pk
    assert catalog_search(SearchParams(q="示交发〔2024〕21号")).exact == [doc]


def test_rebuild_replaces_the_index_and_catches_changes_made_meanwhile(
    engine, corpus, world, monkeypatch
):
    from gongkai.apps.catalog.search import indexing

    engine.clear()
    original = indexing.iter_all_entries
    added = {}

    def slow_iter(**kwargs):
        for number, entry in enumerate(original(**kwargs)):
            if number == 0:  # a document published while the rebuild runs
                added["doc"] = published(
                    world.dept_b, title="重建期间发布的招生简章", when=clock.now()
                )
            yield entry

    monkeypatch.setattr(indexing, "iter_all_entries", slow_iter)
    index_rebuild(engine=engine)
    assert engine.count() == 5
    assert engine.search(EngineQuery(terms=("招生简章",))).ids == [added["doc"].pk]
    # the cursor stands an hour before the build: catching up re-applies that hour's changes
    # (a transaction open during the build would be among them) and changes nothing found
    logged = set(SearchChange.objects.values_list("document_id", flat=True))
    assert len(logged) == 5  # the corpus and the document published meanwhile, all this hour
    assert index_flush(engine) == 5
    assert engine.count() == 5
    assert engine.search(EngineQuery(terms=("招生简章",))).ids == [added["doc"].pk]
    assert index_flush(engine) == 0
    # applying a document's change again changes nothing
    SearchChange.objects.create(document_id=added["doc"].pk)
    assert index_flush(engine) == 1
    assert engine.count() == 5
    assert engine.search(EngineQuery(terms=("招生简章",))).ids == [added["doc"].pk]


def test_parallel_segmentation_gives_the_same_entries(world, fresh_index):
    from gongkai.apps.catalog.search.indexing import iter_all_entries

    for n in range(12):
        published(
            world.dept_a,
            title=f"第{n}号公告：道路养护施工期间交通管制",
            when=aware(2020, 1 + n % 12, 3),
        )
    SearchTokens.objects.all().delete()
    serial_stats: dict[str, int] = {}
    serial = list(iter_all_entries(batch=2, workers=1, stats=serial_stats))
    SearchTokens.objects.all().delete()
    parallel_stats: dict[str, int] = {}
    parallel = list(iter_all_entries(batch=2, workers=2, stats=parallel_stats))
    assert len(serial) == 12 and parallel == serial
    assert serial_stats == parallel_stats == {"cut": 12, "reused": 0}
    # with every token stored, the parallel path sends nothing to the workers
    reused_stats: dict[str, int] = {}
    assert list(iter_all_entries(batch=2, workers=2, stats=reused_stats)) == serial
    assert reused_stats == {"cut": 0, "reused": 12}


def test_indexing_reuses_stored_tokens_only_while_text_and_dictionary_are_unchanged(
    world, fresh_index, monkeypatch
):
    from gongkai.apps.catalog.search import indexing
    from gongkai.domain.segment import Segmenter

    docs = [
        published(world.dept_a, title=f"第{n}号通告：桥梁检测期间临时交通管制") for n in range(6)
    ]
    SearchTokens.objects.all().delete()

    def build() -> tuple[dict[int, object], dict[str, int]]:
        stats: dict[str, int] = {}
        entries = indexing.iter_all_entries(batch=2, workers=1, stats=stats)
        return {e.doc_id: e for e in entries}, stats

    first, stats = build()
    assert stats == {"cut": 6, "reused": 0}
    assert SearchTokens.objects.count() == 6
    again, stats = build()
    assert stats == {"cut": 0, "reused": 6}
    assert again == first
    # scattered ids (a flush) are read by IN, a rebuild's runs of ids by range: same entries
    scattered, gone = indexing.index_entries([docs[0].pk, docs[5].pk])
    assert gone == [] and scattered == [first[docs[0].pk], first[docs[5].pk]]
    # a document changed behind the cache's back (no index task): its digest no longer
    # matches, so it is cut again and its new words are found
    Document.objects.filter(pk=docs[0].pk).update(
        title="第0号通告：隧道养护期间封闭施工", public_title="第0号通告：隧道养护期间封闭施工"
    )
    changed, stats = build()
    assert stats == {"cut": 1, "reused": 5}
    assert "隧道" in changed[docs[0].pk].title_tokens.split()
    assert "桥梁" not in changed[docs[0].pk].body_tokens.split()
    assert {k: v for k, v in changed.items() if k != docs[0].pk} == {
        k: v for k, v in first.items() if k != docs[0].pk
    }
    # a new dictionary word may cut every text differently: nothing stored is reused
    segmenter = Segmenter()
    segmenter.add_words(["临时交通管制"])
    monkeypatch.setattr("gongkai.apps.searchwords.segmenter._segmenter", segmenter)
    recut, stats = build()
    assert stats == {"cut": 6, "reused": 0}
    assert "临时交通管制" in recut[docs[1].pk].title_tokens.split()
    # a damaged store is cut again, never trusted
    SearchTokens.objects.filter(pk=docs[2].pk).update(digest=b"0" * 16)
    _, stats = build()
    assert stats == {"cut": 1, "reused": 5}
    # a document that leaves the public catalogue leaves the store with its index entry
    Document.objects.filter(pk=docs[3].pk).update(state="withdrawn")
    _, gone = indexing.index_entries([docs[3].pk, docs[4].pk])
    assert gone == [docs[3].pk]
    assert not SearchTokens.objects.filter(pk=docs[3].pk).exists()
    assert SearchTokens.objects.filter(pk=docs[4].pk).exists()


def test_reindex_command_reports_what_it_cut_and_what_it_reused(world, fresh_index, capsys):
    from gongkai.cli import main

    for n in range(3):
        published(world.dept_a, title=f"第{n}号通告：桥梁检测期间临时交通管制")
    SearchTokens.objects.all().delete()
    assert main(["catalog", "reindex"]) == 0
    assert "3 条已发布的政府信息已写入 tantivy 索引（重新分词 3 条，沿用已存分词 0 条）" in (
        capsys.readouterr().out
    )
    assert main(["catalog", "reindex"]) == 0
    assert "（重新分词 0 条，沿用已存分词 3 条）" in capsys.readouterr().out


def test_postgres_results_are_the_same_with_and_without_rum(engine_name, corpus, world):
    """RUM returns matches newest first from the index; on a server without the extension
    the same queries sort in the database. Both must give the same pages."""
    if engine_name != "postgres":
        pytest.skip("PostgreSQL only")
    from gongkai.apps.catalog.search.postgres_engine import PostgresEngine

    fast, plain = PostgresEngine(), PostgresEngine()
    plain._rum = False
    _index(fast, corpus)
    for query in (
        EngineQuery(terms=("财政",)),
        EngineQuery(terms=("财政",), sort="date"),
        EngineQuery(terms=(), filters=Filters(agency=world.dept_a.pk)),
        EngineQuery(terms=("财政", "预算"), facets=True),
    ):
        a, b = fast.search(query), plain.search(query)
        assert (a.ids, a.total, a.facets) == (b.ids, b.total, b.facets)


def test_postgres_browse_keys_list_what_the_full_text_index_lists(engine_name, corpus, world):
    """Browse lists read the keys table; searches read the tsvector index. After updates,
    deletions and a rebuild both must still list the same documents in the same order."""
    if engine_name != "postgres":
        pytest.skip("PostgreSQL only")
    from django.db import connection

    from gongkai.apps.catalog.search.postgres_engine import _PREFIX, PostgresEngine

    engine = PostgresEngine()
    _index(engine, corpus)
    joint = corpus["joint"]

    def same_pages() -> dict[str, list[int]]:
        listed = {}
        for name, filters in {
            "all": Filters(),
            "dept_a": Filters(agency=world.dept_a.pk),
            "dept_b": Filters(agency=world.dept_b.pk),
            "county": Filters(agency=world.county.pk),
            "key_czyjs": Filters(column=column("key-czyjs").pk),
            "key_jy": Filters(column=column("key-jy").pk),
            "year_2019": Filters(year=2019),
            "repealed": Filters(validity=VALIDITY_CODES["repealed"]),
            "genre": Filters(genre=joint.genre_id),
        }.items():
            words = [f"{_PREFIX[k]}{v}" for k, v in filters.active().items()] or ["zall"]
            with connection.cursor() as cursor:
                everything = engine._ids(cursor, words, 100)
                assert everything == engine._ids(cursor, words, 100, browse=True), name
            for offset in (0, 1):
                page = engine.search(
                    EngineQuery(terms=(), filters=filters, sort="date", offset=offset, limit=2)
                )
                assert (page.ids, page.total) == (everything[offset : offset + 2], len(everything))
            listed[name] = everything
        return listed

    before = same_pages()
    assert joint.pk in before["key_czyjs"] and joint.pk in before["dept_b"]
    # the joint document moves to another column and loses its joint publisher; the budget
    # notice leaves the index
    joint.joint_agencies.clear()
    Document.objects.filter(pk=joint.pk).update(column=column("key-jy"))
    _index(engine, {"joint": joint})
    engine.delete([corpus["budget"].pk])
    after = same_pages()
    assert joint.pk not in after["key_czyjs"] and joint.pk in after["key_jy"]
    assert joint.pk not in after["dept_b"]
    assert corpus["budget"].pk not in after["all"] + after["dept_a"] + after["year_2019"]
    index_rebuild(engine=engine)
    rebuilt = same_pages()
    assert corpus["budget"].pk in rebuilt["dept_a"]  # still published: the rebuild restores it
    assert rebuilt["key_jy"] == after["key_jy"]


def test_postgres_copy_literal_is_the_array_to_tsvector_value(engine_name):
    """A rebuild sends lexemes with COPY in tsvector input form; updates send arrays through
    array_to_tsvector. Both must store the same lexemes, however odd the words."""
    if engine_name != "postgres":
        pytest.skip("PostgreSQL only")
    from django.db import connection

    from gongkai.apps.catalog.search.postgres_engine import tsvector_literal

    words = sorted({"财政", "zh预算", "o'brien", "a\\b", "two words", "x:1", "&|!", "2018", "—"})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector = array_to_tsvector(%s::text[]), array_to_tsvector(%s::text[])::text",
            [tsvector_literal(words), words, words],
        )
        same, shown = cursor.fetchone()
    assert same, shown
