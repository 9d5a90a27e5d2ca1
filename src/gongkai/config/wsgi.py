import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after the settings are configured)

if settings.GONGKAI_REQUEST_TIMEOUT:
    from gongkai.observability.watchdog import RequestWatchdog

    application = RequestWatchdog(application, settings.GONGKAI_REQUEST_TIMEOUT)


def _warm_up() -> None:
    # deferred: runs while Django is being set up
    from gongkai.documents.untrusted import warm_up

    warm_up()


# the process that reads uploads is started once per server process, in the background
threading.Thread(target=_warm_up, name="untrusted-reader-warm-up", daemon=True).start()


def _warm_search_words() -> None:
    # deferred: runs while Django is being set up
    from gongkai.apps.catalog.search.suggest import warm_up

    warm_up()


# the suggestion vocabulary (pinyin of every alias, agency and column name) is built before
# the first search that finds nothing needs it
threading.Thread(target=_warm_search_words, name="search-words-warm-up", daemon=True).start()
