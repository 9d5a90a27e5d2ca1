"""How often one client address may submit requests and try query codes, on the pages and
through the API alike (one counter each, ``gongkai.ratelimit``; ADR 0082)."""

from __future__ import annotations

from gongkai.ratelimit import Rule

APPLY = Rule("applications-apply", 30, 3600)  # online submissions per address per hour
TRACK = Rule("applications-track", 10, 900)  # failed query-code look-ups per address
TRACK_NUMBER = Rule("applications-track-number", 5, 900)  # wrong codes for one number
