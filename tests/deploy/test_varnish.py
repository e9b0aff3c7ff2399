"""The Varnish VCL (site/varnish/default.vcl) in a real varnishd, in front of a stand-in app.

Skipped, saying so, where varnishd is not installed (Debian: apt-get install varnish).
"""

from __future__ import annotations

import http.client
import itertools
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.deploy.helpers import SITE_DIR

VARNISHD = shutil.which("varnishd") or (shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin"))
pytestmark = pytest.mark.skipif(
    VARNISHD is None, reason="varnishd is not installed (apt-get install varnish)"
)

PUBLIC = "public, max-age=60, s-maxage=600, stale-while-revalidate=30, stale-if-error=86400"
# What varnishd reads from its environment (VARNISH_PURGE_SECRET) and the app sends with each PURGE.
SECRET = "test-purge-secret-" + "s" * 32
WITH_SECRET = {"X-Purge-Secret": SECRET}


@dataclass
class App:
    """What the stand-in app received, and whether it is up."""

    requests: list[tuple[str, str, str]] = field(default_factory=list)
    counter: itertools.count = field(default_factory=itertools.count)
    down: bool = False
    # The scheme each request said it came over, as the app saw it.
    schemes: list[str | None] = field(default_factory=list)

    def hits(self, path: str) -> int:
        return sum(1 for _, url, _ in self.requests if url == path)


def make_handler(app: App):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self) -> None:
            if self.path == "/healthz" or app.down:
                status = 503 if app.down else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                return
            app.requests.append((self.command, self.path, self.headers.get("Cookie", "")))
            proto = self.headers.get("X-Forwarded-Proto")
            app.schemes.append(proto)
            # Like the app: a page names its own address, in the scheme it was asked over.
            body = f"rendering {next(app.counter)} at {proto or 'http'}://".encode()
            self.send_response(200)
            if self.path.startswith(("/private/", "/documents/private")):
                self.send_header("Cache-Control", "private, no-cache")
            elif self.path.startswith("/documents/unlabelled"):
                self.send_header("Cache-Control", "max-age=60")
            elif self.path.startswith("/cookie/"):
                self.send_header("Cache-Control", PUBLIC)
                self.send_header("Set-Cookie", "seen=1")
            elif self.path.startswith("/short/"):
                self.send_header(
                    "Cache-Control",
                    "public, max-age=1, s-maxage=1, stale-while-revalidate=1, stale-if-error=3600",
                )
            elif not self.path.startswith("/nocc/"):
                self.send_header("Cache-Control", PUBLIC)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer

        def do_HEAD(self) -> None:
            self.answer()

        def log_message(self, *args) -> None:
            pass

    return Handler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Varnish:
    port: int
    app: App

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, source: str = "127.0.0.1"
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(source, 0))
        headers = {"Host": "news.example.org", **(headers or {})}
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path, {k.replace("_", "-"): v for k, v in headers.items()})


def start_varnishd(workdir, backend_port: int, secret: str | None) -> tuple[subprocess.Popen, int]:
    """varnishd with the site's VCL before `backend_port`; VARNISH_PURGE_SECRET=`secret` (None: unset)."""
    vcl = (SITE_DIR / "varnish" / "default.vcl").read_text()
    assert '.port = "8000";' in vcl and "set req.grace = 30s;" in vcl, "the edits below no longer apply"
    vcl = vcl.replace('.port = "8000";', f'.port = "{backend_port}";')
    # Probe every second, so the stale-if-error test need not wait long.
    vcl = re.sub(r"\.interval = \d+s;", ".interval = 1s;", vcl)
    # And serve stale copies past 1 s only when the app is down (30 s in the real file).
    vcl = vcl.replace("set req.grace = 30s;", "set req.grace = 1s;")
    (workdir / "test.vcl").write_text(vcl)
    port = free_port()
    command = [VARNISHD, "-F", "-j", "none", "-n", str(workdir / "n"), "-a", f"127.0.0.1:{port}"]
    command += ["-T", "none", "-f", str(workdir / "test.vcl"), "-s", "malloc,32m"]
    env = {k: v for k, v in os.environ.items() if k != "VARNISH_PURGE_SECRET"}
    if secret is not None:
        env["VARNISH_PURGE_SECRET"] = secret
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)  # noqa: S603
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"varnishd did not start: {process.stdout.read() if process.stdout else ''}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def app_server():
    app = App()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(app))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, server.server_port
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def varnish(tmp_path_factory, app_server):
    app, backend_port = app_server
    process, port = start_varnishd(tmp_path_factory.mktemp("varnish"), backend_port, SECRET)
    yield Varnish(port=port, app=app)
    process.terminate()
    process.wait(timeout=10)


def test_the_vcl_compiles(tmp_path):
    # `-j none`, as the running tests use: varnishd's default jail reads the file as its own user,
    # which cannot enter a checkout under a private (0700) folder.
    command = [VARNISHD, "-C", "-j", "none", "-n", str(tmp_path / "n")]
    command += ["-f", str(SITE_DIR / "varnish" / "default.vcl")]
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    assert result.returncode == 0, result.stderr[-2000:]


def test_second_request_is_a_hit_and_the_app_renders_once(varnish):
    first = varnish.get("/story/")
    second = varnish.get("/story/")
    assert (first[0], first[1]["x-cache"]) == (200, "MISS")
    assert (second[0], second[1]["x-cache"]) == (200, "HIT")
    assert second[2] == first[2]
    assert varnish.app.hits("/story/") == 1
    assert "x-cache-host" not in second[1] and "x-cache-path" not in second[1]


def test_hosts_are_cached_apart(varnish):
    varnish.get("/hosts/")
    status, headers, _ = varnish.get("/hosts/", Host="other.example.org")
    assert headers["x-cache"] == "MISS"


def test_tracking_parameters_are_stripped_and_share_the_page(varnish):
    varnish.get("/tracked/?page=2")
    status, headers, _ = varnish.get("/tracked/?utm_source=mail&page=2&fbclid=x&gclid=y&mc_cid=1&mc_eid=2")
    assert headers["x-cache"] == "HIT"
    varnish.get("/tracked-fresh/?utm_medium=social&q=a")
    assert ("GET", "/tracked-fresh/?q=a", "") in varnish.app.requests


def test_pages_that_differ_in_another_parameter_are_never_merged(varnish):
    varnish.get("/list/?page=1")
    assert varnish.get("/list/?page=2")[1]["x-cache"] == "MISS"
    varnish.get("/order/?a=1&b=2")
    assert varnish.get("/order/?b=2&a=1")[1]["x-cache"] == "MISS"


@pytest.mark.parametrize("cookie", ["sessionid=abc", "csrftoken=def", "_ga=1; sessionid=abc"])
def test_signed_in_readers_and_editors_pass(varnish, cookie):
    path = f"/signed-in/{cookie.replace(';', '').replace(' ', '').replace('=', '-')}/"
    varnish.get(path, Cookie=cookie)
    assert varnish.get(path, Cookie=cookie)[1]["x-cache"] == "MISS"
    assert varnish.app.hits(path) == 2
    assert varnish.app.requests[-1][2] == cookie
    # Nor did their visits leave a copy for anyone else.
    assert varnish.get(path)[1]["x-cache"] == "MISS"


def test_other_cookies_are_stripped_so_anonymous_pages_cache(varnish):
    varnish.get("/analytics/", Cookie="_ga=GA1.1.1; consent=yes")
    assert varnish.app.requests[-1] == ("GET", "/analytics/", "")
    assert varnish.get("/analytics/", Cookie="_ga=GA1.2.2")[1]["x-cache"] == "HIT"


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/pages/", "/django-admin/", "/comments/posted/", "/healthz"]
)
def test_editors_tools_comments_and_health_are_never_cached(varnish, path):
    varnish.get(path)
    varnish.get(path)
    if path != "/healthz":
        assert varnish.app.hits(path) == 2


def test_comment_posts_pass(varnish):
    varnish.request("POST", "/comments/post/", {"Content-Length": "0"})
    varnish.request("POST", "/comments/post/", {"Content-Length": "0"})
    assert [r for r in varnish.app.requests if r[:2] == ("POST", "/comments/post/")] == [
        ("POST", "/comments/post/", ""),
        ("POST", "/comments/post/", ""),
    ]


@pytest.mark.parametrize("path", ["/private/page/", "/cookie/page/", "/nocc/page/"])
def test_private_cookie_setting_or_unlabelled_responses_are_not_stored(varnish, path):
    varnish.get(path)
    assert varnish.get(path)[1]["x-cache"] == "MISS"


def test_purge_from_this_machine_drops_the_page_and_its_query_variants(varnish):
    varnish.get("/purged/")
    varnish.get("/purged/?page=2")
    varnish.get("/kept/")
    status, _, _ = varnish.request("PURGE", "/purged/", WITH_SECRET)
    assert status == 200
    assert varnish.get("/purged/")[1]["x-cache"] == "MISS"
    assert varnish.get("/purged/?page=2")[1]["x-cache"] == "MISS"
    assert varnish.get("/kept/")[1]["x-cache"] == "HIT"


def test_a_prefix_purge_drops_everything_below_the_path_and_nothing_else(varnish):
    for path in ("/moved/", "/moved/story/", "/moved/deeper/story/?page=2", "/moved-not/", "/kept/"):
        varnish.get(path)
    status, _, _ = varnish.request("PURGE", "/moved/", {"X-Purge-Scope": "prefix", **WITH_SECRET})
    assert status == 200
    for path in ("/moved/", "/moved/story/", "/moved/deeper/story/?page=2"):
        assert varnish.get(path)[1]["x-cache"] == "MISS", path
    assert varnish.get("/moved-not/")[1]["x-cache"] == "HIT"
    assert varnish.get("/kept/")[1]["x-cache"] == "HIT"


@pytest.mark.parametrize("path", ["/a(b/", "/a|.*/", "/a*/", "/a/?page=2"])
def test_a_prefix_purge_of_a_path_that_is_not_plain_is_refused(varnish, path):
    varnish.get("/kept-too/")
    status, _, _ = varnish.request("PURGE", path, {"X-Purge-Scope": "prefix", **WITH_SECRET})
    assert status == 400
    assert varnish.get("/kept-too/")[1]["x-cache"] == "HIT"


def test_a_prefix_purge_from_another_address_is_forbidden(varnish):
    varnish.get("/guarded-prefix/story/")
    status, _, _ = varnish.request(
        "PURGE", "/guarded-prefix/", {"X-Purge-Scope": "prefix", **WITH_SECRET}, source="127.0.0.2"
    )
    assert status == 403
    assert varnish.get("/guarded-prefix/story/")[1]["x-cache"] == "HIT"


def test_purge_from_another_address_is_forbidden(varnish):
    varnish.get("/guarded/")
    status, _, _ = varnish.request("PURGE", "/guarded/", WITH_SECRET, source="127.0.0.2")
    assert status == 403
    assert varnish.get("/guarded/")[1]["x-cache"] == "HIT"


@pytest.mark.parametrize("secret", [None, "", "wrong-" + "s" * 40, SECRET[:-1], SECRET + "x"])
@pytest.mark.parametrize("scope", [None, "prefix"])
def test_a_purge_from_this_machine_without_the_secret_is_forbidden(varnish, secret, scope):
    path = f"/unsecret/{scope}/{len(secret) if secret is not None else 'none'}/"
    varnish.get(path)
    headers = {"X-Purge-Scope": scope} if scope else {}
    if secret is not None:
        headers["X-Purge-Secret"] = secret
    status, response_headers, body = varnish.request("PURGE", path, headers)
    assert (status, body) == (403, "Forbidden\n")
    assert SECRET not in str(response_headers)
    assert varnish.get(path)[1]["x-cache"] == "HIT"


@pytest.mark.parametrize("configured", [None, "", "short-secret"])
def test_a_varnish_given_no_usable_secret_refuses_every_purge(tmp_path, app_server, configured):
    app, backend_port = app_server
    process, port = start_varnishd(tmp_path, backend_port, configured)
    try:
        unconfigured = Varnish(port=port, app=app)
        unconfigured.get("/unconfigured/")
        for headers in ({}, {"X-Purge-Secret": ""}, {"X-Purge-Secret": configured or "x"}):
            assert unconfigured.request("PURGE", "/unconfigured/", headers)[0] == 403
        assert unconfigured.get("/unconfigured/")[1]["x-cache"] == "HIT"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_purge_with_the_secret_is_never_passed_on_to_the_app(varnish):
    varnish.get("/secret-kept/")
    before = len(varnish.app.requests)
    status, headers, body = varnish.request("PURGE", "/secret-kept/", WITH_SECRET)
    assert (status, body) == (200, "Purged\n")
    assert SECRET not in str(headers)
    assert len(varnish.app.requests) == before


def test_an_unknown_reader_cannot_make_plain_readers_get_https_pages(varnish):
    status, _, body = varnish.request("GET", "/scheme/", {"X-Forwarded-Proto": "https"}, source="127.0.0.2")
    assert body.endswith("at http://")
    assert varnish.app.schemes[-1] is None
    assert varnish.get("/scheme/")[2] == body


def test_the_tls_proxys_https_pages_are_kept_apart_from_plain_ones(varnish):
    https = varnish.get("/scheme-both/", X_Forwarded_Proto="https")
    plain = varnish.get("/scheme-both/")
    assert (https[1]["x-cache"], https[2][-len("at https://") :]) == ("MISS", "at https://")
    assert (plain[1]["x-cache"], plain[2][-len("at http://") :]) == ("MISS", "at http://")
    assert varnish.get("/scheme-both/", X_Forwarded_Proto="https")[2] == https[2]
    assert varnish.get("/scheme-both/")[2] == plain[2]


def test_a_purge_clears_the_https_and_the_plain_copy(varnish):
    varnish.get("/scheme-purged/", X_Forwarded_Proto="https")
    varnish.get("/scheme-purged/")
    assert varnish.request("PURGE", "/scheme-purged/", WITH_SECRET)[0] == 200
    assert varnish.get("/scheme-purged/", X_Forwarded_Proto="https")[1]["x-cache"] == "MISS"
    assert varnish.get("/scheme-purged/")[1]["x-cache"] == "MISS"


@pytest.mark.parametrize("proto", ["HTTPS", "ftp", "https, http"])
def test_a_scheme_other_than_https_counts_as_plain(varnish, proto):
    path = f"/scheme-odd/{proto.replace(',', '').replace(' ', '')}/"
    plain = varnish.get(path)
    odd = varnish.get(path, X_Forwarded_Proto=proto)
    assert odd[1]["x-cache"] == "HIT" and odd[2] == plain[2]


@pytest.mark.parametrize(
    "spelling",
    ["/%68ealth/x/", "/%68%65%61%6C%74%68/x/", "/%68%65%61%6c%74%68/x/", "/h%65alth/%78/", "/health/x%2F/"],
)
def test_escaped_plain_characters_share_the_page(varnish, spelling):
    path = "/health/x/" if "%2F" not in spelling else "/health/x%2F/"
    varnish.get(path)
    status, headers, _ = varnish.get(spelling)
    assert (status, headers["x-cache"]) == (200, "HIT")


def test_a_purge_of_the_plain_path_clears_every_spelling(varnish):
    varnish.get("/%70urge-spelling/x/")
    assert varnish.get("/purge-spelling/x/")[1]["x-cache"] == "HIT"
    status, _, _ = varnish.request("PURGE", "/purge-spelling/x/", WITH_SECRET)
    assert status == 200
    assert varnish.get("/%70urge-spelling/x/")[1]["x-cache"] == "MISS"


def test_other_escapes_are_kept_and_take_upper_case_hex(varnish):
    varnish.get("/caf%c3%a9/?q=a%2fb")
    assert varnish.app.requests[-1][1] == "/caf%C3%A9/?q=a%2Fb"
    assert varnish.get("/caf%C3%A9/?q=a%2Fb")[1]["x-cache"] == "HIT"


@pytest.mark.parametrize("host", ["LOCALHOST.", "localhost:80", "LocalHost.:80", "localhost.."])
def test_host_spellings_share_the_page_and_its_purge(varnish, host):
    path = f"/host-spelling/{host.replace(':', '-').replace('.', 'dot')}/"
    varnish.get(path, Host="localhost")
    assert varnish.get(path, Host=host)[1]["x-cache"] == "HIT"
    status, _, _ = varnish.request("PURGE", path, {"Host": host, **WITH_SECRET})
    assert status == 200
    assert varnish.get(path, Host="localhost")[1]["x-cache"] == "MISS"


def test_another_port_is_another_site(varnish):
    varnish.get("/host-port/", Host="localhost")
    assert varnish.get("/host-port/", Host="localhost:8080")[1]["x-cache"] == "MISS"
    assert varnish.get("/host-port/", Host="localhost.:8080")[1]["x-cache"] == "HIT"


@pytest.mark.parametrize("path", ["/health/%zz/", "/health/x%", "/health/x%4", "/health/?q=%g1"])
def test_a_malformed_escape_is_a_400_that_reaches_no_app(varnish, path):
    before = len(varnish.app.requests)
    status, headers, _ = varnish.get(path)
    assert (status, headers["cache-control"]) == (400, "no-store")
    assert len(varnish.app.requests) == before
    assert varnish.request("PURGE", path, WITH_SECRET)[0] == 400


def test_a_private_document_is_not_stored(varnish):
    varnish.get("/documents/private/1/report.pdf")
    assert varnish.get("/documents/private/1/report.pdf")[1]["x-cache"] == "MISS"
    assert varnish.app.hits("/documents/private/1/report.pdf") == 2


def test_a_document_not_marked_public_is_not_stored(varnish):
    varnish.get("/documents/unlabelled/2/notes.pdf")
    assert varnish.get("/documents/unlabelled/2/notes.pdf")[1]["x-cache"] == "MISS"


def test_a_document_asked_for_with_any_cookie_passes_with_its_cookie(varnish):
    varnish.get("/documents/3/public.pdf", Cookie="_ga=1")
    assert varnish.app.requests[-1] == ("GET", "/documents/3/public.pdf", "_ga=1")
    # Nothing stored by that visit; a public one without cookies is.
    assert varnish.get("/documents/3/public.pdf")[1]["x-cache"] == "MISS"
    assert varnish.get("/documents/3/public.pdf")[1]["x-cache"] == "HIT"
    assert varnish.get("/documents/3/public.pdf", Cookie="_ga=1")[1]["x-cache"] == "MISS"


@pytest.mark.parametrize(
    "path", ["/media/documents/report.pdf", "/%6Dedia/documents/report.pdf", "//media//documents/x"]
)
def test_document_files_under_media_are_never_stored(varnish, path):
    varnish.get(path)
    assert varnish.get(path)[1]["x-cache"] == "MISS"


def test_unknown_methods_are_refused(varnish):
    assert varnish.request("BREW", "/")[0] == 405


@pytest.mark.parametrize(
    "host",
    [
        "a" * 300,
        "bad host",
        "news.example.org:99999999",
        "evil.example.org/x",
        "news.example.org\\x",
        ".",
        "..:8080",
    ],
)
def test_huge_or_malformed_host_is_a_400_that_reaches_no_app(varnish, host):
    before = len(varnish.app.requests)
    status, headers, _ = varnish.get("/hostile/", Host=host)
    assert status == 400
    assert headers["cache-control"] == "no-store"
    assert len(varnish.app.requests) == before


def test_a_healthy_app_renders_an_expired_page_again(varnish):
    first = varnish.get("/short/fresh/")
    time.sleep(3)  # past s-maxage=1 and the 1 s of stale-while-revalidate
    status, headers, body = varnish.get("/short/fresh/")
    assert status == 200
    assert body != first[2]


def test_stale_copy_is_served_while_the_app_is_down(varnish):
    first = varnish.get("/short/")
    time.sleep(1.5)  # past s-maxage=1
    varnish.app.down = True
    try:
        time.sleep(4)  # the probe needs three failures to call the app sick
        status, headers, body = varnish.get("/short/")
    finally:
        varnish.app.down = False
    assert status == 200
    assert body == first[2]
