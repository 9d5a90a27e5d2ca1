class LoginRateLimited(Exception):
    """Too many failed logins for this account or address."""
