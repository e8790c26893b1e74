"""The client's address, the same for the lock-out and the audit trail.

Behind a reverse proxy every request comes from the proxy's address. Only when the direct
peer is one of ITAKU_TRUSTED_PROXIES is X-Forwarded-For read, from the right, skipping the
trusted proxies: the first address that is not one of ours is the client. Without a trusted
proxy the header is ignored, since any client can send one.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _trusted(tuple(settings.ITAKU_TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    peer: str = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(peer):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a malformed header: the proxy's own address, never the text
    return peer
