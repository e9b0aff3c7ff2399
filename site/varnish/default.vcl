# Varnish 7.1 (Debian 12) in front of Newsroom's app servers.
#
# The app decides what may be cached (core/caching.py sends Cache-Control);
# this file keeps anonymous readers' pages, passes everything personal, and
# takes purges from the app when editors publish (core/purging.py).
#
# Edit for your site: the backends (one per app server, added to the director
# in vcl_init) and the purgers ACL (this machine and every app server).
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
    set req.http.host = std.tolower(req.http.host);

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
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
    # Editors' tools, reader-comment actions and the health check are never cached.
    if (req.url ~ "^/(admin|django-admin|comments)(/|$)" || req.url ~ "^/healthz(\?|$)") {
        return (pass);
    }
    # Static files and media are the same for everyone.
    if (req.url ~ "^/(static|media)/") {
        unset req.http.cookie;
        return (hash);
    }
    # Signed-in readers and editors (a session) and anyone mid-form (a CSRF
    # cookie) get their own pages, never looked up nor stored.
    if (req.http.cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
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
    return (lookup);
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
    # at all means personal or unknown.
    if (beresp.http.set-cookie
        || !beresp.http.cache-control
        || beresp.http.cache-control ~ "(private|no-store|no-cache)") {
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
