class CreditError(Exception):
    """A 双公示 operation refused; the message is a Chinese sentence for the user."""
