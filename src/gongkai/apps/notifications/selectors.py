from gongkai.apps.notifications.models import Notice


def notice_unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def notice_list(user):
    return Notice.objects.filter(user=user).order_by("-id")


def notice_get(user, notice_id: int):
    return Notice.objects.filter(user=user, pk=notice_id).first()
