"""Reads for the portal's browse pages and document pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from gongkai.apps.catalog import pagetags
from gongkai.apps.catalog.models import (
    Column,
    ColumnKindChoice,
    CountDimension,
    DocumentCount,
    GazetteIssue,
    Genre,
    PublicDocument,
    PublishedFile,
    Topic,
)
from gongkai.apps.organizations.selectors import agency_tree
from gongkai.domain.catalogmeta import SAME_CONTENT
from gongkai.pagecache import fragment


def published() -> QuerySet[PublicDocument]:
    """Published documents as the public receives them: their published rendition (ADR 0032).
    Every public read starts here; the originals stay in the back office."""
    return PublicDocument.objects.all()


def counts_by(dimension: str) -> dict[int, int]:
    """Published documents per key of a dimension (all years)."""
    totals: dict[int, int] = defaultdict(int)
    for key, count in DocumentCount.objects.filter(dimension=dimension).values_list("key", "count"):
        totals[key] += count
    return {k: v for k, v in totals.items() if v > 0}


def counts_by_year(dimension: str = CountDimension.ALL, key: int = 0) -> list[tuple[int, int]]:
    """(year, count) newest first, for one key of a dimension (default: the whole catalogue)."""
    rows = DocumentCount.objects.filter(dimension=dimension, key=key, count__gt=0).order_by("-year")
    return list(rows.values_list("year", "count"))


def total_published() -> int:
    return sum(count for _year, count in counts_by_year())


@dataclass
class TreeNode:
    item: object
    count: int
    children: list[TreeNode] = field(default_factory=list)


def _tree(items, counts: dict[int, int]) -> list[TreeNode]:
    nodes = {item.pk: TreeNode(item, counts.get(item.pk, 0)) for item in items}
    roots: list[TreeNode] = []
    for item in items:
        parent = nodes.get(item.parent_id) if item.parent_id else None
        (parent.children if parent else roots).append(nodes[item.pk])
    return roots


def column_tree() -> list[TreeNode]:
    """The column tree with published counts; the gazette column counts its published issues
    and a column whose content another holds (SAME_CONTENT) shows that column's count."""
    columns = list(Column.objects.filter(is_active=True).order_by("sort_order", "id"))
    counts = dict(counts_by(CountDimension.COLUMN))
    by_slug = {c.slug: c.pk for c in columns}
    for slug, target in SAME_CONTENT.items():
        if slug in by_slug and target in by_slug:
            counts[by_slug[slug]] = counts.get(by_slug[target], 0)
    gazettes = [c.pk for c in columns if c.kind == ColumnKindChoice.GAZETTE]
    if gazettes:
        issues = GazetteIssue.objects.filter(is_published=True).count()
        for pk in gazettes:
            counts[pk] = counts.get(pk, 0) or issues
    return _tree(columns, counts)


def topic_tree() -> list[TreeNode]:
    topics = list(Topic.objects.filter(is_active=True).order_by("sort_order", "id"))
    return _tree(topics, counts_by(CountDimension.TOPIC))


def genres_with_counts() -> list[tuple[Genre, int]]:
    counts = counts_by(CountDimension.GENRE)
    return [(g, counts.get(g.pk, 0)) for g in Genre.objects.filter(is_active=True)]


def agencies_with_counts() -> list[tuple[object, int, int]]:
    """(agency, depth, published count) in tree order, agencies without documents included."""
    counts = counts_by(CountDimension.AGENCY)
    return [(agency, depth, counts.get(agency.pk, 0)) for agency, depth in agency_tree()]


def column_get(slug: str) -> Column | None:
    return Column.objects.filter(slug=slug, is_active=True).select_related("parent").first()


def column_children(column: Column) -> list[tuple[Column, int]]:
    counts = counts_by(CountDimension.COLUMN)
    return [(c, counts.get(c.pk, 0)) for c in column.children.filter(is_active=True)]


def home_columns() -> list[Column]:
    return list(Column.objects.filter(is_active=True, on_home=True).order_by("sort_order", "id"))


def latest(
    *, limit: int = 10, column_ids: list[int] | None = None, kind: str | None = None
) -> list[PublicDocument]:
    qs = (
        published()
        .select_related("agency", "column")
        .only(
            "id",
            "title",
            "published_at",
            "agency__name",
            "agency__short_name",
            "column__name",
            "column__slug",
        )
    )
    if column_ids is not None:
        qs = qs.filter(column_id__in=column_ids)
    if kind is not None:
        qs = qs.filter(column__kind=kind)
    return list(qs.order_by("-published_at", "-id")[:limit])


@dataclass
class HomeData:
    latest: list[PublicDocument]
    total: int
    blocks: list[dict]
    interpretations: list[PublicDocument]


def home_data(*, latest_limit: int = 10, per_column: int = 6) -> HomeData:
    """Everything the catalogue shows on the home page, in four queries (five with the
    gazette on it): the columns, the newest documents, the newest per column (one window
    query over every column a home block lists), the total."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    columns = list(Column.objects.order_by("sort_order", "id"))
    children: dict[int | None, list[int]] = defaultdict(list)
    for c in columns:
        children[c.parent_id].append(c.pk)

    def below(pk: int) -> list[int]:
        ids, frontier = [pk], [pk]
        while frontier:
            for child in children.get(frontier.pop(), []):
                if child not in ids:
                    ids.append(child)
                    frontier.append(child)
        return ids

    home = [c for c in columns if c.is_active and c.on_home]
    interpretation_ids = [c.pk for c in columns if c.kind == ColumnKindChoice.INTERPRETATION]
    groups: dict[int, list[int]] = {}
    for c in home:
        if c.kind not in (ColumnKindChoice.INTERPRETATION, ColumnKindChoice.GAZETTE):
            groups[c.pk] = below(c.pk)
    wanted = {pk for ids in groups.values() for pk in ids} | set(interpretation_ids)
    fields = (
        "id",
        "title",
        "published_at",
        "column_id",
        "agency__name",
        "agency__short_name",
        "column__name",
        "column__slug",
    )
    newest = list(
        published()
        .select_related("agency", "column")
        .only(*fields)
        .order_by("-published_at", "-id")[:latest_limit]
    )
    by_column: dict[int | None, list[PublicDocument]] = defaultdict(list)
    if wanted:
        ranked = (
            published()
            .filter(column_id__in=sorted(wanted))
            .select_related("agency", "column")
            .only(*fields)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("column_id")],
                    order_by=[F("published_at").desc(), F("id").desc()],
                )
            )
            .filter(rank__lte=per_column)
        )
        for doc in ranked:
            by_column[doc.column_id].append(doc)

    def newest_of(ids: list[int]) -> list[PublicDocument]:
        rows = [d for pk in ids for d in by_column.get(pk, [])]
        rows.sort(key=lambda d: (d.published_at, d.pk), reverse=True)
        return rows[:per_column]

    blocks: list[dict] = []
    for c in home:
        if c.kind == ColumnKindChoice.INTERPRETATION:
            continue
        if c.kind == ColumnKindChoice.GAZETTE:
            blocks.append({"column": c, "issues": list(gazette_issues()[:6])})
        else:
            blocks.append({"column": c, "documents": newest_of(groups[c.pk])})
    return HomeData(
        latest=newest,
        total=total_published(),
        blocks=blocks,
        interpretations=newest_of(interpretation_ids),
    )


def column_descendant_ids(column: Column) -> list[int]:
    parents = dict(Column.objects.values_list("id", "parent_id"))
    ids = [column.pk]
    frontier = [column.pk]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in ids:
                ids.append(child)
                frontier.append(child)
    return ids


def documents_by_ids(ids: list[int]) -> list[PublicDocument]:
    """Published documents in the order of ``ids`` (ids no longer public are skipped)."""
    if not ids:
        return []
    rows = published().filter(pk__in=ids).select_related("agency", "column", "genre")
    by_id = {d.pk: d for d in rows}
    return [by_id[i] for i in ids if i in by_id]


def document_public_get(pk: int) -> PublicDocument | None:
    """A published document with everything its page shows, in a fixed number of queries.

    The document it replaces, the policy it interprets and its gazette issue are read only
    when set (few documents have them: joining three more tables, two of them whole
    documents, cost every page a third of its database time on PostgreSQL). Interpretations
    and superseded documents are read through their ids (see ``_published_by_ids``)."""
    rows = (
        published()
        .filter(pk=pk)
        .select_related("agency", "column", "column__parent", "topic", "genre")
        .prefetch_related(
            "joint_agencies",
            Prefetch(
                "published_files", queryset=PublishedFile.objects.order_by("sort_order", "id")
            ),
            "channel_records",
            "versions",
        )
    )
    # not .first(): ordering a primary-key lookup by the key made Django compare that
    # ORDER BY with each of the ~150 selected columns, a third of the page's time
    found = list(rows)
    if not found:
        return None
    doc = found[0]
    linked = ("id", "title", "state", "published_at")
    if doc.superseded_by_id is not None:
        doc.superseded_by = published().only(*linked).filter(pk=doc.superseded_by_id).first()
    if doc.interprets_id is not None:
        doc.interprets = published().only(*linked).filter(pk=doc.interprets_id).first()
    if doc.gazette_issue_id is not None:
        doc.gazette_issue = GazetteIssue.objects.get(pk=doc.gazette_issue_id)
    fields = ("id", "title", "published_at", "interprets_id", "interpretation_form")
    # (read by the document page's template)
    interpretations, supersedes = _published_linking(doc.pk, fields)
    doc.public_interpretations = interpretations  # type: ignore[attr-defined]
    doc.public_supersedes = supersedes  # type: ignore[attr-defined]
    return doc


def document_public_shared(pk: int) -> PublicDocument | None:
    """``document_public_get`` kept under the document's own tags: its page, its print view
    and its API answer share one load per change of the document, for signed-in and
    anonymous visitors alike (ADR 0110)."""
    return fragment(
        f"catalog:document:{pk}", pagetags.document_tags(None, pk), lambda: document_public_get(pk)
    )


def _published_linking(
    pk: int, fields: tuple[str, ...]
) -> tuple[list[PublicDocument], list[PublicDocument]]:
    """The published documents that interpret ``pk`` and those it replaced: ids first, by
    the two link columns' indexes alone (one statement), then the published rows among them.
    Almost every document has neither, so SQLite's statistics on the mostly-NULL columns make
    it prefer the (state, published_at) index when the state is asked for too, and read the
    whole table (3 s a document page at 200,000 documents). Only ids are read before the
    state is checked; titles and dates come from the published rendition."""
    links = list(
        PublicDocument._base_manager.filter(
            Q(interprets_id=pk) | Q(superseded_by_id=pk)
        ).values_list("id", "interprets_id", "superseded_by_id")[:400]
    )
    if not links:
        return [], []
    rows = {d.pk: d for d in published().filter(pk__in=[row[0] for row in links]).only(*fields)}

    def newest(ids: list[int]) -> list[PublicDocument]:
        found = [rows[i] for i in ids[:200] if i in rows]
        return sorted(found, key=lambda d: (d.published_at, d.pk))[:50]

    return (
        newest([row[0] for row in links if row[1] == pk]),
        newest([row[0] for row in links if row[2] == pk]),
    )


def document_by_index_no(index_no: str) -> PublicDocument | None:
    return published().filter(index_no=index_no).only("id").first()


def gazette_issues(*, year: int | None = None) -> QuerySet[GazetteIssue]:
    qs = GazetteIssue.objects.filter(is_published=True).select_related("agency")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-number")


def gazette_issue_get(pk: int) -> GazetteIssue | None:
    return GazetteIssue.objects.filter(pk=pk, is_published=True).select_related("agency").first()


def gazette_issue_documents(issue: GazetteIssue) -> list[PublicDocument]:
    return list(
        published()
        .filter(gazette_issue=issue)
        .select_related("agency")
        .order_by("published_at", "pk")
    )


def interpretation_column_ids() -> list[int]:
    return list(
        Column.objects.filter(kind=ColumnKindChoice.INTERPRETATION, is_active=True).values_list(
            "pk", flat=True
        )
    )
