from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.apps.accounts"
    label = "accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from gongkai.apps.accounts import cli, demo, signals  # noqa: F401

        cli.register()
