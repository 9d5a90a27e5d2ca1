"""Result cards (ADR 0194): the database keeps them with the documents, whichever way a
document is written, and a search result shows what the card holds."""

import pytest
from django.db import connection

from gongkai.apps.catalog.models import Document, DocumentState, ResultCard
from gongkai.apps.catalog.search import cards
from tests.apps.catalog.factories import published

pytestmark = pytest.mark.django_db


def _card(doc_id: int) -> ResultCard | None:
    return ResultCard.objects.filter(doc_id=doc_id).first()


def _cards_match_documents() -> None:
    expected = {
        d["pk"]: (d["public_title"], d["public_summary"], d["public_body_text"][:1500])
        for d in Document.objects.filter(state=DocumentState.PUBLISHED).values(
            "pk", "public_title", "public_summary", "public_body_text"
        )
    }
    got = {c.doc_id: (c.title, c.summary, c.text_window) for c in ResultCard.objects.all()}
    assert got == expected


def test_a_published_document_has_the_card_of_its_rendition(world):
    doc = published(
        world.dept_a, title="关于公开道路养护资金的通知", body="<p>养护资金专款专用。</p>"
    )
    card = _card(doc.pk)
    assert card is not None
    assert card.title == doc.public_title == "关于公开道路养护资金的通知"
    assert "养护资金专款专用" in card.text_window
    assert (card.agency_id, card.column_id, card.genre_id) == (
        doc.agency_id,
        doc.column_id,
        doc.genre_id,
    )
    assert card.published_at == doc.published_at and card.written_on == doc.written_on


def test_every_way_of_writing_a_document_keeps_its_card(world):
    doc = published(world.dept_a, body="<p>原文</p>")
    other = published(world.dept_b)
    # a queryset update (no save signal) of the published text
    Document.objects.filter(pk=doc.pk).update(public_body_text="遮盖后的正文" * 400)
    card = _card(doc.pk)
    assert card.text_window == ("遮盖后的正文" * 400)[: cards.TEXT_WINDOW]
    assert len(card.text_window) == cards.TEXT_WINDOW
    # an unrelated column changes nothing, a watched one does
    Document.objects.filter(pk=doc.pk).update(validity="repealed")
    assert _card(doc.pk).validity == "repealed"
    # withdrawn: the card goes with the state, in the same statement
    Document.objects.filter(pk=doc.pk).update(state=DocumentState.WITHDRAWN)
    assert _card(doc.pk) is None
    Document.objects.filter(pk=doc.pk).update(state=DocumentState.PUBLISHED)
    assert _card(doc.pk).text_window.startswith("遮盖后的正文")
    # a bulk insert of a published row, and a delete
    clone = Document.objects.get(pk=other.pk)
    clone.pk = None
    clone.index_no = f"{other.index_no}-2"
    [made] = Document.objects.bulk_create([clone])
    assert _card(made.pk).title == other.public_title
    Document.objects.filter(pk=other.pk).delete()
    assert _card(other.pk) is None
    _cards_match_documents()


def test_a_draft_has_no_card(world):
    doc = published(world.dept_a)
    Document.objects.filter(pk=doc.pk).update(state=DocumentState.DRAFT)
    assert _card(doc.pk) is None
    assert not ResultCard.objects.exclude(
        doc_id__in=Document.objects.filter(state=DocumentState.PUBLISHED).values("pk")
    ).exists()


def test_the_search_page_shows_the_card(world, fresh_index):
    """What an anonymous visitor receives on the search page is the card: a text masked
    behind the search's back (no save, no re-index) shows masked at once."""
    from django.test import Client
    from django.urls import reverse

    from gongkai.apps.catalog.search.indexing import index_flush

    doc = published(world.dept_a, title="关于道路养护资金的通知", body="<p>养护资金专款专用。</p>")
    index_flush()
    Document.objects.filter(pk=doc.pk).update(public_body_text="养护资金已经遮盖")
    page = Client().get("/search/", {"q": "养护资金"})
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("catalog:document", args=[doc.pk]) in html
    assert "已经遮盖" in html and "专款专用" not in html
    assert world.dept_a.name in html


def test_ensure_puts_back_missing_triggers_and_rebuilds_the_cards(world):
    doc = published(world.dept_a)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {cards.TABLE}_update")
        else:
            cursor.execute(f"DROP TRIGGER {cards.TABLE}_sync ON {cards.DOCUMENTS}")
    # written while the trigger is missing: the card misses it
    Document.objects.filter(pk=doc.pk).update(public_title="改过的标题")
    assert _card(doc.pk).title != "改过的标题"
    assert cards.ensure(connection) == {"installed": True, "rebuilt": True}
    assert _card(doc.pk).title == "改过的标题"
    Document.objects.filter(pk=doc.pk).update(public_title="再改的标题")
    assert _card(doc.pk).title == "再改的标题"
    assert cards.ensure(connection) == {"installed": False, "rebuilt": False}
    _cards_match_documents()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite 才会重建整张表")
@pytest.mark.django_db(transaction=True)  # the schema editor works outside a transaction
def test_a_table_remake_drops_the_triggers_and_ensure_restores_them(world):
    """A later migration that alters the document table on SQLite copies it into a new
    table, which loses its triggers: the post-migrate step makes them again."""
    doc = published(world.dept_a)
    with connection.schema_editor() as editor:
        editor._remake_table(Document)
    Document.objects.filter(pk=doc.pk).update(public_title="表重建后的标题")
    assert cards.ensure(connection)["installed"] is True
    assert _card(doc.pk).title == "表重建后的标题"
    _cards_match_documents()


def test_cards_read_the_same_with_and_without_django_recording_queries(world):
    from django.test.utils import CaptureQueriesContext

    docs = [published(world.dept_a), published(world.dept_b, body="<p>第二份</p>")]
    ids = [d.pk for d in docs]
    direct = cards.read(connection, ids)
    with CaptureQueriesContext(connection) as captured:
        recorded = cards.read(connection, ids)
    assert sorted(direct) == sorted(recorded) and len(direct) == 2
    assert len(captured.captured_queries) == 1  # counted where Django counts
