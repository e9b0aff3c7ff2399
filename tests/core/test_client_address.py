"""The reader's address is read through trusted proxies only, and hostile headers never break it."""

import pytest

from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from core.client_address import client_address
from tests.deploy.helpers import production_env, run_python


def address_of(remote_addr: str | None = "127.0.0.1", forwarded_for: str | None = None) -> str:
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = RequestFactory().get("/", **headers)
    if remote_addr is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote_addr
    return client_address(request)


def test_a_reader_connecting_directly_is_known_by_the_connection():
    assert address_of("198.51.100.7") == "198.51.100.7"


def test_behind_varnish_the_reader_is_the_address_varnish_appended():
    assert address_of("127.0.0.1", "198.51.100.7") == "198.51.100.7"


def test_behind_nginx_and_varnish_the_reader_is_the_first_untrusted_hop_from_the_right():
    # nginx appended the reader, Varnish appended nginx; the reader wrote "6.6.6.6" themselves.
    assert address_of("127.0.0.1", "6.6.6.6, 198.51.100.7, 127.0.0.1") == "198.51.100.7"


def test_forged_header_from_an_untrusted_peer_changes_nothing():
    assert address_of("203.0.113.5", "198.51.100.7") == "203.0.113.5"
    assert address_of("203.0.113.5", "127.0.0.1") == "203.0.113.5"


def test_trusted_networks_come_from_the_setting(settings):
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address_of("10.1.2.3", "198.51.100.7, 10.0.0.9") == "198.51.100.7"
    # Loopback is no longer trusted once the setting leaves it out.
    assert address_of("127.0.0.1", "198.51.100.7") == "127.0.0.1"


def test_an_empty_setting_trusts_no_proxy(settings):
    settings.NEWSROOM_TRUSTED_PROXIES = []
    assert address_of("127.0.0.1", "198.51.100.7") == "127.0.0.1"


def test_ipv6_readers_and_ipv4_peers_seen_over_ipv6():
    assert address_of("::1", "2001:db8::7") == "2001:db8::7"
    assert address_of("::ffff:127.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert address_of("::ffff:198.51.100.7") == "198.51.100.7"


@pytest.mark.parametrize(
    "header",
    [
        "",
        " ",
        ",,,",
        "unknown",
        "garbage, , ,",
        "198.51.100.7:4711",
        "[2001:db8::7]",
        "[2001:db8::7]:443",
        "fe80::1%eth0",
        "198.51.100.7\x00",
        "198.51.100.7 198.51.100.8",
        "999.1.1.1",
        "<script>alert(1)</script>",
        "é" * 1000,
        "a" * 100_000,
        "198.51.100.7, " + "127.0.0.1, " * 10_000 + "127.0.0.1",
    ],
)
def test_malformed_forwarded_for_stops_at_the_trusted_proxy(header):
    assert address_of("127.0.0.1", header) == "127.0.0.1"


@pytest.mark.parametrize("remote_addr", [None, "", "garbage", "127.0.0.1:8000"])
def test_unusable_connection_address_gives_no_address(remote_addr):
    assert address_of(remote_addr, "198.51.100.7") == ""


def test_a_setting_that_names_no_network_is_refused(settings):
    settings.NEWSROOM_TRUSTED_PROXIES = ["varnish.internal"]
    with pytest.raises(ImproperlyConfigured, match="varnish.internal"):
        address_of("127.0.0.1", "198.51.100.7")


def test_production_reads_the_trusted_proxies_from_the_environment(tmp_path):
    code = "print(settings.NEWSROOM_TRUSTED_PROXIES)"
    result = run_python(code, production_env(tmp_path, TRUSTED_PROXIES="10.0.0.5, 10.1.0.0/16"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['10.0.0.5', '10.1.0.0/16']"
    assert run_python(code, production_env(tmp_path)).stdout.strip() == "['127.0.0.0/8', '::1']"


def test_production_refuses_to_start_with_a_proxy_that_is_no_address(tmp_path):
    result = run_python("", production_env(tmp_path, TRUSTED_PROXIES="varnish.internal"))
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'varnish.internal' is not an IP address or network" in result.stderr
