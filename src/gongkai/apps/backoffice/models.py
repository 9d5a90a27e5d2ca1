"""The back office owns no tables: it shows what the other apps register."""
