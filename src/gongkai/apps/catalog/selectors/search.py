"""The public search: words, 文号 and 索引号, filters with facet counts, snippets.

Browse lists (a column, an agency, a topic …) are the same query without words, sorted by
date, so every list has the same filters, counts and paging as the search page.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.urls import reverse

from gongkai.apps.catalog.models import (
    Column,
    DocumentCount,
    Genre,
    PublicDocument,
    PublicQuerySet,
    Topic,
    Validity,
)
from gongkai.apps.catalog.search import cards, get_engine, suggest
from gongkai.apps.catalog.search.base import (
    FACETS,
    VALIDITY_CODES,
    VALIDITY_NAMES,
    EngineQuery,
    Filters,
)
from gongkai.apps.organizations.models import Agency
from gongkai.apps.searchwords.query import understand
from gongkai.domain.codes import CodeError, parse_doc_number
from gongkai.domain.indexno import looks_like_index_no, normalise_index_no
from gongkai.domain.segment import Fragment, Marker, Snippet

PER_PAGE = 20
MAX_PER_PAGE = 50
MAX_RESULTS = 10_000  # deeper pages are refused: narrow the query instead
MAX_QUERY_CHARS = 100
SORTS = ("relevance", "date")
VALIDITY_LABELS = {"valid": "有效", "expired": "失效", "repealed": "废止"}
FACET_LABELS = {
    "agency": "发布机构",
    "column": "栏目",
    "topic": "主题分类",
    "genre": "体裁",
    "year": "年份",
    "validity": "有效性",
}


@dataclass
class SearchParams:
    q: str = ""
    agency: str = ""  # agency code
    column: str = ""  # column slug
    topic: int | None = None
    genre: int | None = None
    year: int | None = None
    validity: str = ""  # valid / expired / repealed
    sort: str = ""  # relevance (default with words) or date
    page: int = 1
    per_page: int = PER_PAGE
    facets: bool = True
    aliases: bool = True  # alias=0: search only the words typed (ADR 0140)
    fix: bool = True  # fix=0: no automatic correction of a query that finds nothing

    @classmethod
    def from_query(cls, data: Any, **overrides: Any) -> SearchParams:
        """From request.GET (or any mapping); bad numbers are ignored, not errors."""

        def number(name: str) -> int | None:
            value = str(data.get(name, "") or "").strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

        params = cls(
            q=str(data.get("q", "") or "")[: MAX_QUERY_CHARS * 2],
            agency=str(data.get("agency", "") or "")[:40],
            column=str(data.get("column", "") or "")[:60],
            topic=number("topic"),
            genre=number("genre"),
            year=number("year"),
            validity=str(data.get("validity", "") or "")[:10],
            sort=str(data.get("sort", "") or "")[:10],
            page=max(1, number("page") or 1),
            per_page=min(MAX_PER_PAGE, max(1, number("per_page") or PER_PAGE)),
            aliases=str(data.get("alias", "") or "") != "0",
            fix=str(data.get("fix", "") or "") != "0",
        )
        for key, value in overrides.items():
            setattr(params, key, value)
        return params


@dataclass(slots=True)
class Hit:
    document: Any  # HitDocument
    title: tuple[Fragment, ...]
    snippet: Snippet | None


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    params: SearchParams
    query: str
    terms: list[str]
    total: int
    hits: list[Hit]
    exact: list[PublicDocument]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    filter_labels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    sort: str = "relevance"
    total_exact: bool = True
    facets_exact: bool = True  # False: counted over the newest matches only (PostgreSQL)
    also: list[str] = field(default_factory=list)  # alias words searched as well
    corrected_from: str = ""  # the typed query, when the results are for a correction
    did_you_mean: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, str]] = field(default_factory=list)  # agencies / columns named

    @property
    def facet_groups(self) -> list[dict[str, Any]]:
        return [
            {"name": name, "label": FACET_LABELS[name], "values": values}
            for name, values in self.facets.items()
            if values
        ]

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def num_pages(self) -> int:
        reachable = min(self.total, MAX_RESULTS)
        return max(1, -(-reachable // self.params.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.params.per_page + 1


class _Vocab:
    """Labels for facet keys (small tables), kept for a minute per process: loading ~400
    rows on every search would cost more than the search itself."""

    def __init__(self) -> None:
        self.agencies = {a.pk: a for a in Agency.objects.only("id", "code", "name", "short_name")}
        self.columns = {c.pk: c for c in Column.objects.only("id", "slug", "name", "parent_id")}
        self.topics = {t.pk: t for t in Topic.objects.only("id", "name", "path", "parent_id")}
        self.genres = {g.pk: g for g in Genre.objects.only("id", "name")}

    @functools.cached_property
    def card_names(self) -> tuple[dict[int, _Named], dict[int, _Named], dict[int, _Named]]:
        """The agency, column and genre names a result shows, by id (built once)."""
        return (
            {
                pk: _Named(name=a.name, code=a.code, short_name=a.short_name)
                for pk, a in self.agencies.items()
            },
            {pk: _Named(name=c.name, slug=c.slug) for pk, c in self.columns.items()},
            {pk: _Named(name=g.name) for pk, g in self.genres.items()},
        )

    @functools.cached_property
    def _by_code(self) -> dict[str, Any]:
        return {a.code: a for a in self.agencies.values()}

    @functools.cached_property
    def _by_slug(self) -> dict[str, Any]:
        return {c.slug: c for c in self.columns.values()}

    def agency_by_code(self, code: str):
        return self._by_code.get(code)

    def column_by_slug(self, slug: str):
        return self._by_slug.get(slug)


_VOCAB_SECONDS = 60.0
_vocab_cache: tuple[float, _Vocab] | None = None


def _vocab() -> _Vocab:
    global _vocab_cache
    now = time.monotonic()
    if _vocab_cache is None or now - _vocab_cache[0] > _VOCAB_SECONDS:
        _vocab_cache = (now, _Vocab())
    return _vocab_cache[1]


def vocab_forget() -> None:
    """Drop the cached labels (tests, and after an administrator edits the vocabularies)."""
    global _vocab_cache
    _vocab_cache = None


def _knows(vocab: _Vocab, params: SearchParams) -> bool:
    return (
        (not params.agency or vocab.agency_by_code(params.agency) is not None)
        and (not params.column or vocab.column_by_slug(params.column) is not None)
        and (params.topic is None or params.topic in vocab.topics)
        and (params.genre is None or params.genre in vocab.genres)
    )


def _vocab_for(facets: dict[str, dict[int, int]], vocab: _Vocab) -> _Vocab:
    """The labels, reloaded once when the index knows a key the cache does not."""
    tables: dict[str, Mapping[int, object]] = {
        "agency": vocab.agencies,
        "column": vocab.columns,
        "topic": vocab.topics,
        "genre": vocab.genres,
    }
    if any(
        key not in tables[name] for name, table in tables.items() for key in facets.get(name, {})
    ):
        vocab_forget()
        return _vocab()
    return vocab


def _exact_matches(query: str) -> tuple[list[PublicDocument], str]:
    """Documents whose 发文字号 or 索引号 is exactly the query (normalised)."""
    text = query.strip()
    if not text:
        return [], ""
    # the query set is built only for a query that looks like a code: building it cost a
    # tenth of a search
    if looks_like_index_no(text):
        found = _coded().filter(index_no=normalise_index_no(text))[:5]
        return list(found), "index_no"
    try:
        number = parse_doc_number(text)
    except CodeError:
        return [], ""
    return list(_coded().filter(doc_number=number.text)[:10]), "doc_number"


def _coded() -> PublicQuerySet:
    return PublicDocument.objects.select_related("agency", "column")


def _filters(
    params: SearchParams, vocab: _Vocab, notes: list[str]
) -> tuple[Filters, dict[str, str]]:
    values: dict[str, int] = {}
    labels: dict[str, str] = {}
    if params.agency:
        agency = vocab.agency_by_code(params.agency)
        if agency is None:
            notes.append(f"机关“{params.agency}”不存在，已忽略该条件")
        else:
            values["agency"], labels["agency"] = agency.pk, agency.name
    if params.column:
        column = vocab.column_by_slug(params.column)
        if column is None:
            notes.append(f"栏目“{params.column}”不存在，已忽略该条件")
        else:
            values["column"], labels["column"] = column.pk, column.name
    if params.topic is not None:
        topic = vocab.topics.get(params.topic)
        if topic is None:
            notes.append("主题分类不存在，已忽略该条件")
        else:
            values["topic"], labels["topic"] = topic.pk, topic.path
    if params.genre is not None:
        genre = vocab.genres.get(params.genre)
        if genre is None:
            notes.append("体裁不存在，已忽略该条件")
        else:
            values["genre"], labels["genre"] = genre.pk, genre.name
    if params.year is not None:
        if 1949 <= params.year <= 2100:
            values["year"], labels["year"] = params.year, f"{params.year}年"
        else:
            notes.append("年份无效，已忽略该条件")
    if params.validity:
        if params.validity in VALIDITY_CODES:
            values["validity"] = VALIDITY_CODES[params.validity]
            labels["validity"] = VALIDITY_LABELS[params.validity]
        else:
            notes.append("有效性应为有效、失效或废止，已忽略该条件")
    return Filters(**values), labels


def _facet_values(
    raw: dict[str, dict[int, int]], filters: Filters, vocab: _Vocab
) -> dict[str, list[FacetValue]]:
    out: dict[str, list[FacetValue]] = {}
    active = filters.active()
    for name in FACETS:
        counts = raw.get(name, {})
        items: list[FacetValue] = []
        for key, count in counts.items():
            selected = active.get(name) == key
            if name == "agency" and key in vocab.agencies:
                a = vocab.agencies[key]
                items.append(FacetValue(a.code, a.name, count, selected))
            elif name == "column" and key in vocab.columns:
                c = vocab.columns[key]
                # list the top level, or the children of the chosen column
                chosen = active.get("column")
                if (
                    (chosen is None and c.parent_id is None)
                    or (chosen and c.parent_id == chosen)
                    or selected
                ):
                    items.append(FacetValue(c.slug, c.name, count, selected))
            elif name == "topic" and key in vocab.topics:
                t = vocab.topics[key]
                chosen = active.get("topic")
                if (
                    (chosen is None and t.parent_id is None)
                    or (chosen and t.parent_id == chosen)
                    or selected
                ):
                    items.append(FacetValue(str(t.pk), t.name, count, selected))
            elif name == "genre" and key in vocab.genres:
                g = vocab.genres[key]
                items.append(FacetValue(str(g.pk), g.name, count, selected))
            elif name == "year":
                items.append(FacetValue(str(key), f"{key}年", count, selected))
            elif name == "validity" and key in VALIDITY_NAMES:
                code = VALIDITY_NAMES[key]
                items.append(FacetValue(code, VALIDITY_LABELS[code], count, selected))
        if name == "year":
            items.sort(key=lambda f: f.key, reverse=True)
        else:
            items.sort(key=lambda f: (-f.count, f.label))
        out[name] = items[:30]
    return out


# result side: what a page of hits costs after the engine answered ---------------------------

# characters of a document's text fetched for its snippet: the result page shows 140 of them;
# the window is cut by the database, so a long text is neither sent nor scanned whole
SNIPPET_WINDOW = cards.TEXT_WINDOW
SNIPPET_WIDTH = 140


def _snippet(doc: HitDocument, marker: Marker) -> Snippet | None:
    """The snippet from the stored window of the text (then the summary when the window has
    none of the words)."""
    source = doc.body_text or doc.summary
    if not source:
        return None
    # a window as long as the stored one: the text goes on after it
    more = bool(doc.body_text) and len(doc.body_text) >= SNIPPET_WINDOW
    snippet = marker.snippet(source, width=SNIPPET_WIDTH, more=more)
    if marker.terms and not snippet.hits and doc.summary:
        summary = marker.snippet(doc.summary, width=SNIPPET_WIDTH)
        snippet = summary if summary.hits else snippet
    return snippet


def _hits(documents: list[HitDocument], terms: list[str]) -> list[Hit]:
    marker = Marker(terms)  # the words prepared once for the page
    return [Hit(doc, marker.highlight(doc.title), _snippet(doc, marker)) for doc in documents]


@dataclass(slots=True)  # not frozen: a frozen instance costs several times more to build
class _Named:
    name: str
    code: str = ""
    slug: str = ""
    short_name: str = ""


_VALIDITY_DISPLAY = dict(Validity.choices)


@dataclass(slots=True)
class HitDocument:
    """The fields a result list shows, read as plain values: building model instances
    (with three related ones each) for 20 hits cost more than the search itself."""

    pk: int
    title: str
    index_no: str | None
    doc_number: str
    published_at: Any
    written_on: Any
    validity: str
    summary: str
    body_text: str
    agency: _Named
    column: _Named | None
    genre: _Named | None
    column_id: int | None
    genre_id: int | None

    @property
    def id(self) -> int:
        return self.pk

    def get_absolute_url(self) -> str:
        return reverse("catalog:document", args=[self.pk])

    def get_validity_display(self) -> str:
        return _VALIDITY_DISPLAY.get(self.validity, self.validity)


def _moment(value: Any) -> dt.datetime | None:
    """A stored time as an aware datetime (SQLite gives UTC text, see cards.fetch_sql)."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value + "+00:00")
    return value


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _names(vocab: _Vocab, rows: list[tuple]) -> _Vocab:
    """The labels, reloaded once when a row names an agency, column or genre newer than the
    cached ones."""
    if all(
        r[7] in vocab.agencies
        and (r[8] is None or r[8] in vocab.columns)
        and (r[9] is None or r[9] in vocab.genres)
        for r in rows
    ):
        return vocab
    vocab_forget()
    return _vocab()


def _fetch(ids: list[int], vocab: _Vocab) -> list[HitDocument]:
    """The hits' result cards (ADR 0194): the published rendition's title, summary and the
    window of its text a snippet is cut from, read from one narrow row each; agency, column
    and genre names from the cached labels."""
    if not ids:
        return []
    wanted = list(dict.fromkeys(ids))
    rows = cards.read(connection, wanted)
    agencies, columns, genres = _names(vocab, rows).card_names
    by_id = {}
    for r in rows:
        # positional, in HitDocument's field order (a third of the keyword form's cost)
        by_id[r[0]] = HitDocument(
            r[0],
            r[1],
            r[2],
            r[3],
            _moment(r[4]),
            _day(r[5]),
            r[6],
            r[10],
            r[11],
            agencies[r[7]],
            columns.get(r[8]),
            genres.get(r[9]),
            r[8],
            r[9],
        )
    return [by_id[i] for i in ids if i in by_id]


def catalog_search(params: SearchParams) -> SearchPage:
    query = " ".join(params.q.split())[:MAX_QUERY_CHARS]
    notes: list[str] = []
    if len(params.q.strip()) > MAX_QUERY_CHARS:
        notes.append(f"搜索词过长，只使用了前{MAX_QUERY_CHARS}个字")
    vocab = _vocab()
    if not _knows(vocab, params):  # an agency or column newer than the cached labels
        vocab_forget()
        vocab = _vocab()
    filters, labels = _filters(params, vocab, notes)
    exact, exact_kind = _exact_matches(query)
    meaning = understand(query, aliases=params.aliases)
    terms = list(meaning.terms)
    sort = params.sort if params.sort in SORTS else ("relevance" if terms else "date")
    per_page = params.per_page
    if (params.page - 1) * per_page >= MAX_RESULTS:
        notes.append(f"最多显示前{MAX_RESULTS}条结果，请增加搜索词或筛选条件")
        params.page = MAX_RESULTS // per_page
    engine = get_engine()
    known_total = None if terms or params.facets else _counted_total(filters)
    result = engine.search(
        EngineQuery(
            terms=tuple(terms),
            groups=meaning.groups,
            primary=meaning.primary,
            filters=filters,
            sort=sort,
            offset=(params.page - 1) * per_page,
            limit=per_page,
            facets=params.facets,
            count=known_total is None,
        )
    )
    if known_total is not None:
        result.total = known_total
    corrected_from = ""
    did_you_mean: list[dict[str, Any]] = []
    if result.total == 0 and not exact and query and params.page == 1:
        fixes = _corrections(query, filters, params.aliases)
        did_you_mean = [
            {"q": c.query, "word": c.word, "kind": c.kind, "count": n} for c, n in fixes
        ]
        if fixes and params.fix:  # show what was probably meant at once
            corrected_from, query = query, fixes[0][0].query
            meaning = understand(query, aliases=params.aliases)
            terms = list(meaning.terms)
            result = engine.search(
                EngineQuery(
                    terms=tuple(terms),
                    groups=meaning.groups,
                    primary=meaning.primary,
                    filters=filters,
                    sort=sort,
                    limit=per_page,
                    facets=params.facets,
                )
            )
    page = SearchPage(
        params=params,
        query=query,
        terms=terms,
        total=result.total,
        hits=_hits(_fetch(result.ids, vocab), meaning.highlight_terms),
        exact=exact,
        facets=_facet_values(result.facets, filters, _vocab_for(result.facets, vocab))
        if params.facets
        else {},
        filter_labels=labels,
        notes=notes,
        sort=sort,
        total_exact=result.exact,
        facets_exact=result.facets_exact,
        also=list(meaning.also),
        corrected_from=corrected_from,
        did_you_mean=did_you_mean[1:] if corrected_from else did_you_mean,
    )
    if exact_kind and not exact:
        label = "索引号" if exact_kind == "index_no" else "发文字号"
        notes.append(f"没有{label}为“{query}”的已公开文件，以下是按文字检索的结果")
    if result.total == 0 and not exact:
        page.suggestions = _suggestions(terms, filters, labels)
        page.places = suggest.places(query)
    return page


def _corrections(query: str, filters: Filters, aliases: bool) -> list:
    """Near misses of a query that found nothing which do find documents (ADR 0142)."""
    engine = get_engine()

    def found(text: str) -> int:
        meaning = understand(text, aliases=aliases)
        if not meaning.groups:
            return 0
        probe = EngineQuery(terms=meaning.terms, groups=meaning.groups, filters=filters, limit=0)
        return engine.search(probe).total

    return suggest.corrections(query, found)


def _counted_total(filters: Filters) -> int | None:
    """A browse list's total from the counter table (ADR 0045), when its filters are one
    dimension and perhaps a year; None when only the engine can count it."""
    active = filters.active()
    if "validity" in active:
        return None
    year = active.pop("year", None)
    if len(active) > 1:
        return None
    dimension, key = next(iter(active.items())) if active else ("all", 0)
    rows = DocumentCount.objects.filter(dimension=dimension, key=key)
    if year is not None:
        rows = rows.filter(year=year)
    return max(0, sum(rows.values_list("count", flat=True)))


def _suggestions(
    terms: list[str], filters: Filters, labels: dict[str, str]
) -> list[dict[str, Any]]:
    """What to try when nothing matched: drop the filters, or keep fewer words."""
    engine = get_engine()
    out: list[dict[str, Any]] = []
    if filters.active() and terms:
        total = engine.search(EngineQuery(terms=tuple(terms), limit=0)).total
        if total:
            out.append(
                {
                    "kind": "no_filters",
                    "text": f"去掉筛选条件（{'、'.join(labels.values())}）",
                    "count": total,
                }
            )
    if len(terms) > 1:
        for term in terms[:4]:
            total = engine.search(EngineQuery(terms=(term,), filters=filters, limit=0)).total
            if total:
                out.append({"kind": "term", "q": term, "text": f"只搜索“{term}”", "count": total})
    return out
