"""API authentication: a bearer token for machines, or the browser session (ADR 0085).

A token is sent in the Authorization header, which a page on another site cannot make a
browser send: token requests need no CSRF check, and get none. The session cookie is sent by
the browser to any request, so a request that carries it must carry the CSRF token too. The
token is tried first; a request without a session cookie is never refused for CSRF.
"""

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from gongkai.apps.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; the CSRF check runs only when its cookie is sent."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if not request.COOKIES.get(self.param_name):
            return None
        return super()._get_key(request)  # checks CSRF for unsafe methods

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


token_auth = TokenAuth()
session_auth = SessionAuth()
session_or_token = [token_auth, session_auth]
