"""The client's address, read through the proxies this deployment trusts (ADR 0082).

``GONGKAI_TRUSTED_PROXIES`` lists the addresses or networks of the load balancers and reverse
proxies in front of the platform. A request from one of them may name the client in
X-Forwarded-For; the address is read from the right, skipping trusted proxies, and the first
address that is not one of them is the client. A request from anywhere else is its own client:
a forwarded header it sends is ignored, so nobody can choose the address they are counted as.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.GONGKAI_TRUSTED_PROXIES)))


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [v6]:port
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # v4:port
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not settings.GONGKAI_TRUSTED_PROXIES or not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for part in reversed([p for p in forwarded.split(",") if p.strip()]):
        address = _valid(part)
        if address is None:
            break  # a malformed entry: trust nothing left of it
        client = address
        if not _trusted(address):
            break
    return client
