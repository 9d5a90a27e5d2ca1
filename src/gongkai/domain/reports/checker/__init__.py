"""The checker for published annual reports: tables out of any markup, onto a canonical format,
identities tested, failures named with their cells."""
