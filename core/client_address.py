"""The address of the reader behind the proxies in front of the app.

Behind Varnish (and the TLS proxy before it) `REMOTE_ADDR` is the nearest
proxy's address, the same for every reader. Each proxy appends the address it
was connected from to `X-Forwarded-For`, so the header is read from the right:
while the hop we stand on is a trusted proxy (`NEWSROOM_TRUSTED_PROXIES`), the
entry it appended is believed and we step left to it. The first address that
is no trusted proxy is the client. Anything left of it was written by the
client, who may write anything, and is never read.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# No real chain of proxies is longer; a longer header is not split further.
MAX_HOPS = 20
# An IPv6 address with an embedded IPv4 suffix is at most 45 characters.
MAX_ADDRESS_LENGTH = 45


def parse_address(value: object) -> IPAddress | None:
    """A bare IPv4 or IPv6 address, or None for anything else (ports, brackets, zones, garbage)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > MAX_ADDRESS_LENGTH:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return None
        # A server listening on IPv6 sees IPv4 peers as ::ffff:a.b.c.d.
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """`NEWSROOM_TRUSTED_PROXIES` as networks: each entry an address or a network (CIDR)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"NEWSROOM_TRUSTED_PROXIES: {entry!r} is neither an IP address nor a network"
            ) from exc
    return tuple(networks)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    return parse_networks(tuple(settings.NEWSROOM_TRUSTED_PROXIES))


def is_trusted(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The reader's address: the first hop, from the right, that is no trusted proxy.

    Empty when even the connection's own address is unusable. A malformed
    entry appended by a trusted proxy ends the walk at that proxy: the reader
    is then known only by the proxy's address, never by a value anyone chose.
    """
    current = parse_address(request.META.get("REMOTE_ADDR"))
    if current is None:
        return ""
    networks = trusted_proxies()
    header = request.META.get("HTTP_X_FORWARDED_FOR")
    hops = header.rsplit(",", MAX_HOPS)[-MAX_HOPS:] if isinstance(header, str) else []
    for entry in reversed(hops):
        if not is_trusted(current, networks):
            break
        previous = parse_address(entry)
        if previous is None:
            break
        current = previous
    return str(current)
