# The site's caching rules for Varnish (7.x, Debian's `varnish` package).
#
# This file holds logic only. A deployment includes it from a short wrapper that says where the app
# is and who may purge (default.vcl beside it is the production example):
#
#     vcl 4.1;
#     backend default { .host = "127.0.0.1"; .port = "8000"; }
#     acl purgers { "127.0.0.1"; "::1"; }
#     include "/absolute/path/aipg_site/varnish/site.vcl";
#
# What it does, in short (docs/page-cache-and-servers.md says more):
# - Only GET and HEAD are looked up; the admin, the documents (whose privacy is checked on every
#   download), and any request from a signed-in visitor (session cookie), with a message waiting
#   (messages cookie) or with an Authorization header go straight to the app.
# - The app decides what is kept: only a response whose Cache-Control names `s-maxage`, sets no
#   cookie and is neither private nor no-store is stored, for that long. There is no default TTL.
#   `stale-while-revalidate` becomes grace: a stale page is served while a fresh one is fetched.
# - HTML, XML, JSON, CSS, JavaScript, iCal and SVG are kept gzipped, once; a client that does not
#   accept gzip gets them unzipped on the way out.
# - PURGE and BAN are accepted from the `purgers` ACL only. PURGE /path/ forgets the page at that
#   path together with every query-string variant of it; PURGE /path/* (or BAN /path/) forgets
#   everything under that path, and PURGE /* the whole host.

import std;

sub vcl_recv {
    # One spelling of the host, so a purge sent as "Example.org" finds pages fetched as
    # "example.org"; the port stays in the cache key (builtin vcl_hash) and is left out of
    # x-host below.
    if (req.http.host) {
        set req.http.host = std.tolower(req.http.host);
    }

    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from this address"));
        }
        return (synth(200, "Purged"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        # POST (the donate form, the admin, sign-in) and anything else is the app's alone.
        return (pass);
    }

    # /documents/: Wagtail checks each document's privacy per download, so none may be shared.
    if (req.url ~ "^/(admin|django-admin|documents)(/|$|\?)") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # A signed-in editor (sessionid) or a visitor with a message waiting (messages) sees a page of
    # their own: never served from the cache, never stored (their response is private anyway).
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }

    # Campaign and social tracking parameters are read by no page (the app drops them too): one
    # cached copy serves every shared link. The rest of the query is sorted, as the app sorts the
    # parameters that make its own page-cache key.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_ga|_gl|ref_src)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_ga|_gl|ref_src)=[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    set req.url = std.querysort(req.url);

    # Every other cookie (analytics, consent banners...) is dropped, so it never turns a visitor
    # into a miss. The CSRF cookie alone is carried past the lookup to the app: dropping it would
    # hand a visitor a new token on every page with a form, and a form left open in another tab
    # would then be refused. It is set aside before the lookup, so pages that say `Vary: Cookie`
    # are shared by every visitor, and given back to the app on a miss (vcl_backend_fetch). That is
    # safe because a response that used the token sets the cookie again, and a response that sets
    # a cookie is never stored.
    if (req.http.Cookie ~ "(^|;\s*)csrftoken=") {
        set req.http.x-csrf-cookie = regsub(req.http.Cookie, "^(.*;\s*)?csrftoken=([^;]*).*$", "\2");
    }
    unset req.http.Cookie;

    return (hash);
}

sub vcl_hash {
    # Behind a TLS terminator, http:// and https:// requests get different answers from the app
    # (SECURE_SSL_REDIRECT sends the first to the second): never the one for the other.
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
    # Falls through to the builtin vcl_hash: the URL and the host.
}

sub vcl_hit {
    if (obj.ttl > 0s) {
        set req.http.x-cache = "hit";
    } else {
        # Within grace: served stale while a background fetch brings the fresh page.
        set req.http.x-cache = "hit-stale";
    }
}

sub vcl_miss {
    set req.http.x-cache = "miss";
}

sub vcl_pass {
    set req.http.x-cache = "pass";
}

sub vcl_backend_fetch {
    if (bereq.http.x-csrf-cookie) {
        set bereq.http.Cookie = "csrftoken=" + bereq.http.x-csrf-cookie;
        unset bereq.http.x-csrf-cookie;
    }
}

sub vcl_backend_response {
    # What a purge is matched against: the host without its port, and the URL. Bans read only obj.*
    # so the ban lurker can apply them in the background (see vcl_synth).
    set beresp.http.x-host = regsub(bereq.http.host, ":[0-9]+$", "");
    set beresp.http.x-url = bereq.url;

    # Compressed at the proxy, once: the object is kept gzipped and unzipped on delivery for
    # clients that do not accept gzip. A response the app already compressed is kept as it came.
    if (!beresp.http.Content-Encoding && beresp.http.Content-Type ~ "^(text/(html|xml|css|javascript|calendar|plain)|application/([a-z.+-]*\+)?(xml|json)|application/javascript|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }

    # The CSRF cookie was only the app's to read (vcl_recv): taken off again before Varnish notes
    # what the stored object varies on, so a page that says `Vary: Cookie` is one object, found by
    # the cookie-less lookups of every visitor.
    unset bereq.http.Cookie;

    if (bereq.uncacheable) {
        # A pass: nothing is stored whatever the response says.
        return (deliver);
    }

    # Stored only when the app says so with s-maxage, and never anything personal. Without
    # s-maxage Varnish would fall back to max-age, Expires or its default TTL: none of them may
    # decide here.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Cache-Control !~ "(?i)(^|[,\s])s-maxage=[1-9]"
        || beresp.http.Vary == "*") {
        # Remembered as uncacheable for a while (hit-for-miss): the next requests go to the app
        # together rather than queue behind each other, and a later cacheable answer is stored.
        set beresp.ttl = 60s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    # One object whatever the client accepts: Varnish sends "Accept-Encoding: gzip" to the app on
    # every fetch and gunzips on delivery, so a second, per-encoding copy would only be the same
    # page twice. The header is given back to clients in vcl_deliver.
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*accept-encoding\s*(,|$)", "\1");
        set beresp.http.Vary = regsuball(beresp.http.Vary, "^,\s*|,\s*$", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    # Grace comes from the app's stale-while-revalidate (Varnish reads it into beresp.grace).
    return (deliver);
}

sub vcl_deliver {
    set resp.http.X-Cache = req.http.x-cache;
    if (resp.http.Vary !~ "(?i)accept-encoding" && resp.http.x-url) {
        if (resp.http.Vary) {
            set resp.http.Vary = resp.http.Vary + ", Accept-Encoding";
        } else {
            set resp.http.Vary = "Accept-Encoding";
        }
    }
    unset resp.http.x-host;
    unset resp.http.x-url;
}

sub vcl_synth {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (resp.status != 200) {
            return (deliver);
        }
        # Purging bans by path rather than removing one object. A page's address has many cached
        # variants: a listing's pages and filters (?page=2, ?year=2020&topic=...), the search
        # page's queries, the sitemap's sections (?p=2). Wagtail sends one PURGE for the page's
        # path, so "/stories/" must take every "/stories/?..." with it; a plain purge would only
        # drop the one URL sent. The host is checked too, so purging one site leaves another's
        # pages alone. The expressions use obj.* only, so the ban lurker can walk the cache and
        # drop matching objects in the background rather than keep every ban until each object
        # is looked up.
        #
        # A path ending in "*" (PURGE /*, PURGE /stories/*), or any BAN, forgets every page whose
        # path starts with it: what every page shows (the menu, the footer's offices, a setting,
        # an image) changed, or a page moved and took its children's addresses with it.
        #
        # The path goes into the ban's regular expression between \Q and \E, so dots and pluses
        # in it match themselves; an address with a backslash, a space or a quote in it (none of
        # the site's has one) is refused rather than escaped.
        set req.http.x-purge-path = regsub(req.url, "\?.*$", "");
        set req.http.x-purge-host = regsub(req.http.host, ":[0-9]+$", "");
        if (req.http.x-purge-path !~ "^/[^\\\s\x22]*$" || req.http.x-purge-host !~ "^[a-z0-9.:\[\]-]+$") {
            set resp.status = 400;
            set resp.reason = "Not a path this cache can purge";
            return (deliver);
        }
        if (req.method == "BAN" || req.http.x-purge-path ~ "\*$") {
            set req.http.x-purge-path = regsub(req.http.x-purge-path, "\*$", "");
            set req.http.x-ban = "obj.http.x-host == " + req.http.x-purge-host + " && obj.http.x-url ~ ^\Q" + req.http.x-purge-path + "\E";
        } else {
            set req.http.x-ban = "obj.http.x-host == " + req.http.x-purge-host + " && obj.http.x-url ~ ^\Q" + req.http.x-purge-path + "\E([?]|$)";
        }
        if (!std.ban(req.http.x-ban)) {
            std.log("ban refused: " + std.ban_error());
            set resp.status = 500;
            set resp.reason = "Ban refused";
        }
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + ": " + req.http.x-ban + {"
"};
        return (deliver);
    }
}
