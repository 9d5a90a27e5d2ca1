"""API authentication: the browser session (with CSRF) or a bearer token for machines."""

from ninja.security import HttpBearer, django_auth

from gongkai.apps.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
session_or_token = [django_auth, token_auth]
