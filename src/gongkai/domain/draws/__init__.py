"""Publicly verifiable random draws (双随机一公开, 保障房摇号). Pure and versioned.

- :mod:`.rfc3797` — RFC 3797 exactly (test vector: the RFC's own example);
- :mod:`.sources` — announced random sources and their RFC 3797 key string;
- :mod:`.keyed` — the default method, keyed-hash tickets (``gongkai-keyed-v1``);
- :mod:`.allocation` — ratios per risk class, largest-remainder allocation, standby;
- :mod:`.assignment` — inspector teams with recusal and balanced load;
- :mod:`.inspection`, :mod:`.lottery` — commitments and results;
- :mod:`.record` — records and their verification;
- :mod:`.substitution` — 递补 (a standby taking a drawn entity's place) replayed from a record;
- :mod:`.canonical` — canonical JSON and hashes.

The algorithm is specified in docs/adr/0060, 0061 and 0065 so that it can be reimplemented; the
standalone verifier (verifier/verify_draw.py) is such a reimplementation.
"""

from gongkai.domain.draws.inspection import ALGORITHM

__all__ = ["ALGORITHM"]
