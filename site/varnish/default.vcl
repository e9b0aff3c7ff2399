# Varnish 7.1 (Debian 12) in front of Newsroom's app servers.
#
# The app decides what may be cached (core/caching.py sends Cache-Control);
# this file keeps anonymous readers' pages, passes everything personal, and
# takes purges from the app when editors publish (core/purging.py).
#
# Edit for your site: the backends (one per app server, added to the director
# in vcl_init), the purgers ACL (this machine and every app server) and the
# tls_proxies ACL (what terminates https in front of Varnish).
#
# PURGE also needs the secret in VARNISH_PURGE_SECRET, in varnishd's own
# environment (/etc/newsroom/varnish.env with site/systemd/newsroom-varnish.service)
# and the app's: the address alone proves nothing when the TLS proxy, and so
# every reader, reaches Varnish from this machine. Without it (or with one
# shorter than 32 characters) every PURGE is refused.
vcl 4.1;

import directors;
import std;

probe healthz {
    # Host: localhost must be in ALLOWED_HOSTS (site/.env.example does so).
    .request =
        "GET /healthz HTTP/1.1"
        "Host: localhost"
        "User-Agent: varnish-probe"
        "Connection: close";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}
# More app servers:
# backend app2 { .host = "10.0.0.12"; .port = "8000"; .probe = healthz; }

# Who may send PURGE: the app servers (they purge on publish) and this machine.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    # "10.0.0.12";
}

# Who may say a request came over https (X-Forwarded-Proto): the TLS proxy.
acl tls_proxies {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    # app.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    # A missing, huge or malformed Host never reaches the app nor becomes a cache entry.
    if (!req.http.host || req.http.host !~ "^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$") {
        return (synth(400, "Bad Request"));
    }
    # One spelling per address, so one cache entry that one purge reaches:
    # LOCALHOST., localhost:80 and localhost are the same site.
    set req.http.host = std.tolower(req.http.host);
    set req.http.host = regsub(req.http.host, ":80$", "");
    set req.http.host = regsub(req.http.host, "\.+(:[0-9]+)?$", "\1");
    if (req.http.host ~ "^(:|$)") {
        return (synth(400, "Bad Request"));
    }
    # A percent sign that starts no escape is no URL: nothing to cache nor to pass on.
    if (req.url ~ "%(?![0-9A-Fa-f]{2})") {
        return (synth(400, "Bad Request"));
    }
    if (req.url ~ "%") {
        call normalize_escapes;
    }

    # Only the TLS proxy says how the reader connected; anyone else's claim is
    # dropped. vcl_hash keys on it, so https pages never reach plain readers.
    if (client.ip !~ tls_proxies || req.http.x-forwarded-proto != "https") {
        unset req.http.x-forwarded-proto;
    }

    if (req.method == "PURGE") {
        # One refusal for a stranger, a missing or wrong secret, and a Varnish
        # given none. Purges end in synth: the header never reaches the app nor
        # a response (varnishlog, readable by root and the varnish group, shows it).
        if (client.ip !~ purgers
            || std.getenv("VARNISH_PURGE_SECRET") !~ "^[A-Za-z0-9_-]{32,}$"
            || req.http.x-purge-secret != std.getenv("VARNISH_PURGE_SECRET")) {
            return (synth(403, "Forbidden"));
        }
        # A moved or renamed section: everything below its old address at once
        # (core/purging.py sends one such purge instead of one per story). The
        # path becomes a regular expression, so only plain path characters pass.
        if (req.http.x-purge-scope == "prefix") {
            if (req.url !~ "^/[A-Za-z0-9/_.%~-]*$") {
                return (synth(400, "Bad Request"));
            }
            ban("obj.http.x-cache-host == " + req.http.host +
                " && obj.http.x-cache-path ~ ^" + req.url);
            return (synth(200, "Purged"));
        }
        # Every cached query of the path goes (?page=2 lists the same stories).
        ban("obj.http.x-cache-host == " + req.http.host +
            " && obj.http.x-cache-path == " + regsub(req.url, "\?.*$", ""));
        return (synth(200, "Purged"));
    }
    if (req.method !~ "^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$") {
        return (synth(405, "Method Not Allowed"));
    }

    # Click-tracking parameters do not change the page: strip them so they share
    # one cache entry; every other parameter stays, in order (core/caching.py
    # strips the same ones).
    if (req.url ~ "[?&](utm_[^=&]*|fbclid|gclid|mc_cid|mc_eid)(=|&|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[^=&]*|fbclid|gclid|mc_cid|mc_eid)(=[^&]*)?(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors' tools, reader-comment actions, reader accounts (and their
    # /account/me.json) and the health check are never cached.
    if (req.url ~ "^/(admin|django-admin|comments|account)(/|$)" || req.url ~ "^/healthz(\?|$)") {
        return (pass);
    }
    # Documents (Wagtail's /documents/ serve view) may be private to a
    # collection or a page: whoever carries a cookie gets the app's own answer,
    # never a stored one. Their files are never served straight from media/.
    if (req.url ~ "^/+media/+documents(/|$)") {
        return (pass);
    }
    if (req.url ~ "^/+documents(/|$)" && req.http.cookie) {
        return (pass);
    }
    # Static files and media are the same for everyone.
    if (req.url ~ "^/(static|media)/") {
        unset req.http.cookie;
        return (hash);
    }
    # Editors (a session) get their own pages, never looked up nor stored.
    if (req.http.cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # A signed-in reader (reader_session, readers/sessions.py) gets the page
    # everyone gets: the app reads that cookie only under /account/ and
    # /comments/, passed above, and the page's personal parts come from
    # /account/me.json. Their cookies, CSRF included, go before the lookup.
    if (req.http.cookie ~ "(^|;\s*)reader_session=") {
        unset req.http.cookie;
    }
    # Anyone else mid-form (a CSRF cookie) gets their own pages.
    if (req.http.cookie ~ "(^|;\s*)csrftoken=") {
        return (pass);
    }
    if (req.http.authorization) {
        return (pass);
    }
    # Any other cookie (analytics, consent banners) means nothing to the app.
    unset req.http.cookie;

    # Serve stale copies only briefly while the app is healthy; for as long as
    # stale-if-error allows when every app server fails its probe.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.host);
    # Pages name their own scheme (canonical links, feeds, sitemaps): https
    # copies are kept apart from plain ones.
    if (req.http.x-forwarded-proto == "https") {
        hash_data("https");
    }
    return (lookup);
}

# RFC 3986 equivalence: an escaped unreserved character (ALPHA, DIGIT, "-",
# ".", "_", "~") is the character itself, and other escapes take upper-case
# hex, so /%68ealth/ and /health/ are one page, cached and purged as one.
sub normalize_escapes {
    set req.url = regsuball(req.url, "%41", "A");
    set req.url = regsuball(req.url, "%42", "B");
    set req.url = regsuball(req.url, "%43", "C");
    set req.url = regsuball(req.url, "%44", "D");
    set req.url = regsuball(req.url, "%45", "E");
    set req.url = regsuball(req.url, "%46", "F");
    set req.url = regsuball(req.url, "%47", "G");
    set req.url = regsuball(req.url, "%48", "H");
    set req.url = regsuball(req.url, "%49", "I");
    set req.url = regsuball(req.url, "%4[Aa]", "J");
    set req.url = regsuball(req.url, "%4[Bb]", "K");
    set req.url = regsuball(req.url, "%4[Cc]", "L");
    set req.url = regsuball(req.url, "%4[Dd]", "M");
    set req.url = regsuball(req.url, "%4[Ee]", "N");
    set req.url = regsuball(req.url, "%4[Ff]", "O");
    set req.url = regsuball(req.url, "%50", "P");
    set req.url = regsuball(req.url, "%51", "Q");
    set req.url = regsuball(req.url, "%52", "R");
    set req.url = regsuball(req.url, "%53", "S");
    set req.url = regsuball(req.url, "%54", "T");
    set req.url = regsuball(req.url, "%55", "U");
    set req.url = regsuball(req.url, "%56", "V");
    set req.url = regsuball(req.url, "%57", "W");
    set req.url = regsuball(req.url, "%58", "X");
    set req.url = regsuball(req.url, "%59", "Y");
    set req.url = regsuball(req.url, "%5[Aa]", "Z");
    set req.url = regsuball(req.url, "%61", "a");
    set req.url = regsuball(req.url, "%62", "b");
    set req.url = regsuball(req.url, "%63", "c");
    set req.url = regsuball(req.url, "%64", "d");
    set req.url = regsuball(req.url, "%65", "e");
    set req.url = regsuball(req.url, "%66", "f");
    set req.url = regsuball(req.url, "%67", "g");
    set req.url = regsuball(req.url, "%68", "h");
    set req.url = regsuball(req.url, "%69", "i");
    set req.url = regsuball(req.url, "%6[Aa]", "j");
    set req.url = regsuball(req.url, "%6[Bb]", "k");
    set req.url = regsuball(req.url, "%6[Cc]", "l");
    set req.url = regsuball(req.url, "%6[Dd]", "m");
    set req.url = regsuball(req.url, "%6[Ee]", "n");
    set req.url = regsuball(req.url, "%6[Ff]", "o");
    set req.url = regsuball(req.url, "%70", "p");
    set req.url = regsuball(req.url, "%71", "q");
    set req.url = regsuball(req.url, "%72", "r");
    set req.url = regsuball(req.url, "%73", "s");
    set req.url = regsuball(req.url, "%74", "t");
    set req.url = regsuball(req.url, "%75", "u");
    set req.url = regsuball(req.url, "%76", "v");
    set req.url = regsuball(req.url, "%77", "w");
    set req.url = regsuball(req.url, "%78", "x");
    set req.url = regsuball(req.url, "%79", "y");
    set req.url = regsuball(req.url, "%7[Aa]", "z");
    set req.url = regsuball(req.url, "%30", "0");
    set req.url = regsuball(req.url, "%31", "1");
    set req.url = regsuball(req.url, "%32", "2");
    set req.url = regsuball(req.url, "%33", "3");
    set req.url = regsuball(req.url, "%34", "4");
    set req.url = regsuball(req.url, "%35", "5");
    set req.url = regsuball(req.url, "%36", "6");
    set req.url = regsuball(req.url, "%37", "7");
    set req.url = regsuball(req.url, "%38", "8");
    set req.url = regsuball(req.url, "%39", "9");
    set req.url = regsuball(req.url, "%2[Dd]", "-");
    set req.url = regsuball(req.url, "%2[Ee]", ".");
    set req.url = regsuball(req.url, "%5[Ff]", "_");
    set req.url = regsuball(req.url, "%7[Ee]", "~");
    # What remains escaped: upper-case hex.
    set req.url = regsuball(req.url, "(?<=%)a|(?<=%[0-9A-F])a", "A");
    set req.url = regsuball(req.url, "(?<=%)b|(?<=%[0-9A-F])b", "B");
    set req.url = regsuball(req.url, "(?<=%)c|(?<=%[0-9A-F])c", "C");
    set req.url = regsuball(req.url, "(?<=%)d|(?<=%[0-9A-F])d", "D");
    set req.url = regsuball(req.url, "(?<=%)e|(?<=%[0-9A-F])e", "E");
    set req.url = regsuball(req.url, "(?<=%)f|(?<=%[0-9A-F])f", "F");
}

sub vcl_backend_response {
    # What a PURGE's ban matches on (removed before delivery).
    set beresp.http.x-cache-host = bereq.http.host;
    set beresp.http.x-cache-path = regsub(bereq.url, "\?.*$", "");

    # A failed background refresh keeps the stale copy.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Only what the app marked public is stored; a cookie or no Cache-Control
    # at all means personal or unknown. A document must say public outright.
    if (beresp.http.set-cookie
        || !beresp.http.cache-control
        || beresp.http.cache-control ~ "(?i)(private|no-store|no-cache)"
        || (bereq.url ~ "^/+documents(/|$)" && beresp.http.cache-control !~ "(?i)public")) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # stale-if-error (core/caching.py, a day by default) sets how long a copy is
    # kept past its TTL; vcl_recv serves it only when the app is down.
    if (beresp.http.cache-control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.cache-control, "^.*stale-if-error=([0-9]+).*$", "\1") + "s", 30s);
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-cache-host;
    unset resp.http.x-cache-path;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.http.Cache-Control = "no-store";
    set resp.body = resp.reason + {"
"};
    return (deliver);
}
