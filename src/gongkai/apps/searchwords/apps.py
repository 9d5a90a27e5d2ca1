from django.apps import AppConfig


class SearchwordsConfig(AppConfig):
    name = "gongkai.apps.searchwords"
    label = "searchwords"
    verbose_name = "搜索词"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.searchwords.permissions import can_view_search_words
        from gongkai.apps.searchwords.services import prune_job
        from gongkai.registry import (
            NavEntry,
            PeriodicWork,
            register_backoffice_nav,
            register_periodic,
        )

        register_backoffice_nav(NavEntry(560, "搜索词", "searchwords:home", can_view_search_words))
        register_periodic(
            PeriodicWork("searchwords.prune", "清理过期的搜索词统计", prune_job, at=(3, 40))
        )
