class WebcheckError(Exception):
    """A refusal of the webcheck context; the message is Chinese, for the user."""
