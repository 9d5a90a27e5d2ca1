"""RSS 2.0 and Atom feeds: the latest documents, per column and per agency."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from gongkai.apps.catalog.models import PublicDocument
from gongkai.apps.catalog.selectors import browse
from gongkai.apps.organizations.models import Agency, PortalSettings

FEED_SIZE = 30


class _Base(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    language = "zh-cn"

    def _site(self) -> str:
        return PortalSettings.current().site_name

    def item_title(self, item: PublicDocument) -> str:
        return item.title

    def item_description(self, item: PublicDocument) -> str:
        parts = [f"发布机构：{item.agency.name}"]
        if item.doc_number:
            parts.append(f"发文字号：{item.doc_number}")
        if item.index_no:
            parts.append(f"索引号：{item.index_no}")
        if item.summary:
            parts.append(item.summary)
        return "；".join(parts)

    def item_pubdate(self, item: PublicDocument):
        return item.published_at

    def item_updateddate(self, item: PublicDocument):
        return item.updated_at

    def item_author_name(self, item: PublicDocument) -> str:
        return item.agency.name

    def item_guid(self, item: PublicDocument) -> str:
        return item.index_no or str(item.pk)

    item_guid_is_permalink = False

    def _items(self, *conditions, **filters):
        qs = browse.published().filter(*conditions, **filters).select_related("agency").distinct()
        return list(qs.order_by("-published_at", "-pk")[:FEED_SIZE])


class LatestFeed(_Base):
    def title(self) -> str:
        return f"{self._site()} · 最新公开的政府信息"

    def link(self) -> str:
        return reverse("catalog:browse")

    def description(self) -> str:
        return "政府信息公开目录中最新发布的文件"

    def items(self):
        return self._items()


class ColumnFeed(_Base):
    def get_object(self, request, slug: str):
        column = browse.column_get(slug)
        if column is None:
            raise Http404
        return column

    def title(self, obj) -> str:
        return f"{self._site()} · {obj.name}"

    def link(self, obj) -> str:
        return obj.get_absolute_url()

    def description(self, obj) -> str:
        return obj.description or f"{obj.name}栏目最新发布的政府信息"

    def items(self, obj):
        return self._items(column_id__in=browse.column_descendant_ids(obj))


class AgencyFeed(_Base):
    def get_object(self, request, code: str):
        return get_object_or_404(Agency, code=code, is_active=True)

    def title(self, obj) -> str:
        return f"{obj.name} · 主动公开的政府信息"

    def link(self, obj) -> str:
        return reverse("catalog:agency", args=[obj.code])

    def description(self, obj) -> str:
        return f"{obj.name}最新发布的政府信息"

    def items(self, obj):
        return self._items(Q(agency=obj) | Q(joint_agencies=obj))


class LatestAtom(LatestFeed):
    feed_type = Atom1Feed
    subtitle = LatestFeed.description


class ColumnAtom(ColumnFeed):
    feed_type = Atom1Feed
    subtitle = ColumnFeed.description


class AgencyAtom(AgencyFeed):
    feed_type = Atom1Feed
    subtitle = AgencyFeed.description
