from django.apps import AppConfig


class SearchwordsConfig(AppConfig):
    name = "gongkai.apps.searchwords"
    label = "searchwords"
    verbose_name = "搜索词"

    def ready(self) -> None:
        from gongkai.apps.searchwords.permissions import can_view_search_words
        from gongkai.registry import NavEntry, register_backoffice_nav

        register_backoffice_nav(NavEntry(560, "搜索词", "searchwords:home", can_view_search_words))
