from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.apps.catalog"
    label = "catalog"
    verbose_name = "主动公开目录"

    def ready(self) -> None:
        from gongkai.apps.catalog import registration

        registration.register_all()
