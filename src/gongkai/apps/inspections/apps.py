from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "gongkai.apps.inspections"
    label = "inspections"
    verbose_name = "双随机一公开"
