"""``gongkai catalog …`` commands."""
